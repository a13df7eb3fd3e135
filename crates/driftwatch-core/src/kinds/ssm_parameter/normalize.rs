//! Normalizer for `aws_ssm_parameter`. Input: an item of `DescribeParameters` (metadata only:
//! the API returns no value) with `Tags` added, as the API's JSON holds it; or our own output.
//! Pure.

use serde_json::{json, Map, Value};

use crate::normalize::{clean, drop_default, is_empty, map_fields, pairs_to_map};

/// The parameter's ARN, its value's version and who changed it when: observed, never set.
const READ_ONLY: &[&str] = &["ARN", "LastModifiedDate", "LastModifiedUser", "Version"];

pub fn normalize(doc: Value) -> Value {
    let Value::Object(mut m) = doc else {
        return doc;
    };
    for field in READ_ONLY {
        m.remove(*field);
    }
    drop_default(&mut m, "Tier", json!("Standard"));
    drop_default(&mut m, "DataType", json!("text"));
    key_only_for_secure_strings(&mut m);
    Value::Object(map_fields(m, |field, v| match field {
        "Tags" => pairs_to_map(v, "Key", "Value"),
        "Policies" => policies(v),
        _ => non_empty_text(clean(v)),
    }))
}

/// `KeyId` encrypts a `SecureString` only. Terraform may record a key on another type (and
/// `""` when there is none); AWS encrypts a `SecureString` created without one with
/// `alias/aws/ssm`, and `DescribeParameters` then names that alias.
fn key_only_for_secure_strings(m: &mut Map<String, Value>) {
    let secure = m.get("Type").and_then(Value::as_str) == Some("SecureString");
    let default = m
        .get("KeyId")
        .and_then(Value::as_str)
        .is_some_and(|k| k.is_empty() || k == "alias/aws/ssm" || k.ends_with(":alias/aws/ssm"));
    if !secure || default {
        m.remove("KeyId");
    }
}

/// Parameter policies (expiration, notification; Advanced tier) with the status AWS observes
/// left out and each policy's JSON text parsed; none is the empty list AWS returns.
fn policies(v: Value) -> Value {
    let Value::Array(items) = v else { return v };
    Value::Array(
        items
            .into_iter()
            .map(|p| match p {
                Value::Object(mut p) => {
                    p.remove("PolicyStatus");
                    if let Some(Value::String(text)) = p.get("PolicyText") {
                        if let Ok(parsed) = serde_json::from_str::<Value>(text) {
                            p.insert("PolicyText".into(), parsed);
                        }
                    }
                    Value::Object(p)
                }
                other => other,
            })
            .filter(|p| !is_empty(p))
            .collect(),
    )
}

/// `""` (Terraform's unset string) is no value.
fn non_empty_text(v: Value) -> Value {
    match v {
        Value::String(s) if s.is_empty() => Value::Null,
        v => v,
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use serde_json::json;

    /// A `DescribeParameters` item as AWS returns it (JSON protocol), tags added by the fetch.
    fn aws_shaped() -> serde_json::Value {
        json!({
            "Name": "/app/db/password", "ARN": "arn:aws:ssm:us-east-1:123456789012:parameter/app/db/password",
            "Type": "SecureString", "KeyId": "alias/aws/ssm", "Tier": "Standard",
            "DataType": "text", "Version": 7, "LastModifiedDate": 1.7e9,
            "LastModifiedUser": "arn:aws:iam::123456789012:user/ops", "Policies": [],
            "Description": "", "Tags": [{"Key": "team", "Value": "core"}]
        })
    }

    #[test]
    fn canonical_parameter_keeps_settings_and_drops_defaults() {
        assert_eq!(
            normalize(aws_shaped()),
            json!({"Name": "/app/db/password", "Type": "SecureString", "Tags": {"team": "core"}})
        );
    }

    #[test]
    fn idempotent_and_non_defaults_are_kept() {
        let mut p = aws_shaped();
        p["KeyId"] = json!("arn:aws:kms:us-east-1:123456789012:key/1111");
        p["Tier"] = json!("Advanced");
        p["DataType"] = json!("aws:ec2:image");
        p["AllowedPattern"] = json!("^ami-");
        p["Policies"] = json!([{"PolicyText": "{\"Type\":\"Expiration\",\"Version\":\"1.0\"}",
            "PolicyType": "Expiration", "PolicyStatus": "Pending"}]);
        let once = normalize(p);
        assert_eq!(normalize(once.clone()), once);
        assert_eq!(once["Tier"], "Advanced");
        assert_eq!(once["DataType"], "aws:ec2:image");
        assert_eq!(once["KeyId"], "arn:aws:kms:us-east-1:123456789012:key/1111");
        assert_eq!(
            once["Policies"],
            json!([{"PolicyText": {"Type": "Expiration", "Version": "1.0"},
                "PolicyType": "Expiration"}])
        );
    }

    #[test]
    fn a_key_on_a_plain_string_is_no_setting() {
        let n = normalize(json!({"Name": "x", "Type": "String", "KeyId": "alias/custom"}));
        assert_eq!(n, json!({"Name": "x", "Type": "String"}));
    }
}
