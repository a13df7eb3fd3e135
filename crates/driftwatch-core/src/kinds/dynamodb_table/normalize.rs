//! Normalizer for `aws_dynamodb_table`. Input: `DescribeTable`'s `Table` with
//! `ContinuousBackupsDescription` (`DescribeContinuousBackups`), `TimeToLiveDescription`
//! (`DescribeTimeToLive`) and `Tags` beside its fields; or our own output. Pure and idempotent.
//!
//! Canonical: `TableName`, `BillingMode`, `ProvisionedThroughput` (provisioned tables only),
//! `KeySchema` and `AttributeDefinitions` as objects by attribute name, the indexes by name,
//! `StreamSpecification` (enabled only), `SSESpecification` (a KMS key only),
//! `PointInTimeRecoveryEnabled`, `TimeToLive` (enabled only), `DeletionProtectionEnabled` (true
//! only), `TableClass` (not STANDARD only), `Tags` as an object.

use serde_json::{json, Map, Value};

use crate::normalize::{clean, is_empty, pairs_to_map, sort_set};

/// Observed, never set: identity, status, sizes, the stream's current ARN, what AWS reports of
/// warm throughput (12000/4000 on every on-demand table), restores and archival, and the
/// replicas of a global table (not compared: each replica is a table of another region).
const READ_ONLY: &[&str] = &[
    "TableArn",
    "TableId",
    "TableStatus",
    "CreationDateTime",
    "ItemCount",
    "TableSizeBytes",
    "LatestStreamArn",
    "LatestStreamLabel",
    "WarmThroughput",
    "RestoreSummary",
    "ArchivalSummary",
    "Replicas",
    "GlobalTableVersion",
    "GlobalTableWitnesses",
    "MultiRegionConsistency",
];

/// Observed on an index, never set.
const INDEX_READ_ONLY: &[&str] = &[
    "IndexStatus",
    "Backfilling",
    "IndexSizeBytes",
    "ItemCount",
    "IndexArn",
    "WarmThroughput",
];

pub fn normalize(doc: Value) -> Value {
    let Value::Object(mut m) = doc else {
        return doc;
    };
    for f in READ_ONLY {
        m.remove(*f);
    }
    let mode = billing_mode(&mut m);
    let provisioned = mode == "PROVISIONED";
    m.insert("BillingMode".into(), json!(mode));
    let pitr = point_in_time_recovery(&mut m);
    m.insert("PointInTimeRecoveryEnabled".into(), pitr);
    let ttl = time_to_live(&mut m);
    m.insert("TimeToLive".into(), ttl);
    let sse = sse_specification(&mut m);
    m.insert("SSESpecification".into(), sse);
    let class = table_class(&mut m);
    m.insert("TableClass".into(), class);
    let out = m
        .into_iter()
        .map(|(k, v)| {
            let v = match k.as_str() {
                "ProvisionedThroughput" => throughput(v, provisioned),
                "KeySchema" => key_schema(v),
                "AttributeDefinitions" => pairs_to_map(v, "AttributeName", "AttributeType"),
                "GlobalSecondaryIndexes" | "LocalSecondaryIndexes" => indexes(v, provisioned),
                "StreamSpecification" => stream(v),
                "OnDemandThroughput" => on_demand_throughput(v),
                "DeletionProtectionEnabled" => {
                    v.as_bool().filter(|b| *b).map_or(Value::Null, Value::from)
                }
                "Tags" => pairs_to_map(v, "Key", "Value"),
                _ => clean(v),
            };
            (k, v)
        })
        .filter(|(_, v)| !is_empty(v))
        .collect();
    Value::Object(out)
}

/// `BillingModeSummary.BillingMode`, or our own `BillingMode`. A table that never switched
/// has no summary: it is PROVISIONED, CreateTable's default.
fn billing_mode(m: &mut Map<String, Value>) -> String {
    let summary = m.remove("BillingModeSummary");
    let own = m.remove("BillingMode");
    own.as_ref()
        .and_then(Value::as_str)
        .or_else(|| summary.as_ref()?.get("BillingMode")?.as_str())
        .unwrap_or("PROVISIONED")
        .to_string()
}

/// On-demand tables and their indexes report 0/0 capacity: only a provisioned one has any.
/// The decrease counter and increase/decrease times are observed, never set.
fn throughput(v: Value, provisioned: bool) -> Value {
    if !provisioned {
        return Value::Null;
    }
    let pick = |k: &str| v.get(k).cloned().unwrap_or(Value::Null);
    clean(json!({
        "ReadCapacityUnits": pick("ReadCapacityUnits"),
        "WriteCapacityUnits": pick("WriteCapacityUnits"),
    }))
}

/// `[{AttributeName, KeyType}]` → `{name: HASH|RANGE}`: the key type says the order.
fn key_schema(v: Value) -> Value {
    pairs_to_map(v, "AttributeName", "KeyType")
}

