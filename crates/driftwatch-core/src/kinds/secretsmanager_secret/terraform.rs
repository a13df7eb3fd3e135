//! `aws_secretsmanager_secret` from a Terraform state, in the shape of a `ListSecrets` entry.
//! A secret's value is never in it: that is `aws_secretsmanager_secret_version`'s, whose
//! `secret_string` and `secret_binary` are dropped when the state is read. Pure.

use serde_json::{json, Map, Value};

use crate::terraform::map::{attr, block, tags, text};

/// The secret name in a secret's ARN (`arn:aws:secretsmanager:R:A:secret:NAME-AbCdEf`): the
/// last `-` and the six characters AWS appends are not part of the name. Anything that is not
/// an ARN is the name already (`secret_id` may hold either).
pub(crate) fn secret_name(id: &str) -> &str {
    let Some((_, resource)) = id
        .strip_prefix("arn:")
        .and_then(|rest| rest.split_once(":secret:"))
    else {
        return id;
    };
    match resource.rsplit_once('-') {
        Some((name, suffix))
            if !name.is_empty()
                && suffix.len() == 6
                && suffix.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            name
        }
        _ => resource,
    }
}

/// A `rotation_rules` block in the API's spelling.
pub(crate) fn rotation_rules(a: &Value) -> Value {
    let Some(r) = block(a, "rotation_rules") else {
        return Value::Null;
    };
    json!({
        "AutomaticallyAfterDays": attr(&r, "automatically_after_days"),
        "Duration": attr(&r, "duration"),
        "ScheduleExpression": attr(&r, "schedule_expression"),
    })
}

pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
    let name = text(a, "name")
        .or_else(|| text(a, "arn").map(secret_name))
        .or_else(|| text(a, "id").map(secret_name))?
        .to_string();
    let mut doc = Map::new();
    doc.insert("Name".into(), Value::from(name.clone()));
    for (field, attribute) in [
        ("Description", "description"),
        ("KmsKeyId", "kms_key_id"),
        ("ResourcePolicy", "policy"),
        // Provider 3.x and 4.x only; 5.x has them on aws_secretsmanager_secret_rotation.
        ("RotationEnabled", "rotation_enabled"),
        ("RotationLambdaARN", "rotation_lambda_arn"),
    ] {
        doc.insert(field.into(), attr(a, attribute));
    }
    doc.insert("RotationRules".into(), rotation_rules(a));
    doc.insert("Tags".into(), tags(a));
    Some((name, Value::Object(doc)))
}

#[cfg(test)]
mod tests {
    use super::{from_terraform, secret_name};
    use crate::kinds::secretsmanager_secret::normalize::normalize;
    use serde_json::json;

    #[test]
    fn the_name_in_an_arn_loses_the_suffix_aws_added() {
        let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-url-AbCdEf";
        assert_eq!(secret_name(arn), "prod/db-url");
        assert_eq!(secret_name("db-url"), "db-url");
        // A partial ARN (no suffix) names the secret whole.
        assert_eq!(
            secret_name("arn:aws:secretsmanager:us-east-1:1:secret:db-url"),
            "db-url"
        );
    }

    /// A provider 4.x state of a rotated secret with a policy compares equal to what AWS
    /// returns for it (`normalize`'s tests hold the AWS shape).
    #[test]
    fn a_provider_4_secret_maps_to_the_canonical_document() {
        let a = json!({
            "arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-url-AbCdEf",
            "id": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-url-AbCdEf",
            "name": "db-url", "name_prefix": "", "description": "", "kms_key_id": "",
            "policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}",
            "recovery_window_in_days": 30, "force_overwrite_replica_secret": false,
            "replica": [], "rotation_enabled": true,
            "rotation_lambda_arn": "arn:aws:lambda:us-east-1:123456789012:function:rotate",
            "rotation_rules": [{"automatically_after_days": 30}],
            "tags": {"team": "core"}, "tags_all": {"team": "core"}
        });
        let (id, doc) = from_terraform(&a).unwrap();
        assert_eq!(id, "db-url");
        let aws = json!({
            "ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-url-AbCdEf",
            "Name": "db-url", "RotationEnabled": true,
            "RotationLambdaARN": "arn:aws:lambda:us-east-1:123456789012:function:rotate",
            "RotationRules": {"AutomaticallyAfterDays": 30},
            "Tags": [{"Key": "team", "Value": "core"}], "CreatedDate": 1.6e9,
            "ResourcePolicy": "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"123456789012\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}}"
        });
        assert_eq!(normalize(doc), normalize(aws));
    }
}
