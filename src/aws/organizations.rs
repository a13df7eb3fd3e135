//! The accounts of an AWS Organization, for `driftwatch plan`: every account (`ListAccounts`,
//! followed to the last `NextToken`: a page may be empty while more remain), or those under
//! named OUs (`ListChildren` of OUs, nested, and `ListAccountsForParent`); each with its OU
//! path from the root (`ListParents`), and the organization's management account and partition
//! (`DescribeOrganization`). Pages are read as the API's JSON (`all_items`), so an account's
//! `State` reaches us whatever this SDK knows of it.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_organizations::Client;
use futures::{StreamExt, TryStreamExt};
use serde_json::Value;

use super::{all_items, explain, load_config, ApiCalls, AwsOptions};
use crate::error::{Cause, FetchError};

crate::aws::sdk_client!(aws_sdk_organizations);

/// `ListParents` calls in flight: Organizations publishes no rate limit and throttles large
/// organizations, so few.
const CONCURRENCY: usize = 4;

/// AWS nests OUs five deep under the root; a longer chain of parents is a broken answer.
const MAX_DEPTH: usize = 8;

/// The organization as `plan` needs it.
#[derive(Debug, Clone)]
pub struct Organization {
    pub management_account_id: String,
    /// `aws`, `aws-cn`, `aws-us-gov`: from the organization's ARN.
    pub partition: String,
    /// Sorted by id, each once.
    pub accounts: Vec<Member>,
}

/// One account of the organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub name: String,
    /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, … (see [`account_state`]); None when the
    /// answer says neither `State` nor `Status`.
    pub state: Option<String>,
    /// The root id, then the OU ids down to the account's own OU.
    pub ou_path: Vec<String>,
}

/// The organization the credentials of `opts` manage: every account, or with `ous` those
/// under these OUs (nested ones included), within the run's deadline. Any failed call fails it
/// all: a plan is whole or not written.
pub async fn discover(
    opts: &AwsOptions,
    calls: &ApiCalls,
    ous: &[String],
) -> Result<Organization, FetchError> {
    let length = opts.limits.deadline;
    match tokio::time::timeout(length, read(opts, calls, ous)).await {
        Ok(result) => result,
        Err(_) => Err(FetchError {
            operation: None,
            cause: Cause::Deadline {
                length,
                waiting: (calls.in_flight().into_iter())
                    .map(|(op, n)| format!("{op} ({n})"))
                    .collect(),
            },
            hint: Some("raise it with --deadline".to_string()),
        }),
    }
}

async fn read(
    opts: &AwsOptions,
    calls: &ApiCalls,
    ous: &[String],
) -> Result<Organization, FetchError> {
    let config = load_config(opts).await.map_err(FetchError::said)?;
    let client = client(&config, calls);
    let (management_account_id, partition) = describe_organization(&client).await?;
    let mut paths = OuPaths::default();
    let accounts = if ous.is_empty() {
        every_account(&client, &mut paths).await?
    } else {
        under_ous(&client, &mut paths, ous).await?
    };
    Ok(Organization {
        management_account_id,
        partition,
        accounts,
    })
}

async fn describe_organization(client: &Client) -> Result<(String, String), FetchError> {
    const OP: &str = "organizations:DescribeOrganization";
    let out = client
        .describe_organization()
        .send()
        .await
        .map_err(|e| explain(OP, &e))?;
    let org = out
        .organization()
        .ok_or_else(|| FetchError::of(OP, "the answer has no Organization"))?;
    let management = org
        .master_account_id()
        .filter(|id| !id.is_empty())
        .ok_or_else(|| FetchError::of(OP, "the answer has no MasterAccountId"))?;
    let arn = org.arn().unwrap_or_default();
    let partition = partition_of(arn)
        .ok_or_else(|| FetchError::of(OP, format!("`{arn}` is not the organization's ARN")))?;
    Ok((management.to_string(), partition))
}

/// The partition is the second field of any ARN; never assumed.
fn partition_of(arn: &str) -> Option<String> {
    match arn.split(':').nth(1) {
        Some(p) if arn.starts_with("arn:") && !p.is_empty() => Some(p.to_string()),
        _ => None,
    }
}