/// Indexes by name, each with its key schema as an object, its projection's attributes sorted
/// and its capacity only on a provisioned table; what AWS observes of it dropped.
fn indexes(v: Value, provisioned: bool) -> Value {
    crate::normalize::key_by(v, "IndexName", |i| {
        let Value::Object(mut i) = i else {
            return i;
        };
        for f in INDEX_READ_ONLY {
            i.remove(*f);
        }
        let out: Map<String, Value> = i
            .into_iter()
            .map(|(k, v)| {
                let v = match k.as_str() {
                    "KeySchema" => key_schema(v),
                    "ProvisionedThroughput" => throughput(v, provisioned),
                    "OnDemandThroughput" => on_demand_throughput(v),
                    "Projection" => projection(v),
                    _ => clean(v),
                };
                (k, v)
            })
            .filter(|(_, v)| !is_empty(v))
            .collect();
        Value::Object(out)
    })
}

fn projection(v: Value) -> Value {
    let Value::Object(mut p) = v else {
        return v;
    };
    if let Some(a) = p.remove("NonKeyAttributes") {
        p.insert("NonKeyAttributes".into(), sort_set(a));
    }
    clean(Value::Object(p))
}

/// AWS reports `-1` for "no maximum" on each on-demand limit: the default is nothing.
fn on_demand_throughput(v: Value) -> Value {
    let Value::Object(m) = v else {
        return v;
    };
    Value::Object(
        m.into_iter()
            .filter(|(_, v)| v.as_i64() != Some(-1))
            .collect(),
    )
}

/// A stream that is off is no stream: its view type means nothing then.
fn stream(v: Value) -> Value {
    if v.get("StreamEnabled").and_then(Value::as_bool) == Some(true) {
        clean(v)
    } else {
        Value::Null
    }
}

/// `SSEDescription` (status, type, key) → `SSESpecification {SSEType, KMSMasterKeyArn}`. No
/// description is the AWS-owned key (Terraform's `enabled = false`): nothing. Our own
/// `SSESpecification` passes, and CreateTable's `{Enabled: false}` is nothing too.
fn sse_specification(m: &mut Map<String, Value>) -> Value {
    if let Some(d) = m.remove("SSEDescription") {
        let status = d.get("Status").and_then(Value::as_str);
        if matches!(status, Some("DISABLED" | "DISABLING")) {
            return Value::Null;
        }
        return clean(json!({
            "SSEType": d.get("SSEType").cloned().unwrap_or(json!("KMS")),
            "KMSMasterKeyArn": d.get("KMSMasterKeyArn").cloned().unwrap_or(Value::Null),
        }));
    }
    let Some(Value::Object(mut s)) = m.remove("SSESpecification") else {
        return Value::Null;
    };
    if s.remove("Enabled") == Some(json!(false)) {
        return Value::Null;
    }
    if let Some(id) = s.remove("KMSMasterKeyId") {
        s.entry("KMSMasterKeyArn").or_insert(id);
    }
    clean(Value::Object(s))
}

/// `ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus`
/// ENABLED → `true`; off is nothing.
fn point_in_time_recovery(m: &mut Map<String, Value>) -> Value {
    let own = m.remove("PointInTimeRecoveryEnabled");
    let described = m.remove("ContinuousBackupsDescription");
    let on = own.and_then(|v| v.as_bool()).unwrap_or(false)
        || described
            .as_ref()
            .and_then(|d| d.pointer("/PointInTimeRecoveryDescription/PointInTimeRecoveryStatus"))
            .and_then(Value::as_str)
            == Some("ENABLED");
    if on {
        json!(true)
    } else {
        Value::Null
    }
}

/// `TimeToLiveDescription {TimeToLiveStatus, AttributeName}` → `{AttributeName, Enabled: true}`
/// while enabled (or being enabled); disabled TTL (attribute name "" in Terraform) is nothing.
fn time_to_live(m: &mut Map<String, Value>) -> Value {
    if let Some(d) = m.remove("TimeToLiveDescription") {
        let status = d.get("TimeToLiveStatus").and_then(Value::as_str);
        if !matches!(status, Some("ENABLED" | "ENABLING")) {
            return Value::Null;
        }
        return json!({"AttributeName": d.get("AttributeName").cloned().unwrap_or(Value::Null),
            "Enabled": true});
    }
    match m.remove("TimeToLive") {
        Some(t) if t.get("Enabled").and_then(Value::as_bool) == Some(true) => clean(t),
        _ => Value::Null,
    }
}

/// `TableClassSummary.TableClass`, or our own `TableClass`; STANDARD (no summary) is nothing.
fn table_class(m: &mut Map<String, Value>) -> Value {
    let summary = m.remove("TableClassSummary");
    let own = m.remove("TableClass");
    let class = own
        .as_ref()
        .and_then(Value::as_str)
        .or_else(|| summary.as_ref()?.get("TableClass")?.as_str());
    match class {
        None | Some("STANDARD") | Some("") => Value::Null,
        Some(c) => json!(c),
    }
}
