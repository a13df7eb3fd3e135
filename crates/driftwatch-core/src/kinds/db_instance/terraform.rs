//! `aws_db_instance` and `aws_rds_cluster_instance` from a Terraform state (provider 3.x to
//! 6.x), in the canonical names the normalizer also accepts. A cluster instance is told by
//! its `cluster_identifier` (which `aws_db_instance` does not have). Pure.
//!
//! Values AWS assigns when the configuration leaves them out (the backup and maintenance
//! windows, the CA certificate, the storage type, the default KMS key, the subnet group of
//! the default VPC) are left empty when the state has none (or, for the key, only an alias or
//! key id that cannot be compared with the ARN AWS answers): the kind's `derived` rows then
//! make the path one the state cannot speak for, not drift.

use serde_json::{json, Value};

use crate::terraform::map::{attr, block, tags, text};

pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
    // Provider 5.x made `id` the resource id (`db-…`): the identifier is `identifier`.
    let id = text(a, "identifier")?.to_string();
    if text(a, "cluster_identifier").is_some() {
        return Some((id, member(a)));
    }
    let doc = json!({
        "Engine": attr(a, "engine"),
        "EngineVersion": engine_version(a),
        "DBInstanceClass": attr(a, "instance_class"),
        "AllocatedStorage": attr(a, "allocated_storage"),
        "StorageType": attr(a, "storage_type"),
        "Iops": attr(a, "iops"),
        "StorageEncrypted": attr(a, "storage_encrypted"),
        "KmsKeyId": key_arn(a, "kms_key_id"),
        "MultiAZ": attr(a, "multi_az"),
        "PubliclyAccessible": attr(a, "publicly_accessible"),
        "DBSubnetGroupName": attr(a, "db_subnet_group_name"),
        "VpcSecurityGroupIds": attr(a, "vpc_security_group_ids"),
        "DBParameterGroupName": attr(a, "parameter_group_name"),
        "BackupRetentionPeriod": attr(a, "backup_retention_period"),
        "PreferredBackupWindow": attr(a, "backup_window"),
        "PreferredMaintenanceWindow": attr(a, "maintenance_window"),
        "DeletionProtection": attr(a, "deletion_protection"),
        "IAMDatabaseAuthenticationEnabled": attr(a, "iam_database_authentication_enabled"),
        "PerformanceInsightsEnabled": attr(a, "performance_insights_enabled"),
        "MonitoringInterval": attr(a, "monitoring_interval"),
        "CACertificateIdentifier": attr(a, "ca_cert_identifier"),
        "Port": attr(a, "port"),
        "MasterUserSecret": master_user_secret(a),
        "Tags": tags(a),
    });
    Some((id, doc))
}

/// An `aws_rds_cluster_instance`: what a member sets for itself.
fn member(a: &Value) -> Value {
    json!({
        "DBClusterIdentifier": attr(a, "cluster_identifier"),
        "DBInstanceClass": attr(a, "instance_class"),
        "DBParameterGroupName": attr(a, "db_parameter_group_name"),
        "PerformanceInsightsEnabled": attr(a, "performance_insights_enabled"),
        "MonitoringInterval": attr(a, "monitoring_interval"),
        "PubliclyAccessible": attr(a, "publicly_accessible"),
        "CACertificateIdentifier": attr(a, "ca_cert_identifier"),
        "Tags": tags(a),
    })
}

/// `engine_version` as configured (`16`, or `16.3`), else `engine_version_actual` (provider
/// ≥ 3.x keeps what AWS reports there): the normalizer keeps the major version of either.
pub(crate) fn engine_version(a: &Value) -> Value {
    match attr(a, "engine_version") {
        Value::Null => attr(a, "engine_version_actual"),
        v => v,
    }
}

/// A KMS key as AWS answers it, a key ARN; an alias or a bare key id in the state (the
/// provider keeps what it was given before its first refresh) cannot be told equal to it
/// offline: nothing, so the path is not compared.
pub(crate) fn key_arn(a: &Value, key: &str) -> Value {
    match text(a, key) {
        Some(k) if k.starts_with("arn:") && k.contains(":key/") => json!(k),
        _ => Value::Null,
    }
}

/// `master_user_secret` (a block the provider fills in with `manage_master_user_password`):
/// its secret's ARN.
pub(crate) fn master_user_secret(a: &Value) -> Value {
    block(a, "master_user_secret")
        .and_then(|b| text(&b, "secret_arn").map(|arn| json!({"SecretArn": arn})))
        .unwrap_or(Value::Null)
}
