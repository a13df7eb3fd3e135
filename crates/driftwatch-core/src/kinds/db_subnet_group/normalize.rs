//! Normalizer for `aws_db_subnet_group`. Input: a `DescribeDBSubnetGroups` item with `TagList`
//! beside its fields, or our own output. Pure and idempotent.
//!
//! Canonical: `DBSubnetGroupDescription`, `Subnets` (the subnet ids, sorted: each subnet's
//! zone and status are the subnet's), `VpcId` and `Tags`. The name, ARN, status and supported
//! network types (derived from the subnets) are dropped.

use serde_json::{json, Value};

use crate::normalize::{clean, is_empty, pairs_to_map, sort_set};

pub fn normalize(doc: Value) -> Value {
    let Value::Object(m) = doc else {
        return doc;
    };
    let tags = match (m.get("Tags"), m.get("TagList")) {
        (Some(t), _) | (None, Some(t)) => pairs_to_map(t.clone(), "Key", "Value"),
        _ => Value::Null,
    };
    let out = json!({
        "DBSubnetGroupDescription": m.get("DBSubnetGroupDescription"),
        "Subnets": m.get("Subnets").map(subnet_ids),
        "VpcId": m.get("VpcId"),
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

/// `[{SubnetIdentifier, SubnetAvailabilityZone, SubnetStatus, …}]`, or our own ids: the ids,
/// sorted.
fn subnet_ids(v: &Value) -> Value {
    let ids: Vec<Value> = v
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| match s {
            Value::String(_) => Some(s.clone()),
            _ => s.get("SubnetIdentifier").cloned(),
        })
        .collect();
    sort_set(Value::Array(ids))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::normalize;
    use crate::kinds::db_subnet_group::terraform::from_terraform;

    /// `DescribeDBSubnetGroups` as AWS answers it, a minimal golden file, and a 6.x state (a
    /// 3.x state has no `vpc_id`: the path is one it cannot speak for).
    #[test]
    fn aws_a_golden_file_and_a_state_compare_equal() {
        let aws = json!({
            "DBSubnetGroupName": "app-db", "DBSubnetGroupDescription": "app databases",
            "VpcId": "vpc-1", "SubnetGroupStatus": "Complete",
            "Subnets": [
                {"SubnetIdentifier": "subnet-b", "SubnetAvailabilityZone": {"Name": "us-east-1b"},
                 "SubnetOutpost": {}, "SubnetStatus": "Active"},
                {"SubnetIdentifier": "subnet-a", "SubnetAvailabilityZone": {"Name": "us-east-1a"},
                 "SubnetOutpost": {}, "SubnetStatus": "Active"}],
            "DBSubnetGroupArn": "arn:aws:rds:us-east-1:123456789012:subgrp:app-db",
            "SupportedNetworkTypes": ["IPV4"],
            "TagList": [{"Key": "team", "Value": "core"}]
        });
        let minimal = json!({"DBSubnetGroupDescription": "app databases",
            "Subnets": ["subnet-a", "subnet-b"], "VpcId": "vpc-1", "Tags": {"team": "core"}});
        let live = normalize(aws);
        assert_eq!(live, normalize(minimal));
        assert_eq!(normalize(live.clone()), live);
        let state = json!({"id": "app-db", "name": "app-db", "description": "app databases",
            "subnet_ids": ["subnet-b", "subnet-a"], "vpc_id": "vpc-1",
            "supported_network_types": ["IPV4"], "tags": {"team": "core"},
            "tags_all": {"team": "core"}});
        let (id, doc) = from_terraform(&state).unwrap();
        assert_eq!((id.as_str(), normalize(doc)), ("app-db", live));
    }
}
