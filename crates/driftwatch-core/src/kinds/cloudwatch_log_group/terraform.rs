//! `aws_cloudwatch_log_group` from a Terraform state, in the shape of `DescribeLogGroups`.
//! Pure.

use serde_json::{json, Value};

use crate::terraform::map::{attr, tags, text};

/// `retention_in_days = 0` (never expires) and `kms_key_id = ""` are what the normalizer
/// drops as none; they need no translation here.
pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
    let name = text(a, "name").or_else(|| text(a, "id"))?.to_string();
    let doc = json!({
        "logGroupName": name,
        "retentionInDays": attr(a, "retention_in_days"),
        "kmsKeyId": attr(a, "kms_key_id"),
        "logGroupClass": attr(a, "log_group_class"),
        "tags": tags(a),
    });
    Some((name, doc))
}

#[cfg(test)]
mod tests {
    use super::from_terraform;
    use crate::kinds::cloudwatch_log_group::normalize::normalize;
    use serde_json::json;

    #[test]
    fn a_group_at_the_defaults_maps_to_its_name_alone() {
        let a = json!({"name": "/ecs/backend", "id": "/ecs/backend", "name_prefix": "",
            "arn": "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/backend",
            "retention_in_days": 0, "kms_key_id": "", "log_group_class": "STANDARD",
            "skip_destroy": false, "tags": {}, "tags_all": {}});
        let (id, doc) = from_terraform(&a).unwrap();
        assert_eq!(id, "/ecs/backend");
        assert_eq!(normalize(doc), json!({"logGroupName": "/ecs/backend"}));
    }

    #[test]
    fn settings_compare_equal_to_what_aws_reports() {
        let a = json!({"name": "/ecs/backend", "retention_in_days": 30,
            "kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/k",
            "log_group_class": "INFREQUENT_ACCESS", "tags": {"app": "x"},
            "tags_all": {"app": "x", "env": "prod"}});
        let (_, doc) = from_terraform(&a).unwrap();
        let live = json!({"logGroupName": "/ecs/backend", "retentionInDays": 30,
            "arn": "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/backend:*",
            "kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/k",
            "logGroupClass": "INFREQUENT_ACCESS", "tags": {"app": "x", "env": "prod"}});
        assert_eq!(normalize(doc), normalize(live));
    }

    /// A state that holds only the name (a provider older than the attributes, or a
    /// hand-trimmed one) cannot speak for the retention, key or class.
    #[test]
    fn what_an_older_state_does_not_hold_is_unknown() {
        let state = json!({"version": 4, "resources": [{"mode": "managed",
            "type": "aws_cloudwatch_log_group", "name": "b", "instances": [{"attributes": {
                "name": "/ecs/backend", "retention_in_days": 7}}]}]});
        let m = crate::terraform::map::map(crate::terraform::state::parse(state).unwrap()).unwrap();
        let g = &m.resources[0];
        assert_eq!(g.id, "/ecs/backend");
        assert_eq!(g.scope.unknown, ["/kmsKeyId", "/logGroupClass", "/tags"]);
        assert_eq!(normalize(g.document.clone())["retentionInDays"], 7);
    }
}
