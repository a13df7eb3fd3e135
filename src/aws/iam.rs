//! Fetcher for IAM roles and customer-managed policies, with as few calls as IAM allows:
//! `GetAccountAuthorizationDetails` (roles with their trust, inline and attached policies and
//! tags; policies with every version) plus `ListRoles` for the two role fields the former lacks
//! (description, max session duration), plus `ListPolicyTags` per policy (no bulk call returns
//! policy tags).

use std::collections::BTreeMap;

use aws_sdk_iam::types::{EntityType, ManagedPolicyDetail, RoleDetail, Tag};
use aws_sdk_iam::Client;
use futures::{StreamExt, TryStreamExt};
use serde_json::{json, Value};

use super::explain;
use crate::error::FetchError;

/// `ListPolicyTags` calls in flight. IAM's request rate is account-wide and its token buckets are
/// not published (AWS Security Blog, "How to monitor and query IAM resources at scale, part 2":
/// a bucket per API, refilled every second): 8 hides most of the latency of 1,000 policies
/// (50 ms each: 6 s instead of 50 s serial, overlapped with the paging) and throttled calls are
/// retried with backoff (standard retries, docs/DECISIONS.md #30).
const IN_FLIGHT: usize = 8;

/// Service-linked roles are created and changed by AWS services, not by users.
const SERVICE_LINKED_PATH: &str = "/aws-service-role/";

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
}

impl Walk {
    /// Starts the walk as a task of its own, so that it goes on whichever kind stops waiting.
    pub fn start(client: Client, want: Want) -> Walk {
        let (roles_tx, roles) = tokio::sync::watch::channel(None);
        let (policies_tx, policies) = tokio::sync::watch::channel(None);
        tokio::spawn(async move { walk(&client, want, &roles_tx, &policies_tx).await });
        Walk { roles, policies }
    }

    pub async fn roles(&self) -> Result<Named, FetchError> {
        ended(self.roles.clone()).await
    }

    pub async fn policies(&self) -> Result<Named, FetchError> {
        ended(self.policies.clone()).await
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
            role_descriptions(client).await
        } else {
            Ok(BTreeMap::new())
        }
    };
    let roles = async {
        let (details, descriptions) = tokio::join!(pages, descriptions);
        let roles = details.and_then(|d| Ok(roles_of(&d, &descriptions?, want)));
        // No receiver left means no kind waits for the roles any more.
        let _ = roles_done.send(Some(roles));
    };
    let policies = async {
        let tagged: Result<Named, FetchError> = found_rx
            .map(|p| async move {
                let tags = policy_tags(client, p.arn().unwrap_or_default()).await?;
                Ok::<_, FetchError>((policy_name(&p), policy_document(&p, tags)))
            })
            .buffer_unordered(IN_FLIGHT)
            .try_collect()
            .await;
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
    let mut pages = req.max_items(1000).into_paginator().send();
    let mut role_details = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| explain("iam:GetAccountAuthorizationDetails", &e))?;
        role_details.extend(page.role_detail_list.unwrap_or_default());
        for p in page.policies.unwrap_or_default() {
            // Closed only when the tags failed: the walk has failed the policies already.
            let _ = found.unbounded_send(p);
        }
    }
    Ok(role_details)
}

/// The roles of `details` as documents, service-linked ones left out unless wanted.
fn roles_of(details: &[RoleDetail], descriptions: &BTreeMap<String, Value>, want: Want) -> Named {
    let mut roles = Vec::new();
    for r in details {
        let (Some(name), path) = (r.role_name(), r.path().unwrap_or("/")) else {
            continue;
        };
        if path.starts_with(SERVICE_LINKED_PATH) && !want.aws_managed {
            continue;
        }
        roles.push((name.to_string(), role_document(r, descriptions.get(name))));
    }
    roles.sort_by(|a, b| a.0.cmp(&b.0));
    roles
}

