//! `aws_dynamodb_table` from a Terraform state (provider 3.x to 6.x), in the canonical shape
//! the normalizer also accepts. PITR, TTL and encryption are inline blocks. Pure.

use serde_json::{json, Map, Value};

use crate::terraform::map::{attr, block, blocks, tags, text};

pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
    let name = text(a, "name").or_else(|| text(a, "id"))?.to_string();
    let hash = text(a, "hash_key");
    let mut keys = Map::new();
    if let Some(h) = hash {
        keys.insert(h.into(), json!("HASH"));
    }
    if let Some(r) = text(a, "range_key") {
        keys.insert(r.into(), json!("RANGE"));
    }
    let attributes: Map<String, Value> = blocks(a, "attribute")
        .iter()
        .filter_map(|b| Some((text(b, "name")?.to_string(), attr(b, "type"))))
        .collect();
    let doc = json!({
        "TableName": name,
        "BillingMode": attr(a, "billing_mode"),
        "ProvisionedThroughput": {"ReadCapacityUnits": attr(a, "read_capacity"),
            "WriteCapacityUnits": attr(a, "write_capacity")},
        "KeySchema": keys,
        "AttributeDefinitions": attributes,
        "GlobalSecondaryIndexes": global_indexes(a),
        "LocalSecondaryIndexes": local_indexes(a, hash),
        "StreamSpecification": stream(a),
        "SSESpecification": encryption(a),
        "PointInTimeRecoveryEnabled": block(a, "point_in_time_recovery").map(|b| attr(&b, "enabled")),
        "TimeToLive": ttl(a),
        "DeletionProtectionEnabled": attr(a, "deletion_protection_enabled"),
        "TableClass": attr(a, "table_class"),
        "Tags": tags(a),
    });
    Some((name, doc))
}

/// `global_secondary_index` blocks by name. Provider 6.x may give the key as `key_schema`
/// blocks (multi-attribute keys); older ones as `hash_key`/`range_key`.
fn global_indexes(a: &Value) -> Value {
    let mut out = Map::new();
    for i in blocks(a, "global_secondary_index") {
        let Some(name) = text(&i, "name") else {
            continue;
        };
        let mut keys = Map::new();
        for k in blocks(&i, "key_schema") {
            if let Some(n) = text(&k, "attribute_name") {
                keys.insert(n.into(), attr(&k, "key_type"));
            }
        }
        if keys.is_empty() {
            if let Some(h) = text(&i, "hash_key") {
                keys.insert(h.into(), json!("HASH"));
            }
            if let Some(r) = text(&i, "range_key") {
                keys.insert(r.into(), json!("RANGE"));
            }
        }
        out.insert(
            name.into(),
            json!({
                "KeySchema": keys,
                "Projection": projection(&i),
                "ProvisionedThroughput": {"ReadCapacityUnits": attr(&i, "read_capacity"),
                    "WriteCapacityUnits": attr(&i, "write_capacity")},
            }),
        );
    }
    Value::Object(out)
}

/// `local_secondary_index` blocks by name: the table's hash key with the index's range key.
fn local_indexes(a: &Value, hash: Option<&str>) -> Value {
    let mut out = Map::new();
    for i in blocks(a, "local_secondary_index") {
        let Some(name) = text(&i, "name") else {
            continue;
        };
        let mut keys = Map::new();
        if let Some(h) = hash {
            keys.insert(h.into(), json!("HASH"));
        }
        if let Some(r) = text(&i, "range_key") {
            keys.insert(r.into(), json!("RANGE"));
        }
        out.insert(
            name.into(),
            json!({"KeySchema": keys, "Projection": projection(&i)}),
        );
    }
    Value::Object(out)
}

fn projection(i: &Value) -> Value {
    json!({"ProjectionType": attr(i, "projection_type"),
        "NonKeyAttributes": attr(i, "non_key_attributes")})
}

fn stream(a: &Value) -> Value {
    match a.get("stream_enabled").and_then(Value::as_bool) {
        Some(true) => json!({"StreamEnabled": true, "StreamViewType": attr(a, "stream_view_type")}),
        _ => Value::Null,
    }
}

/// `server_side_encryption { enabled = false }` (or no block) is the AWS-owned key: nothing.
fn encryption(a: &Value) -> Value {
    match block(a, "server_side_encryption") {
        Some(b) if b.get("enabled").and_then(Value::as_bool) == Some(true) => {
            json!({"SSEType": "KMS", "KMSMasterKeyArn": attr(&b, "kms_key_arn")})
        }
        _ => Value::Null,
    }
}

/// `ttl { enabled = false }`, or an attribute name "" (what refresh writes for disabled TTL),
/// is no TTL.
fn ttl(a: &Value) -> Value {
    match block(a, "ttl") {
        Some(b) if b.get("enabled").and_then(Value::as_bool) == Some(true) => {
            json!({"AttributeName": attr(&b, "attribute_name"), "Enabled": true})
        }
        _ => Value::Null,
    }
}