/// The account's state: `State`, else the retired `Status`. AWS returns `Status` only until
/// 2026-09-09 and `State` (which adds PENDING_ACTIVATION and CLOSED) from 2025 on; moto 5.2.5
/// returns both, an older answer only `Status`. `State` wins when both are there.
fn account_state(item: &Value) -> Option<String> {
    ["State", "Status"]
        .iter()
        .filter_map(|k| item.get(k)?.as_str())
        .find(|s| !s.is_empty())
        .map(str::to_string)
}

/// An account item of `ListAccounts` or `ListAccountsForParent`, with its OU path.
fn member(op: &str, item: &Value, ou_path: Vec<String>) -> Result<Member, FetchError> {
    let id = item
        .get("Id")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| FetchError::of(op, "an account of the answer has no Id"))?;
    Ok(Member {
        id: id.to_string(),
        name: item
            .get("Name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        state: account_state(item),
        ou_path,
    })
}

/// Every account (`ListAccounts`), each placed in its OU (`ListParents` of the account, then
/// of each OU not yet placed).
async fn every_account(client: &Client, paths: &mut OuPaths) -> Result<Vec<Member>, FetchError> {
    const OP: &str = "organizations:ListAccounts";
    let items = all_items(OP, "Accounts", |token, raw| async move {
        let page = client
            .list_accounts()
            .set_next_token(token)
            .customize()
            .interceptor(raw)
            .send()
            .await
            .map_err(|e| explain(OP, &e))?;
        Ok(page.next_token().map(str::to_string))
    })
    .await?;
    let parents: Vec<(Value, (String, String))> = futures::stream::iter(items)
        .map(|item| async move {
            // An item without its id is refused before asking for its parent.
            let id = member(OP, &item, Vec::new())?.id;
            let parent = parent(client, &id).await?;
            Ok::<_, FetchError>((item, parent))
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    let mut out = Vec::new();
    for (item, (parent_id, parent_type)) in parents {
        let path = paths.path(client, &parent_id, &parent_type).await?;
        out.push(member(OP, &item, path)?);
    }
    Ok(sorted_once(out))
}

/// The accounts under `ous` and their OUs, nested ones included: `ListAccountsForParent` and
/// `ListChildren` of each OU, from the named ones down.
async fn under_ous(
    client: &Client,
    paths: &mut OuPaths,
    ous: &[String],
) -> Result<Vec<Member>, FetchError> {
    const OP: &str = "organizations:ListAccountsForParent";
    let mut todo: Vec<Vec<String>> = Vec::new();
    for ou in ous {
        let kind = if ou.starts_with("r-") { "ROOT" } else { "" };
        todo.push(paths.path(client, ou, kind).await?);
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    while let Some(path) = todo.pop() {
        let ou = path.last().cloned().unwrap_or_default();
        if !seen.insert(ou.clone()) {
            continue; // an OU named and also under another named one
        }
        let items = all_items(OP, "Accounts", |token, raw| {
            let ou = ou.clone();
            async move {
                let page = client
                    .list_accounts_for_parent()
                    .parent_id(ou)
                    .set_next_token(token)
                    .customize()
                    .interceptor(raw)
                    .send()
                    .await
                    .map_err(|e| explain(OP, &e))?;
                Ok(page.next_token().map(str::to_string))
            }
        })
        .await?;
        for item in &items {
            out.push(member(OP, item, path.clone())?);
        }
        for child in child_ous(client, &ou).await? {
            let mut deeper = path.clone();
            deeper.push(child);
            todo.push(deeper);
        }
    }
    Ok(sorted_once(out))
}

/// The OUs directly under `parent` (`ListChildren`, ChildType ORGANIZATIONAL_UNIT).
async fn child_ous(client: &Client, parent: &str) -> Result<Vec<String>, FetchError> {
    const OP: &str = "organizations:ListChildren";
    let items = all_items(OP, "Children", |token, raw| async move {
        let page = client
            .list_children()
            .parent_id(parent)
            .child_type(aws_sdk_organizations::types::ChildType::OrganizationalUnit)
            .set_next_token(token)
            .customize()
            .interceptor(raw)
            .send()
            .await
            .map_err(|e| explain(OP, &e))?;
        Ok(page.next_token().map(str::to_string))
    })
    .await?;
    items
        .iter()
        .map(|c| {
            c.get("Id")
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| FetchError::of(OP, "a child of the answer has no Id"))
        })
        .collect()
}

/// The one parent of an account or OU (`ListParents`): its id and type (ROOT or
/// ORGANIZATIONAL_UNIT).
async fn parent(client: &Client, child: &str) -> Result<(String, String), FetchError> {
    let op = format!("organizations:ListParents of {child}");
    let items = all_items(&op, "Parents", |token, raw| {
        let op = op.clone();
        async move {
            let page = client
                .list_parents()
                .child_id(child)
                .set_next_token(token)
                .customize()
                .interceptor(raw)
                .send()
                .await
                .map_err(|e| explain(&op, &e))?;
            Ok(page.next_token().map(str::to_string))
        }
    })
    .await?;
    let first = items
        .first()
        .ok_or_else(|| FetchError::of(&op, "the answer names no parent"))?;
    let field = |k: &str| {
        let v = first
            .get(k)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty());
        v.map(str::to_string)
            .ok_or_else(|| FetchError::of(&op, format!("the parent has no {k}")))
    };
    Ok((field("Id")?, field("Type")?))
}

/// The path from the root of each OU met (and of the root, itself), asked once per OU.
#[derive(Default)]
struct OuPaths(BTreeMap<String, Vec<String>>);

impl OuPaths {
    /// The root id, then the OUs down to `id` (`kind` ROOT: `id` is the root): up the
    /// parents to the root or an OU already placed, then back down.
    async fn path(
        &mut self,
        client: &Client,
        id: &str,
        kind: &str,
    ) -> Result<Vec<String>, FetchError> {
        let mut chain: Vec<String> = Vec::new();
        let (mut at, mut at_kind) = (id.to_string(), kind.to_string());
        let mut path = loop {
            if let Some(known) = self.0.get(&at) {
                break known.clone();
            }
            if at_kind == "ROOT" {
                self.0.insert(at.clone(), vec![at.clone()]);
                break vec![at];
            }
            if chain.len() >= MAX_DEPTH {
                return Err(FetchError::of(
                    "organizations:ListParents",
                    format!("{id} is more than {MAX_DEPTH} OUs under the root"),
                ));
            }
            let up = parent(client, &at).await?;
            chain.push(std::mem::replace(&mut at, up.0));
            at_kind = up.1;
        };
        while let Some(ou) = chain.pop() {
            path.push(ou.clone());
            self.0.insert(ou, path.clone());
        }
        Ok(path)
    }
}

/// Sorted by id, an account met twice (under two named OUs) kept once.
fn sorted_once(mut accounts: Vec<Member>) -> Vec<Member> {
    accounts.sort_by(|a, b| a.id.cmp(&b.id));
    accounts.dedup_by(|a, b| a.id == b.id);
    accounts
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn state_is_read_before_the_retired_status() {
        let s = |v| super::account_state(&v);
        assert_eq!(
            s(json!({"State": "SUSPENDED", "Status": "ACTIVE"})).as_deref(),
            Some("SUSPENDED")
        );
        assert_eq!(s(json!({"Status": "ACTIVE"})).as_deref(), Some("ACTIVE"));
        assert_eq!(
            s(json!({"State": "PENDING_ACTIVATION"})).as_deref(),
            Some("PENDING_ACTIVATION")
        );
        assert_eq!(s(json!({"Id": "1"})), None);
    }

    /// Organizations has one endpoint per partition: a run whose region is eu-west-1 still
    /// reaches us-east-1's (so `plan` works with whatever region the job has).
    #[test]
    fn the_endpoint_is_the_partition_s_one() {
        use aws_sdk_organizations::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};
        let params = Params::builder()
            .region("eu-west-1")
            .use_fips(false)
            .use_dual_stack(false)
            .build()
            .unwrap();
        let resolver = DefaultResolver::new();
        let resolved = resolver.resolve_endpoint(&params);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let endpoint = runtime.block_on(resolved).unwrap();
        assert_eq!(
            endpoint.url(),
            "https://organizations.us-east-1.amazonaws.com"
        );
    }

    #[test]
    fn the_partition_comes_from_the_organization_arn() {
        let p = |a| super::partition_of(a);
        assert_eq!(
            p("arn:aws-us-gov:organizations::1:organization/o-x").as_deref(),
            Some("aws-us-gov")
        );
        assert_eq!(p(""), None);
    }
}
