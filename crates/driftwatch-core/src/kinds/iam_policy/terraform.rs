//! `aws_iam_policy` from a Terraform state, in the shape of `GetAccountAuthorizationDetails`.
//! Pure.

use serde_json::{json, Value};

use crate::terraform::map::{attr, tags, text};

pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
    let name = text(a, "name")?.to_string();
    let doc = json!({
        "PolicyName": name,
        "Path": attr(a, "path"),
        "Description": attr(a, "description"),
        "PolicyDocument": attr(a, "policy"),
        "Tags": tags(a),
    });
    Some((name, doc))
}
