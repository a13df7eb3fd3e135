//! `aws_db_parameter_group` from a Terraform state (provider 3.x to 6.x), in the canonical
//! shape the normalizer also accepts. Pure.

use serde_json::{json, Map, Value};

use crate::terraform::map::{attr, blocks, tags, text};

pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
    let name = text(a, "name").or_else(|| text(a, "id"))?.to_string();
    let parameters: Map<String, Value> = blocks(a, "parameter")
        .iter()
        .filter_map(|p| {
            let value = json!({"ParameterValue": attr(p, "value")});
            Some((text(p, "name")?.to_string(), value))
        })
        .collect();
    let doc = json!({
        "DBParameterGroupFamily": attr(a, "family"),
        "Description": attr(a, "description"),
        "Parameters": parameters,
        "Tags": tags(a),
    });
    Some((name, doc))
}
