//! IAM roles, from the account-authorization walk both IAM kinds share (`aws::iam`), with
//! `ListRoles` for the two fields the walk lacks (description, max session duration).

use std::collections::BTreeMap;

use aws_sdk_iam::types::RoleDetail;
use aws_sdk_iam::Client;
use futures::future::BoxFuture;
use futures::FutureExt;
use serde_json::{json, Value};

use crate::aws::iam::{tags_json, Named};
use crate::aws::pages;
use crate::aws::Context;
use crate::error::FetchError;
use crate::kinds::Docs;

/// Service-linked roles are created and changed by AWS services, not by users.
const SERVICE_LINKED_PATH: &str = "/aws-service-role/";

/// The roles' half of the run's IAM walk.
pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    async move { ctx.iam_walk().roles().await }.boxed()
}

/// The roles of `details` as documents, service-linked ones left out unless wanted.
pub(crate) fn documents(
    details: &[RoleDetail],
    descriptions: &BTreeMap<String, Value>,
    aws_managed: bool,
) -> Named {
    let mut roles = Vec::new();
    for r in details {
        let (Some(name), path) = (r.role_name(), r.path().unwrap_or("/")) else {
            continue;
        };
        if path.starts_with(SERVICE_LINKED_PATH) && !aws_managed {
            continue;
        }
        roles.push((name.to_string(), role_document(r, descriptions.get(name))));
    }
    roles.sort_by(|a, b| a.0.cmp(&b.0));
    roles
}

/// `Description` and `MaxSessionDuration` by role name, from `ListRoles` (1,000 roles a call).
pub(crate) async fn descriptions(client: &Client) -> Result<BTreeMap<String, Value>, FetchError> {
    let roles: Vec<aws_sdk_iam::types::Role> = pages::list(
        "iam:ListRoles",
        client.list_roles().max_items(1000).into_paginator().send(),
        |p| p.marker(),
        |p| Some(p.roles),
    )
    .await?;
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
