//! `aws_rds_cluster` from a Terraform state (provider 3.x to 6.x), in the canonical names the
//! normalizer also accepts. Pure.
//!
//! The members are not mapped: `cluster_members` holds only their identifiers, not which one
//! writes, and each member is an `aws_rds_cluster_instance` compared as a DB instance (with
//! its `DBClusterIdentifier`). So `DBClusterMembers` is a path a state cannot speak for (the
//! kind's `derived` rows), as are the windows, key and subnet group AWS fills in when the
//! configuration leaves them out.

use serde_json::{json, Value};

use crate::kinds::db_instance::terraform::{engine_version, key_arn, master_user_secret};
use crate::terraform::map::{attr, tags, text};

pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
    let id = text(a, "cluster_identifier")
        .or_else(|| text(a, "id"))?
        .to_string();
    let doc = json!({
        "Engine": attr(a, "engine"),
        "EngineVersion": engine_version(a),
        "Port": attr(a, "port"),
        "VpcSecurityGroupIds": attr(a, "vpc_security_group_ids"),
        "StorageEncrypted": attr(a, "storage_encrypted"),
        "KmsKeyId": key_arn(a, "kms_key_id"),
        "DeletionProtection": attr(a, "deletion_protection"),
        "DBSubnetGroupName": attr(a, "db_subnet_group_name"),
        "DBClusterParameterGroupName": attr(a, "db_cluster_parameter_group_name"),
        "BackupRetentionPeriod": attr(a, "backup_retention_period"),
        "PreferredBackupWindow": attr(a, "preferred_backup_window"),
        "PreferredMaintenanceWindow": attr(a, "preferred_maintenance_window"),
        "IAMDatabaseAuthenticationEnabled": attr(a, "iam_database_authentication_enabled"),
        "MasterUserSecret": master_user_secret(a),
        "Tags": tags(a),
    });
    Some((id, doc))
}
