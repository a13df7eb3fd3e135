//! Normalizer for `aws_cloudwatch_log_group`. Input: a `DescribeLogGroups` item with `tags`
//! (an object), or our own output. Pure.

use serde_json::{json, Value};

use crate::normalize::{clean, drop_default, map_fields};

/// Assigned or observed by CloudWatch Logs, never set.
const READ_ONLY: &[&str] = &[
    "arn",
    "logGroupArn",
    "creationTime",
    "storedBytes",
    "metricFilterCount",
    "dataProtectionStatus",
    "inheritedProperties",
];

/// Settings `DescribeLogGroups` reports that driftwatch does not compare (yet): the fetch does
/// not read them, so a golden file copied from `aws logs describe-log-groups` must not hold
/// them either.
const NOT_COMPARED: &[&str] = &[
    "deletionProtectionEnabled",
    "bearerTokenAuthenticationEnabled",
    "retentionPolicyName",
];

pub fn normalize(doc: Value) -> Value {
    let Value::Object(mut m) = doc else {
        return doc;
    };
    for field in READ_ONLY.iter().chain(NOT_COMPARED) {
        m.remove(*field);
    }
    if let Some(r) = m.remove("retentionInDays") {
        m.insert("retentionInDays".into(), retention(r));
    }
    // Defaults: a group created without them has the STANDARD class and no KMS key.
    drop_default(&mut m, "logGroupClass", json!("STANDARD"));
    drop_default(&mut m, "kmsKeyId", json!(""));
    Value::Object(map_fields(m, |_, v| clean(v)))
}

/// Days as a number; 0 (Terraform's "never expires") is none, as AWS reports it by leaving the
/// field out.
fn retention(v: Value) -> Value {
    let n = match &v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    match n {
        Some(0) => Value::Null,
        Some(n) => json!(n),
        None => v,
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use serde_json::json;

    /// A `DescribeLogGroups` item as AWS returns it (its `arn` ends in `:*`), with tags.
    fn aws_shaped() -> serde_json::Value {
        json!({
            "logGroupName": "/ecs/backend", "creationTime": 1700000000000_u64,
            "retentionInDays": 30, "metricFilterCount": 0,
            "arn": "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/backend:*",
            "logGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/backend",
            "storedBytes": 123456, "logGroupClass": "STANDARD",
            "dataProtectionStatus": "ACTIVATED", "inheritedProperties": ["ACCOUNT_DATA_PROTECTION"],
            "deletionProtectionEnabled": false,
            "tags": {"app": "backend"}
        })
    }

    #[test]
    fn canonical_log_group() {
        assert_eq!(
            normalize(aws_shaped()),
            json!({"logGroupName": "/ecs/backend", "retentionInDays": 30,
                   "tags": {"app": "backend"}})
        );
    }

    #[test]
    fn idempotent() {
        let once = normalize(aws_shaped());
        assert_eq!(normalize(once.clone()), once);
    }

    /// AWS leaves `retentionInDays` and `kmsKeyId` out when unset and reports the STANDARD
    /// class; moto leaves the class out too. All equal the minimal document.
    #[test]
    fn aws_defaults_are_not_drift() {
        let minimal = json!({"logGroupName": "/ecs/backend"});
        for doc in [
            json!({"logGroupName": "/ecs/backend", "logGroupClass": "STANDARD", "storedBytes": 0,
                   "arn": "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/backend:*", "tags": {}}),
            json!({"logGroupName": "/ecs/backend", "retentionInDays": 0, "kmsKeyId": ""}),
            json!({"logGroupName": "/ecs/backend", "retentionInDays": "0"}),
        ] {
            assert_eq!(normalize(doc), minimal);
        }
    }

    #[test]
    fn a_key_a_class_and_a_quoted_retention_are_kept() {
        let n = normalize(json!({"logGroupName": "g", "retentionInDays": "7",
            "kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/k",
            "logGroupClass": "INFREQUENT_ACCESS"}));
        assert_eq!(n["retentionInDays"], 7);
        assert_eq!(n["kmsKeyId"], "arn:aws:kms:us-east-1:123456789012:key/k");
        assert_eq!(n["logGroupClass"], "INFREQUENT_ACCESS");
    }
}
