//! Normalizer for `aws_iam_role`. Input: a role in the shape of `GetAccountAuthorizationDetails`'
//! `RoleDetailList` items (plus `Description` and `MaxSessionDuration` from `ListRoles`), or our
//! own canonical output. Everything that decides what the role can do and who can assume it.

use serde_json::{json, Map, Value};

use crate::normalize::{clean, drop_default, map_fields, pairs_to_map, policy_document, sort_set};

/// Assigned by IAM or observed, never set by a user.
const READ_ONLY: &[&str] = &[
    "RoleId",
    "Arn",
    "CreateDate",
    "RoleLastUsed",
    "InstanceProfileList",
];

pub fn normalize(doc: Value) -> Value {
    let Value::Object(mut m) = doc else {
        return doc;
    };
    for field in READ_ONLY {
        m.remove(*field);
    }
    // Defaults IAM applies when a role is created without them.
    drop_default(&mut m, "Path", json!("/"));
    drop_default(&mut m, "MaxSessionDuration", json!(3600));
    drop_default(&mut m, "Description", json!(""));
    Value::Object(map_fields(m, |field, v| match field {
        "AssumeRolePolicyDocument" => policy_document::normalize(v),
        "RolePolicyList" => inline_policies(v),
        "AttachedManagedPolicies" => attached_arns(v),
        "PermissionsBoundary" => permissions_boundary(v),
        "Tags" => pairs_to_map(v, "Key", "Value"),
        _ => clean(v),
    }))
}

/// `[{"PolicyName", "PolicyDocument"}]` → `{name: document}`.
pub(crate) fn inline_policies(v: Value) -> Value {
    match pairs_to_map(v, "PolicyName", "PolicyDocument") {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(name, doc)| (name, policy_document::normalize(doc)))
                .collect::<Map<_, _>>(),
        ),
        other => other,
    }
}

/// Attached managed policies as a sorted set of ARNs: the ARN names the policy exactly (an
/// AWS-managed and a customer policy can share a name).
pub(crate) fn attached_arns(v: Value) -> Value {
    let Value::Array(items) = v else { return v };
    sort_set(Value::Array(
        items
            .into_iter()
            .map(|i| match i.get("PolicyArn") {
                Some(arn) => arn.clone(),
                None => i,
            })
            .collect(),
    ))
}

/// `{"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}` → `arn`: the type is
/// always `Policy`.
fn permissions_boundary(v: Value) -> Value {
    match v.get("PermissionsBoundaryArn") {
        Some(arn) => arn.clone(),
        None => v,
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use serde_json::json;

    /// A `RoleDetailList` item as AWS returns it (documents URL-encoded).
    fn aws_shaped() -> serde_json::Value {
        json!({
            "Path": "/", "RoleName": "app-task", "RoleId": "AROAEXAMPLE",
            "Arn": "arn:aws:iam::123456789012:role/app-task", "CreateDate": "2024-01-01T00:00:00Z",
            "AssumeRolePolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ecs-tasks.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D",
            "InstanceProfileList": [],
            "RolePolicyList": [{"PolicyName": "sqs", "PolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22sqs%3ASendMessage%22%2C%22Resource%22%3A%22*%22%7D%7D"}],
            "AttachedManagedPolicies": [
                {"PolicyName": "B", "PolicyArn": "arn:aws:iam::aws:policy/B"},
                {"PolicyName": "A", "PolicyArn": "arn:aws:iam::aws:policy/A"}],
            "Tags": [{"Key": "team", "Value": "core"}],
            "RoleLastUsed": {"LastUsedDate": "2024-06-01T00:00:00Z", "Region": "us-east-1"},
            "MaxSessionDuration": 3600
        })
    }

    #[test]
    fn canonical_role_keeps_what_decides_access() {
        assert_eq!(
            normalize(aws_shaped()),
            json!({
                "RoleName": "app-task",
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Principal": {"Service": ["ecs-tasks.amazonaws.com"]}, "Action": ["sts:assumerole"]}]},
                "RolePolicyList": {"sqs": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Action": ["sqs:sendmessage"], "Resource": ["*"]}]}},
                "AttachedManagedPolicies": ["arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B"],
                "Tags": {"team": "core"}
            })
        );
    }

    #[test]
    fn idempotent() {
        let once = normalize(aws_shaped());
        assert_eq!(normalize(once.clone()), once);
    }

    #[test]
    fn boundary_and_non_default_session_are_kept() {
        let mut r = aws_shaped();
        r["MaxSessionDuration"] = json!(7200);
        r["Path"] = json!("/ci/");
        r["PermissionsBoundary"] = json!({"PermissionsBoundaryType": "Policy",
            "PermissionsBoundaryArn": "arn:aws:iam::123456789012:policy/boundary"});
        let n = normalize(r);
        assert_eq!(n["MaxSessionDuration"], 7200);
        assert_eq!(n["Path"], "/ci/");
        assert_eq!(
            n["PermissionsBoundary"],
            "arn:aws:iam::123456789012:policy/boundary"
        );
    }
}
