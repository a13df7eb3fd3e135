//! Inline policies and policy attachments written as resources of their own, claimed on each
//! role they name. Pure.

use serde_json::{json, Value};

use super::schema::{POLICY_ATTACHMENT, ROLE_POLICY, ROLE_POLICY_ATTACHMENT};
use crate::kinds::{Claim, Edit, Related};
use crate::terraform::map::{attr, last_segment, text};

pub(super) const RELATED: &[Related] = &[
    Related {
        r#type: ROLE_POLICY,
        owner_field: "RoleName",
        claims: role_policy,
    },
    Related {
        r#type: ROLE_POLICY_ATTACHMENT,
        owner_field: "RoleName",
        claims: role_policy_attachment,
    },
    Related {
        r#type: POLICY_ATTACHMENT,
        owner_field: "RoleName",
        claims: policy_attachment,
    },
];

fn claim(owner: &str, field: &'static str, item: Value) -> Claim {
    Claim {
        owner: last_segment(owner).to_string(),
        field,
        edit: Edit::Push(vec![item]),
    }
}

fn role_policy(a: &Value) -> Vec<Claim> {
    let (Some(owner), Some(name)) = (text(a, "role"), text(a, "name")) else {
        return Vec::new();
    };
    let p = json!({"PolicyName": name, "PolicyDocument": attr(a, "policy")});
    vec![claim(owner, "RolePolicyList", p)]
}

fn role_policy_attachment(a: &Value) -> Vec<Claim> {
    let Some(owner) = text(a, "role") else {
        return Vec::new();
    };
    let p = json!({"PolicyArn": attr(a, "policy_arn")});
    vec![claim(owner, "AttachedManagedPolicies", p)]
}

/// The exclusive attachment: the policy is attached to exactly these roles (and users and
/// groups, which are not a kind we check). Each role gets the attachment.
fn policy_attachment(a: &Value) -> Vec<Claim> {
    a.get("roles")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|r| !r.is_empty())
        .map(|owner| {
            let p = json!({"PolicyArn": attr(a, "policy_arn")});
            claim(owner, "AttachedManagedPolicies", p)
        })
        .collect()
}
