//! `aws_iam_role` from a Terraform state, in the shape of `GetAccountAuthorizationDetails`.
//! Pure.

use serde_json::{json, Value};

use crate::terraform::map::{attr, blocks, tags, text};

pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
    let name = text(a, "name")?.to_string();
    // Provider ≥ 3.38 records inline policies and attached ARNs on the role itself.
    let inline: Vec<Value> = blocks(a, "inline_policy")
        .iter()
        .filter_map(|p| {
            let n = text(p, "name")?;
            Some(json!({"PolicyName": n, "PolicyDocument": attr(p, "policy")}))
        })
        .collect();
    let attached: Vec<Value> = a
        .get("managed_policy_arns")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|arn| json!({"PolicyArn": arn}))
        .collect();
    let doc = json!({
        "RoleName": name,
        "Path": attr(a, "path"),
        "Description": attr(a, "description"),
        "MaxSessionDuration": attr(a, "max_session_duration"),
        "PermissionsBoundary": attr(a, "permissions_boundary"),
        "AssumeRolePolicyDocument": attr(a, "assume_role_policy"),
        "RolePolicyList": inline,
        "AttachedManagedPolicies": attached,
        "Tags": tags(a),
    });
    Some((name, doc))
}
