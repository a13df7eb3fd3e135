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

/// Parallel `ListPolicyTags` calls; IAM's request rate is account-wide and low.
const CONCURRENCY: usize = 4;

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

/// `(name, document)` of roles and of policies, each sorted by name.
pub type RolesAndPolicies = (Vec<(String, Value)>, Vec<(String, Value)>);

pub async fn roles_and_policies(
    client: &Client,
    want: Want,
) -> Result<RolesAndPolicies, FetchError> {
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
    let mut role_details = Vec::new();
    let mut policy_details = Vec::new();
    let mut pages = req.into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| explain("iam:GetAccountAuthorizationDetails", &e))?;
        role_details.extend(page.role_detail_list().iter().cloned());
        policy_details.extend(page.policies().iter().cloned());
    }

    let mut roles = Vec::new();
    if want.roles {
        let extra = role_descriptions(client).await?;
        for r in &role_details {
            let (Some(name), path) = (r.role_name(), r.path().unwrap_or("/")) else {
                continue;
            };
            if path.starts_with(SERVICE_LINKED_PATH) && !want.aws_managed {
                continue;
            }
            roles.push((name.to_string(), role_document(r, extra.get(name))));
        }
    }

    let policies: Vec<(String, Value)> = futures::stream::iter(policy_details)
        .map(|p| async move {
            let arn = p.arn().unwrap_or_default().to_string();
            let tags = policy_tags(client, &arn).await?;
            Ok::<_, FetchError>((policy_name(&p), policy_document(&p, tags)))
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    let mut policies = policies;
    roles.sort_by(|a, b| a.0.cmp(&b.0));
    policies.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((roles, policies))
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
        .buffer_unordered(CONCURRENCY)
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
