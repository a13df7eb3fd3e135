//! Normalizer for `aws_db_parameter_group`. Input: a `DescribeDBParameterGroups` item with
//! `Parameters` (`DescribeDBParameters` with `Source=user`) and `TagList` beside its fields, or
//! our own output. Pure and idempotent.
//!
//! Canonical: `DBParameterGroupFamily`, `Description`, `Parameters` keyed by name, each
//! `{ParameterValue}`, and `Tags`. The name and ARN are identity. How a parameter is applied
//! is not compared: a static parameter reports `pending-reboot` where Terraform's
//! `apply_method` defaults to `immediate`, and neither is a setting of the group.

use serde_json::{json, Map, Value};

use crate::normalize::{clean, is_empty, pairs_to_map};

pub fn normalize(doc: Value) -> Value {
    let Value::Object(m) = doc else {
        return doc;
    };
    let tags = match (m.get("Tags"), m.get("TagList")) {
        (Some(t), _) | (None, Some(t)) => pairs_to_map(t.clone(), "Key", "Value"),
        _ => Value::Null,
    };
    let out = json!({
        "DBParameterGroupFamily": m.get("DBParameterGroupFamily"),
        "Description": m.get("Description"),
        "Parameters": m.get("Parameters").map(parameters),
        "Tags": tags,
    });
    let Value::Object(out) = out else {
        unreachable!("json! of an object")
    };
    Value::Object(
        out.into_iter()
            .map(|(k, v)| (k, clean(v)))
            .filter(|(_, v)| !is_empty(v))
            .collect(),
    )
}

/// `[{ParameterName, ParameterValue, Source, ApplyMethod, ApplyType, DataType, …}]` → `{name:
/// {ParameterValue}}`: only those the user set (a list of every parameter, with the family's
/// defaults, keeps only `Source: user`), without how they apply or what AWS says about them.
fn parameters(v: &Value) -> Value {
    let mut out = Map::new();
    match v {
        Value::Array(items) => {
            for p in items {
                let user = p
                    .get("Source")
                    .and_then(Value::as_str)
                    .is_none_or(|s| s == "user");
                if let (Some(name), true) = (p.get("ParameterName").and_then(Value::as_str), user) {
                    out.insert(name.into(), value_of(p));
                }
            }
        }
        Value::Object(m) => {
            for (name, p) in m {
                out.insert(name.clone(), value_of(p));
            }
        }
        _ => {}
    }
    Value::Object(out)
}

fn value_of(p: &Value) -> Value {
    json!({"ParameterValue": p.get("ParameterValue").cloned().unwrap_or(Value::Null)})
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::normalize;
    use crate::kinds::db_parameter_group::terraform::from_terraform;

    /// `DescribeDBParameterGroups` and `DescribeDBParameters` as AWS answers them (a static
    /// parameter `pending-reboot`), a minimal golden file and a provider 5.x/6.x state.
    #[test]
    fn aws_a_golden_file_and_a_state_compare_equal() {
        let aws = json!({
            "DBParameterGroupName": "app-pg16", "DBParameterGroupFamily": "postgres16",
            "Description": "Managed by Terraform",
            "DBParameterGroupArn": "arn:aws:rds:us-east-1:123456789012:pg:app-pg16",
            "Parameters": [
                {"ParameterName": "shared_preload_libraries", "ParameterValue": "pg_stat_statements",
                 "Description": "Sets which shared libraries are preloaded at server start.",
                 "Source": "user", "ApplyType": "static", "DataType": "list",
                 "IsModifiable": true, "ApplyMethod": "pending-reboot"},
                {"ParameterName": "log_min_duration_statement", "ParameterValue": "500",
                 "Source": "user", "ApplyType": "dynamic", "DataType": "integer",
                 "AllowedValues": "-1-2147483647", "IsModifiable": true,
                 "ApplyMethod": "immediate"},
                {"ParameterName": "work_mem", "ParameterValue": "4096", "Source": "engine-default"}],
            "TagList": [{"Key": "team", "Value": "core"}]
        });
        let minimal = json!({"DBParameterGroupFamily": "postgres16",
            "Description": "Managed by Terraform",
            "Parameters": {"log_min_duration_statement": {"ParameterValue": "500"},
                "shared_preload_libraries": {"ParameterValue": "pg_stat_statements"}},
            "Tags": {"team": "core"}});
        let live = normalize(aws);
        assert_eq!(live, normalize(minimal.clone()));
        assert_eq!(normalize(live.clone()), live);
        let state = json!({"id": "app-pg16", "name": "app-pg16", "family": "postgres16",
            "description": "Managed by Terraform", "name_prefix": "", "skip_destroy": false,
            "parameter": [
                {"name": "log_min_duration_statement", "value": "500", "apply_method": "immediate"},
                {"name": "shared_preload_libraries", "value": "pg_stat_statements",
                 "apply_method": "immediate"}],
            "tags": {"team": "core"}, "tags_all": {"team": "core"}});
        let (id, doc) = from_terraform(&state).unwrap();
        assert_eq!((id.as_str(), normalize(doc)), ("app-pg16", live));
    }
}
