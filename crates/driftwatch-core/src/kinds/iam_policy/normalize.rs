//! Normalizer for `aws_iam_policy` (customer-managed). Input: a `ManagedPolicyDetail` of
//! `GetAccountAuthorizationDetails` (all versions, with `Tags` added), or our own output, which
//! holds only the default version's document as `PolicyDocument`.

use serde_json::{json, Value};

use crate::normalize::{clean, drop_default, map_fields, pairs_to_map, policy_document};

/// Assigned or counted by IAM. Which version is the default is an IAM detail: what matters is
/// the default version's document.
const READ_ONLY: &[&str] = &[
    "PolicyId",
    "Arn",
    "DefaultVersionId",
    "AttachmentCount",
    "PermissionsBoundaryUsageCount",
    "IsAttachable",
    "CreateDate",
    "UpdateDate",
    "PolicyVersionList",
];

pub fn normalize(doc: Value) -> Value {
    let Value::Object(mut m) = doc else {
        return doc;
    };
    if let Some(default) = default_version_document(&m) {
        m.insert("PolicyDocument".into(), default);
    }
    for field in READ_ONLY {
        m.remove(*field);
    }
    drop_default(&mut m, "Path", json!("/"));
    drop_default(&mut m, "Description", json!(""));
    Value::Object(map_fields(m, |field, v| match field {
        "PolicyDocument" => policy_document::normalize(v),
        "Tags" => pairs_to_map(v, "Key", "Value"),
        _ => clean(v),
    }))
}

/// The document of the version marked `IsDefaultVersion` (or named by `DefaultVersionId`).
fn default_version_document(m: &serde_json::Map<String, Value>) -> Option<Value> {
    let versions = m.get("PolicyVersionList")?.as_array()?;
    let default_id = m.get("DefaultVersionId");
    versions
        .iter()
        .find(|v| v.get("IsDefaultVersion") == Some(&json!(true)))
        .or_else(|| {
            versions
                .iter()
                .find(|v| default_id.is_some() && v.get("VersionId") == default_id)
        })
        .and_then(|v| v.get("Document").cloned())
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use serde_json::json;

    #[test]
    fn only_the_default_version_counts() {
        let p = json!({
            "PolicyName": "deploy", "PolicyId": "ANPA", "Arn": "arn:aws:iam::1:policy/deploy",
            "Path": "/", "DefaultVersionId": "v2", "AttachmentCount": 1, "IsAttachable": true,
            "PolicyVersionList": [
                {"VersionId": "v1", "IsDefaultVersion": false,
                 "Document": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}}},
                {"VersionId": "v2", "IsDefaultVersion": true,
                 "Document": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22ecs%3AUpdateService%22%2C%22Resource%22%3A%22*%22%7D%7D"}
            ]
        });
        let n = normalize(p);
        assert_eq!(
            n,
            json!({"PolicyName": "deploy", "PolicyDocument": {"Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": ["ecs:updateservice"], "Resource": ["*"]}]}})
        );
        assert_eq!(normalize(n.clone()), n);
    }
}
