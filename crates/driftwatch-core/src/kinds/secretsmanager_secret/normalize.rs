//! Normalizer for `aws_secretsmanager_secret`. Input: an entry of `ListSecrets` (with
//! `IncludePlannedDeletion`) plus `ResourcePolicy` from `GetResourcePolicy`, as the API's JSON
//! holds them; or our own output. A secret's value is never part of it. Pure.

use serde_json::{json, Map, Value};

use crate::normalize::{clean, drop_default, is_empty, map_fields, pairs_to_map, policy_document};

/// The secret's own ARN, timestamps AWS records, the version ids of its values and where a
/// replica's primary is: observed, never set. `VersionIdsToStages` is `DescribeSecret`'s name
/// for the version ids, which moto also puts in `ListSecrets` entries.
const READ_ONLY: &[&str] = &[
    "ARN",
    "CreatedDate",
    "LastAccessedDate",
    "LastChangedDate",
    "LastRotatedDate",
    "NextRotationDate",
    "PrimaryRegion",
    "SecretVersionsToStages",
    "VersionIdsToStages",
];

pub fn normalize(doc: Value) -> Value {
    let Value::Object(mut m) = doc else {
        return doc;
    };
    for field in READ_ONLY {
        m.remove(*field);
    }
    drop_default(&mut m, "Description", json!(""));
    drop_default(&mut m, "RotationEnabled", json!(false));
    if m.get("KmsKeyId").is_some_and(is_default_key) {
        m.remove("KmsKeyId");
    }
    Value::Object(map_fields(m, |field, v| match field {
        "RotationRules" => rotation_rules(v),
        "ResourcePolicy" => policy_document::normalize(v),
        "Tags" => pairs_to_map(v, "Key", "Value"),
        "DeletedDate" => crate::normalize::timestamp::rfc3339(v),
        _ => non_empty_text(clean(v)),
    }))
}

/// The AWS-managed key of Secrets Manager, by alias or alias ARN: what a secret created without
/// `KmsKeyId` uses (and `ListSecrets` then leaves the field out).
fn is_default_key(v: &Value) -> bool {
    v.as_str().is_some_and(|k| {
        k.is_empty() || k == "alias/aws/secretsmanager" || k.ends_with(":alias/aws/secretsmanager")
    })
}

/// `""` (Terraform's unset string) is no value.
fn non_empty_text(v: Value) -> Value {
    match v {
        Value::String(s) if s.is_empty() => Value::Null,
        v => v,
    }
}

/// `RotationRules` with what says nothing left out: a `0` day count or `""` (Terraform's unset
/// `rotation_rules` members), and the day count AWS derives from a `rate(N days)` schedule
/// (see [`days_derived_from_schedule`]).
fn rotation_rules(v: Value) -> Value {
    let Value::Object(rules) = v else {
        return v;
    };
    let mut out: Map<String, Value> = rules
        .into_iter()
        .map(|(k, v)| (k, non_empty_text(number(v))))
        .filter(|(k, v)| !(is_empty(v) || k == "AutomaticallyAfterDays" && v == &json!(0)))
        .collect();
    days_derived_from_schedule(&mut out);
    Value::Object(out)
}

/// With a `ScheduleExpression`, AWS may also return `AutomaticallyAfterDays` (the interval it
/// works out from the schedule), while the AWS provider records the day count only when there
/// is no schedule: the schedule is the setting, the day count is derived from it.
fn days_derived_from_schedule(rules: &mut Map<String, Value>) {
    if rules.contains_key("ScheduleExpression") {
        rules.remove("AutomaticallyAfterDays");
    }
}

/// A day count a legacy state or a hand-written file holds as text.
fn number(v: Value) -> Value {
    match v.as_str().and_then(|s| s.trim().parse::<u64>().ok()) {
        Some(n) => json!(n),
        None => v,
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use serde_json::json;

    /// A `ListSecrets` entry as AWS returns it (JSON protocol: timestamps are epoch seconds),
    /// with `ResourcePolicy` added as the fetch adds it from `GetResourcePolicy`.
    fn aws_shaped() -> serde_json::Value {
        json!({
            "ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-url-AbCdEf",
            "Name": "db-url", "Description": "",
            "KmsKeyId": "alias/aws/secretsmanager",
            "RotationEnabled": true,
            "RotationLambdaARN": "arn:aws:lambda:us-east-1:123456789012:function:rotate",
            "RotationRules": {"AutomaticallyAfterDays": 30, "ScheduleExpression": "rate(30 days)",
                "Duration": "2h"},
            "LastRotatedDate": 1.7e9, "LastChangedDate": 1.7e9, "LastAccessedDate": 1.7e9,
            "NextRotationDate": 1.7e9, "CreatedDate": 1.6e9, "PrimaryRegion": "us-east-1",
            "Tags": [{"Key": "team", "Value": "core"}],
            "SecretVersionsToStages": {"f10c86ef": ["AWSCURRENT"]},
            "ResourcePolicy": "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"123456789012\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}}"
        })
    }

    #[test]
    fn canonical_secret() {
        assert_eq!(
            normalize(aws_shaped()),
            json!({
                "Name": "db-url",
                "RotationEnabled": true,
                "RotationLambdaARN": "arn:aws:lambda:us-east-1:123456789012:function:rotate",
                "RotationRules": {"ScheduleExpression": "rate(30 days)", "Duration": "2h"},
                "ResourcePolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Principal": {"AWS": ["arn:aws:iam::123456789012:root"]},
                    "Action": ["secretsmanager:getsecretvalue"], "Resource": ["*"]}]},
                "Tags": {"team": "core"}
            })
        );
    }

    #[test]
    fn idempotent() {
        let once = normalize(aws_shaped());
        assert_eq!(normalize(once.clone()), once);
        let mut deleted = aws_shaped();
        deleted["DeletedDate"] = json!(1765604668.488);
        let once = normalize(deleted);
        assert_eq!(normalize(once.clone()), once);
    }

    #[test]
    fn a_secret_scheduled_for_deletion_keeps_its_date_as_rfc3339() {
        let mut s = aws_shaped();
        s["DeletedDate"] = json!(1765604668.488);
        assert_eq!(normalize(s)["DeletedDate"], "2025-12-13T05:44:28Z");
    }

    #[test]
    fn defaults_say_nothing() {
        let minimal = json!({"Name": "db-url"});
        let defaulted = json!({"Name": "db-url", "Description": "", "RotationEnabled": false,
            "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:alias/aws/secretsmanager",
            "RotationRules": {"AutomaticallyAfterDays": 0, "ScheduleExpression": "", "Duration": ""},
            "RotationLambdaARN": "", "Tags": []});
        assert_eq!(normalize(defaulted), normalize(minimal));
    }

    #[test]
    fn a_customer_key_and_the_owning_service_are_kept() {
        let n = normalize(json!({"Name": "rds!db-1", "OwningService": "rds",
            "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1111"}));
        assert_eq!(n["OwningService"], "rds");
        assert_eq!(n["KmsKeyId"], "arn:aws:kms:us-east-1:123456789012:key/1111");
    }
}
