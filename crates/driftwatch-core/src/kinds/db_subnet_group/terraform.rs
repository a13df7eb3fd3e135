//! `aws_db_subnet_group` from a Terraform state (provider 3.x to 6.x), in the canonical shape
//! the normalizer also accepts. Pure.

use serde_json::{json, Value};

use crate::terraform::map::{attr, tags, text};

pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
    let name = text(a, "name").or_else(|| text(a, "id"))?.to_string();
    let doc = json!({
        "DBSubnetGroupDescription": attr(a, "description"),
        "Subnets": attr(a, "subnet_ids"),
        "VpcId": attr(a, "vpc_id"),
        "Tags": tags(a),
    });
    Some((name, doc))
}