/// The default version's document of each AWS-managed policy in `arns` (raw, maybe URL-encoded),
/// for the cross-resource checks only: the inventory leaves AWS-managed policies out as
/// AWS-owned. `GetPolicy` + `GetPolicyVersion` per policy: the checks need a few attached ones,
/// where `GetAccountAuthorizationDetails` with the `AWSManagedPolicy` filter would page through
/// every one (moto returns all ~1,300 of them). A policy that cannot be read is left out: the
/// checks then say they cannot tell.
pub async fn policy_documents(client: &Client, arns: &[String]) -> BTreeMap<String, String> {
    let each = arns.iter().map(|arn| async move {
        let policy = client.get_policy().policy_arn(arn).send().await.ok()?;
        let version = policy.policy()?.default_version_id()?.to_string();
        let v = client
            .get_policy_version()
            .policy_arn(arn)
            .version_id(version)
            .send()
            .await
            .ok()?;
        let doc = v.policy_version()?.document()?.to_string();
        Some((arn.clone(), doc))
    });
    futures::stream::iter(each)
        .buffer_unordered(IN_FLIGHT)
        .filter_map(|x| async move { x })
        .collect()
        .await
}

/// `Description` and `MaxSessionDuration` by role name, from `ListRoles` (1,000 roles a call).
async fn role_descriptions(client: &Client) -> Result<BTreeMap<String, Value>, FetchError> {
    let roles: Vec<aws_sdk_iam::types::Role> = client
        .list_roles()
        .max_items(1000)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| explain("iam:ListRoles", &e))?;
    Ok(roles
        .into_iter()
        .map(|r| {
            let doc = json!({
                "Description": r.description(),
                "MaxSessionDuration": r.max_session_duration(),
            });
            (r.role_name().to_string(), doc)
        })
        .collect())
}

async fn policy_tags(client: &Client, arn: &str) -> Result<Vec<Tag>, FetchError> {
    client
        .list_policy_tags()
        .policy_arn(arn)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| explain("iam:ListPolicyTags", &e))
}

fn tags_json(tags: &[Tag]) -> Value {
    Value::Array(
        tags.iter()
            .map(|t| json!({"Key": t.key(), "Value": t.value()}))
            .collect(),
    )
}

/// A role in the shape of `RoleDetailList` items (documents still URL-encoded: the normalizer
/// decodes them), with `Description` and `MaxSessionDuration` from `ListRoles`.
fn role_document(r: &RoleDetail, extra: Option<&Value>) -> Value {
    let mut doc = json!({
        "RoleName": r.role_name(),
        "Path": r.path(),
        "AssumeRolePolicyDocument": r.assume_role_policy_document(),
        "RolePolicyList": r.role_policy_list().iter().map(|p| json!({
            "PolicyName": p.policy_name(), "PolicyDocument": p.policy_document()
        })).collect::<Vec<_>>(),
        "AttachedManagedPolicies": r.attached_managed_policies().iter().map(|p| json!({
            "PolicyName": p.policy_name(), "PolicyArn": p.policy_arn()
        })).collect::<Vec<_>>(),
        "PermissionsBoundary": r.permissions_boundary().map(|b| json!({
            "PermissionsBoundaryType": b.permissions_boundary_type().map(|t| t.as_str()),
            "PermissionsBoundaryArn": b.permissions_boundary_arn(),
        })),
        "Tags": tags_json(r.tags()),
    });
    if let (Some(Value::Object(e)), Value::Object(d)) = (extra, &mut doc) {
        d.extend(e.clone());
    }
    doc
}

/// A policy in the shape of `ManagedPolicyDetail`, with its tags.
fn policy_document(p: &ManagedPolicyDetail, tags: Vec<Tag>) -> Value {
    json!({
        "PolicyName": policy_name(p),
        "Arn": p.arn(),
        "Path": p.path(),
        "Description": p.description(),
        "DefaultVersionId": p.default_version_id(),
        "PolicyVersionList": p.policy_version_list().iter().map(|v| json!({
            "VersionId": v.version_id(),
            "IsDefaultVersion": v.is_default_version(),
            "Document": v.document(),
        })).collect::<Vec<_>>(),
        "Tags": tags_json(&tags),
    })
}

/// The policy's name. AWS always sends `PolicyName`; moto's `GetAccountAuthorizationDetails`
/// omits it, so fall back to the ARN's last segment (`arn:aws:iam::ID:policy/path/NAME`).
fn policy_name(p: &ManagedPolicyDetail) -> String {
    match p.policy_name() {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => name_from_arn(p.arn().unwrap_or_default()),
    }
}

fn name_from_arn(arn: &str) -> String {
    arn.rsplit('/').next().unwrap_or(arn).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn policy_name_from_arn_skips_the_path() {
        assert_eq!(
            super::name_from_arn("arn:aws:iam::123456789012:policy/ci/deploy"),
            "deploy"
        );
        assert_eq!(
            super::name_from_arn("arn:aws:iam::123456789012:policy/deploy"),
            "deploy"
        );
    }
}
