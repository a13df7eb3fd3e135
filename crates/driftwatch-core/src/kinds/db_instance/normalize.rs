//! Normalizer for `aws_db_instance` (and `aws_rds_cluster_instance`). Input: a
//! `DescribeDBInstances` item as AWS returns it, or our own output. Pure and idempotent.
//!
//! Canonical: the settings a user chooses, in the API's names; what AWS observes or assigns
//! as identity (status, endpoint address, ARN, resource id, create and restorable times,
//! pending modified values, the option group) is dropped, as are `false` and 0 where they are
//! AWS's defaults. `Port`, `VpcSecurityGroupIds`, `PubliclyAccessible`, `StorageEncrypted`
//! and `DeletionProtection` are kept even when `false` or empty: the cross-resource checks
//! read them. A member of an Aurora cluster keeps only what the cluster does not own.

use serde_json::{json, Map, Value};

use super::common::{
    compact, engine_version, is_default_group, kept_bool, kms_key, master_user_secret, nonzero,
    security_group_ids, tags, text, true_only, window,
};

/// What a member of an Aurora cluster sets for itself; the rest (engine, storage, network,
/// backups, …) is the cluster's and compared on `aws_rds_cluster`.
const MEMBER_FIELDS: &[&str] = &[
    "DBInstanceClass",
    "DBParameterGroupName",
    "PerformanceInsightsEnabled",
    "MonitoringInterval",
    "PubliclyAccessible",
    "CACertificateIdentifier",
    "Tags",
    "DBClusterIdentifier",
];

pub fn normalize(doc: Value) -> Value {
    let Value::Object(m) = doc else {
        return doc;
    };
    let encrypted = m.get("StorageEncrypted").and_then(Value::as_bool) == Some(true);
    let get = |k: &str| m.get(k);
    let out = json!({
        "Engine": text(get("Engine")),
        "EngineVersion": engine_version(&m),
        "DBInstanceClass": text(get("DBInstanceClass")),
        "AllocatedStorage": nonzero(get("AllocatedStorage")),
        "StorageType": text(get("StorageType")),
        "Iops": nonzero(get("Iops")),
        "StorageEncrypted": kept_bool(get("StorageEncrypted")),
        "KmsKeyId": kms_key(&m, encrypted),
        "MultiAZ": true_only(get("MultiAZ")),
        "PubliclyAccessible": get("PubliclyAccessible").cloned().unwrap_or(Value::Null),
        "DBSubnetGroupName": subnet_group_name(&m),
        "VpcSecurityGroupIds": security_group_ids(&m),
        "DBParameterGroupName": parameter_group_name(&m),
        "BackupRetentionPeriod": get("BackupRetentionPeriod").cloned().unwrap_or(Value::Null),
        "PreferredBackupWindow": window(get("PreferredBackupWindow")),
        "PreferredMaintenanceWindow": window(get("PreferredMaintenanceWindow")),
        "DeletionProtection": kept_bool(get("DeletionProtection")),
        "IAMDatabaseAuthenticationEnabled": true_only(get("IAMDatabaseAuthenticationEnabled")),
        "PerformanceInsightsEnabled": true_only(get("PerformanceInsightsEnabled")),
        "MonitoringInterval": nonzero(get("MonitoringInterval")),
        "CACertificateIdentifier": text(get("CACertificateIdentifier")),
        "Port": port(&m),
        "DBClusterIdentifier": text(get("DBClusterIdentifier")),
        "MasterUserSecret": master_user_secret(get("MasterUserSecret")),
        "Tags": tags(&m),
    });
    let member = out.get("DBClusterIdentifier").is_some_and(|v| !v.is_null());
    compact(out, member.then_some(MEMBER_FIELDS))
}

/// `DBSubnetGroup.DBSubnetGroupName` (the group is described whole; it is compared as
/// `aws_db_subnet_group`), or our own `DBSubnetGroupName`.
fn subnet_group_name(m: &Map<String, Value>) -> Value {
    let nested = m
        .get("DBSubnetGroup")
        .and_then(|g| g.get("DBSubnetGroupName"));
    text(m.get("DBSubnetGroupName").or(nested))
}

/// `DBParameterGroups[0].DBParameterGroupName` (an instance has one; its apply status is
/// observed), or our own `DBParameterGroupName`; nothing for the engine family's default
/// group, which is what an instance without one gets.
fn parameter_group_name(m: &Map<String, Value>) -> Value {
    let listed = m
        .get("DBParameterGroups")
        .and_then(Value::as_array)
        .and_then(|g| g.first())
        .and_then(|g| g.get("DBParameterGroupName"));
    match text(m.get("DBParameterGroupName").or(listed)) {
        Value::String(name) if is_default_group(&name) => Value::Null,
        other => other,
    }
}

/// The port the instance listens on: `Endpoint.Port` (absent while it is being created),
/// else `DbInstancePort` (AWS answers 0 there for an instance that is not in a cluster), or
/// our own `Port`.
fn port(m: &Map<String, Value>) -> Value {
    let endpoint = m.get("Endpoint").and_then(|e| e.get("Port"));
    nonzero(
        m.get("Port")
            .or(endpoint)
            .filter(|p| p.as_i64().is_some_and(|p| p != 0))
            .or(m.get("DbInstancePort")),
    )
}
