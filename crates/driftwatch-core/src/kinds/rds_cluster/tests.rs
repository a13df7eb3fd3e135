//! The canonical DB cluster: AWS's answer, a minimal golden file and Terraform states compare
//! equal.

use serde_json::{json, Value};

use super::normalize::normalize;
use super::terraform::from_terraform;

const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/1111-2222";

/// A `DescribeDBClusters` item as AWS returns it (RDS API reference, `DBCluster`).
fn aws() -> Value {
    let doc = json!({
        "AllocatedStorage": 1, "AvailabilityZones": ["us-east-1a", "us-east-1b", "us-east-1c"],
        "BackupRetentionPeriod": 7, "DatabaseName": "app", "DBClusterIdentifier": "aur",
        "DBClusterParameterGroup": "app-aurora15", "DBSubnetGroup": "app-db",
        "Status": "available", "EarliestRestorableTime": "2026-01-01T00:00:00Z",
        "Endpoint": "aur.cluster-c1.us-east-1.rds.amazonaws.com",
        "ReaderEndpoint": "aur.cluster-ro-c1.us-east-1.rds.amazonaws.com",
        "MultiAZ": true, "Engine": "aurora-postgresql", "EngineVersion": "15.4",
        "LatestRestorableTime": "2026-01-02T04:00:00Z", "Port": 5432,
        "MasterUsername": "app", "PreferredBackupWindow": "03:00-03:30",
        "PreferredMaintenanceWindow": "Sun:05:00-Sun:05:30",
    });
    let more = json!({
        "ReadReplicaIdentifiers": [],
        "DBClusterMembers": [
            {"DBInstanceIdentifier": "aur-2", "IsClusterWriter": false,
             "DBClusterParameterGroupStatus": "in-sync", "PromotionTier": 1},
            {"DBInstanceIdentifier": "aur-1", "IsClusterWriter": true,
             "DBClusterParameterGroupStatus": "in-sync", "PromotionTier": 1}],
        "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-1", "Status": "active"}],
        "HostedZoneId": "Z2R2ITUGPM61AM", "StorageEncrypted": true, "KmsKeyId": KEY,
        "DbClusterResourceId": "cluster-ABCDEFGHIJ",
        "DBClusterArn": "arn:aws:rds:us-east-1:123456789012:cluster:aur",
        "AssociatedRoles": [], "IAMDatabaseAuthenticationEnabled": false,
        "ClusterCreateTime": "2026-01-01T00:00:00Z", "EngineMode": "provisioned",
        "DeletionProtection": true, "HttpEndpointEnabled": false, "CopyTagsToSnapshot": false,
        "CrossAccountClone": false, "DomainMemberships": [],
        "TagList": [{"Key": "team", "Value": "core"}], "StorageType": "aurora",
        "NetworkType": "IPV4", "AutoMinorVersionUpgrade": true
    });
    let (Value::Object(mut a), Value::Object(b)) = (doc, more) else {
        unreachable!()
    };
    a.extend(b);
    Value::Object(a)
}

fn minimal() -> Value {
    json!({
        "Engine": "aurora-postgresql", "EngineVersion": "15", "Port": 5432,
        "VpcSecurityGroupIds": ["sg-1"], "StorageEncrypted": true, "KmsKeyId": KEY,
        "DeletionProtection": true, "DBSubnetGroupName": "app-db",
        "DBClusterParameterGroupName": "app-aurora15", "BackupRetentionPeriod": 7,
        "PreferredBackupWindow": "03:00-03:30", "PreferredMaintenanceWindow": "sun:05:00-sun:05:30",
        "DBClusterMembers": [{"DBInstanceIdentifier": "aur-1", "IsClusterWriter": true},
            {"DBInstanceIdentifier": "aur-2", "IsClusterWriter": false}],
        "Tags": {"team": "core"}
    })
}

#[test]
fn aws_answer_and_a_minimal_golden_file_compare_equal() {
    let live = normalize(aws());
    assert_eq!(live, normalize(minimal()));
    assert_eq!(normalize(live.clone()), live, "idempotent");
    assert_eq!(live["DBClusterMembers"][0]["DBInstanceIdentifier"], "aur-1");
}

/// A provider 5.x state (`engine_version` as configured, `master_password` dropped by then)
/// and a 6.x one (`engine_version_actual`, a default cluster parameter group) compare equal
/// to AWS but for the members, which a state cannot speak for.
#[test]
fn provider_states_compare_equal_to_aws_but_for_the_members() {
    let state = json!({
        "id": "aur", "cluster_identifier": "aur", "engine": "aurora-postgresql",
        "engine_version": "15", "engine_version_actual": "15.4", "port": 5432,
        "vpc_security_group_ids": ["sg-1"], "storage_encrypted": true, "kms_key_id": KEY,
        "deletion_protection": true, "db_subnet_group_name": "app-db",
        "db_cluster_parameter_group_name": "app-aurora15", "backup_retention_period": 7,
        "preferred_backup_window": "03:00-03:30",
        "preferred_maintenance_window": "sun:05:00-sun:05:30",
        "iam_database_authentication_enabled": false, "master_user_secret": [],
        "cluster_members": ["aur-1", "aur-2"], "skip_final_snapshot": true,
        "tags": {"team": "core"}, "tags_all": {"team": "core"}
    });
    let (id, doc) = from_terraform(&state).unwrap();
    assert_eq!(id, "aur");
    assert!(doc.get("DBClusterMembers").is_none_or(Value::is_null));
    let mut live = normalize(aws());
    live.as_object_mut().unwrap().remove("DBClusterMembers");
    assert_eq!(normalize(doc), live);
}

/// moto names an aurora-postgresql cluster's default group `default.aurora8.0`; AWS names it
/// `default.aurora-postgresql15`. Both are the family's default: nothing.
#[test]
fn a_default_cluster_parameter_group_is_nothing() {
    for name in ["default.aurora-postgresql15", "default.aurora8.0"] {
        let doc =
            normalize(json!({"Engine": "aurora-postgresql", "DBClusterParameterGroup": name}));
        assert!(doc.get("DBClusterParameterGroupName").is_none(), "{doc}");
    }
}

#[test]
fn with_a_managed_password_only_the_secret_arn_is_compared() {
    let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-1-AbCdEf";
    let doc = normalize(json!({"Engine": "aurora-mysql",
        "EngineVersion": "8.0.mysql_aurora.3.05.2",
        "MasterUserSecret": {"SecretArn": arn, "SecretStatus": "active", "KmsKeyId": KEY}}));
    assert_eq!(doc["MasterUserSecret"], json!({"SecretArn": arn}));
    assert_eq!(doc["EngineVersion"], "8.0");
}
