//! The IAM client and the one walk of IAM both IAM kinds read from:
//! `GetAccountAuthorizationDetails` (roles with their trust, inline and attached policies and
//! tags; policies with every version), paged once a run for roles and policies together. What
//! each kind adds to its half is in its fetch module (`kinds::iam_role`: `ListRoles` for the two
//! role fields the walk lacks; `kinds::iam_policy`: `ListPolicyTags` per policy, as no bulk
//! call returns policy tags).

use aws_sdk_iam::types::{EntityType, ManagedPolicyDetail, RoleDetail, Tag};
use aws_sdk_iam::Client;
use serde_json::{json, Value};

use super::explain;
use super::kinds::{iam_policy, iam_role};
use crate::error::FetchError;

super::sdk_client!(aws_sdk_iam);

/// What to fetch.
#[derive(Debug, Clone, Copy)]
pub struct Want {
    pub roles: bool,
    pub policies: bool,
    /// Also AWS-managed policies and service-linked roles.
    pub aws_managed: bool,
}

/// `(name, document)` of roles or of policies, sorted by name.
pub type Named = Vec<(String, Value)>;

/// What one half of the walk gives, once it has ended.
type Half = tokio::sync::watch::Receiver<Option<Result<Named, FetchError>>>;

/// One walk of IAM for both kinds, each half ready on its own: the roles as soon as the
/// `GetAccountAuthorizationDetails` pages and `ListRoles` are in, the policies when their tags
/// are too (about 1,000 calls later at size L), so the roles are normalized and written while
/// the tags are still arriving. The pages fail both; `ListRoles` fails the roles, a tag the
/// policies.
pub struct Walk {
    roles: Half,
    policies: Half,
    task: tokio::task::AbortHandle,
}

impl Walk {
    /// Starts the walk as a task of its own, so that it goes on whichever kind stops waiting.
    pub fn start(client: Client, want: Want) -> Walk {
        let (roles_tx, roles) = tokio::sync::watch::channel(None);
        let (policies_tx, policies) = tokio::sync::watch::channel(None);
        let task = tokio::spawn(async move { walk(&client, want, &roles_tx, &policies_tx).await });
        Walk {
            roles,
            policies,
            task: task.abort_handle(),
        }
    }

    pub async fn roles(&self) -> Result<Named, FetchError> {
        ended(self.roles.clone()).await
    }

    pub async fn policies(&self) -> Result<Named, FetchError> {
        ended(self.policies.clone()).await
    }
}

/// The walk ends with the run's context: the process's runtime outlives the run, and a walk
/// cut short by the deadline or an interrupt must not go on calling IAM behind the next step.
impl Drop for Walk {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn ended(mut half: Half) -> Result<Named, FetchError> {
    match half.wait_for(Option::is_some).await {
        Ok(v) => v
            .clone()
            .unwrap_or_else(|| Err(FetchError::said("the IAM walk ended early"))),
        Err(_) => Err(FetchError::said("the IAM walk stopped before it ended")),
    }
}

/// Where a half of the walk is handed on, the moment it ends.
type Done = tokio::sync::watch::Sender<Option<Result<Named, FetchError>>>;

/// The walk: roles, and policies with their tags. The tags of a page's policies are asked for
/// while the next page is on its way, and the pages never wait for the tags.
async fn walk(client: &Client, want: Want, roles_done: &Done, policies_done: &Done) {
    let (found_tx, found_rx) = futures::channel::mpsc::unbounded::<ManagedPolicyDetail>();
    let (paged_tx, paged_rx) = futures::channel::oneshot::channel::<Result<(), FetchError>>();
    let pages = async move {
        let result = all_pages(client, want, &found_tx).await;
        drop(found_tx);
        let _ = paged_tx.send(result.as_ref().map(|_| ()).map_err(Clone::clone));
        result
    };
    let descriptions = async {
        if want.roles {
            iam_role::descriptions(client).await
        } else {
            Ok(Default::default())
        }
    };
    let roles = async {
        let (details, descriptions) = tokio::join!(pages, descriptions);
        let roles =
            details.and_then(|d| Ok(iam_role::documents(&d, &descriptions?, want.aws_managed)));
        // No receiver left means no kind waits for the roles any more.
        let _ = roles_done.send(Some(roles));
    };
    let policies = async {
        let tagged = iam_policy::with_tags(client, found_rx).await;
        // Every page read, or the policies are not all here.
        let paged = paged_rx
            .await
            .unwrap_or_else(|_| Err(FetchError::said("the IAM pages stopped early")));
        let policies = paged.and(tagged).map(|mut policies| {
            policies.sort_by(|a, b| a.0.cmp(&b.0));
            policies
        });
        let _ = policies_done.send(Some(policies));
    };
    tokio::join!(roles, policies);
}

/// Every page of `GetAccountAuthorizationDetails`: the role details, and each policy sent to
/// `found` as its page arrives.
async fn all_pages(
    client: &Client,
    want: Want,
    found: &futures::channel::mpsc::UnboundedSender<ManagedPolicyDetail>,
) -> Result<Vec<RoleDetail>, FetchError> {
    let mut req = client.get_account_authorization_details();
    if want.roles {
        req = req.filter(EntityType::Role);
    }
    if want.policies {
        req = req.filter(EntityType::LocalManagedPolicy);
        if want.aws_managed {
            req = req.filter(EntityType::AwsManagedPolicy);
        }
    }
    // 1,000 items a page, IAM's most, instead of its default 100: a tenth of the pages, each a
    // round trip the walk waits for in turn (a marker names the next page).
    const OP: &str = "iam:GetAccountAuthorizationDetails";
    let mut pages = req.max_items(1000).into_paginator().send();
    let mut role_details = Vec::new();
    let mut marker = None;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| explain(OP, &e))?;
        marker = page.marker.clone();
        role_details.extend(page.role_detail_list.unwrap_or_default());
        for p in page.policies.unwrap_or_default() {
            // Closed only when the tags failed: the walk has failed the policies already.
            let _ = found.unbounded_send(p);
        }
    }
    // Read page by page (policies stream on as they come), so `pages::all`'s rule is here:
    // the stream ends on a page still naming another only when the SDK stopped on a repeat.
    if marker.is_some_and(|m| !m.is_empty()) {
        return Err(super::pages::repeated(OP));
    }
    Ok(role_details)
}

pub(crate) fn tags_json(tags: &[Tag]) -> Value {
    Value::Array(
        tags.iter()
            .map(|t| json!({"Key": t.key(), "Value": t.value()}))
            .collect(),
    )
}
