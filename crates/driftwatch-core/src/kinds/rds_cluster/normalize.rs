//! Normalizer for `aws_rds_cluster`. Input: a `DescribeDBClusters` item as AWS returns it, or
//! our own output. Pure and idempotent.
//!
//! Canonical: the instance's names where they apply (`DBSubnetGroup` → `DBSubnetGroupName`,
//! `DBClusterParameterGroup` → `DBClusterParameterGroupName` unless it is the family's
//! default), plus `DBClusterMembers` (`[{DBInstanceIdentifier, IsClusterWriter}]` sorted by
//! identifier: which member writes is a setting a failover changes). Endpoints, ARNs, the
//! resource id, times and statuses are dropped; `Port`, `VpcSecurityGroupIds`,
//! `StorageEncrypted` and `DeletionProtection` are kept even when empty or `false`.

use serde_json::{json, Map, Value};

use crate::kinds::db_instance::common::{
    compact, engine_version, is_default_group, kept_bool, kms_key, master_user_secret, nonzero,
    security_group_ids, tags, text, true_only, window,
};

pub fn normalize(doc: Value) -> Value {
    let Value::Object(m) = doc else {
        return doc;
    };
    let encrypted = m.get("StorageEncrypted").and_then(Value::as_bool) == Some(true);
    let get = |k: &str| m.get(k);
    let out = json!({
        "Engine": text(get("Engine")),
        "EngineVersion": engine_version(&m),
        "Port": nonzero(get("Port")),
        "VpcSecurityGroupIds": security_group_ids(&m),
        "StorageEncrypted": kept_bool(get("StorageEncrypted")),
        "KmsKeyId": kms_key(&m, encrypted),
        "DeletionProtection": kept_bool(get("DeletionProtection")),
        "DBSubnetGroupName": text(get("DBSubnetGroupName").or(get("DBSubnetGroup"))),
        "DBClusterParameterGroupName": parameter_group_name(&m),
        "BackupRetentionPeriod": get("BackupRetentionPeriod").cloned().unwrap_or(Value::Null),
        "PreferredBackupWindow": window(get("PreferredBackupWindow")),
        "PreferredMaintenanceWindow": window(get("PreferredMaintenanceWindow")),
        "IAMDatabaseAuthenticationEnabled": true_only(get("IAMDatabaseAuthenticationEnabled")),
        "MasterUserSecret": master_user_secret(get("MasterUserSecret")),
        "DBClusterMembers": members(get("DBClusterMembers")),
        "Tags": tags(&m),
    });
    compact(out, None)
}

/// `DBClusterParameterGroup` (a name, in DescribeDBClusters) or our own
/// `DBClusterParameterGroupName`; nothing for the family's default group. moto gives an
/// aurora-postgresql cluster `default.aurora8.0` (AWS: `default.aurora-postgresql15`): a
/// default either way.
fn parameter_group_name(m: &Map<String, Value>) -> Value {
    let named = m
        .get("DBClusterParameterGroupName")
        .or(m.get("DBClusterParameterGroup"));
    match text(named) {
        Value::String(name) if is_default_group(&name) => Value::Null,
        other => other,
    }
}

/// Each member's identifier and whether it is the writer, sorted by identifier; its
/// parameter group status and promotion tier are observed (the tier is the member's own
/// setting, not compared yet).
fn members(v: Option<&Value>) -> Value {
    let Some(Value::Array(items)) = v else {
        return Value::Null;
    };
    let mut out: Vec<Value> = items
        .iter()
        .filter_map(|i| {
            let id = i.get("DBInstanceIdentifier")?.as_str()?;
            let writer = i.get("IsClusterWriter").and_then(Value::as_bool);
            Some(json!({"DBInstanceIdentifier": id, "IsClusterWriter": writer.unwrap_or(false)}))
        })
        .collect();
    out.sort_by(|a, b| {
        let id = |v: &Value| {
            v["DBInstanceIdentifier"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        };
        id(a).cmp(&id(b))
    });
    Value::Array(out)
}
