//! The canonical DB instance: AWS's answer, a minimal golden file and Terraform states of
//! provider 4.x to 6.x compare equal.

use serde_json::{json, Value};

use super::normalize::normalize;
use super::terraform::from_terraform;

const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b-AbCdEf";
const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/1111-2222";

/// A `DescribeDBInstances` item as AWS returns it (RDS API reference, `DBInstance`), every
/// observed field and default filled in.
fn aws() -> Value {
    let doc = json!({
        "DBInstanceIdentifier": "app", "DBInstanceClass": "db.t4g.micro", "Engine": "postgres",
        "DBInstanceStatus": "available", "MasterUsername": "app", "DBName": "app",
        "Endpoint": {"Address": "app.c1a2b3.us-east-1.rds.amazonaws.com", "Port": 5432,
            "HostedZoneId": "Z2R2ITUGPM61AM"},
        "AllocatedStorage": 20, "InstanceCreateTime": "2026-01-02T03:04:05.000Z",
        "PreferredBackupWindow": "03:00-03:30", "BackupRetentionPeriod": 7,
        "DBSecurityGroups": [],
        "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-2", "Status": "active"},
            {"VpcSecurityGroupId": "sg-1", "Status": "active"}],
        "DBParameterGroups": [{"DBParameterGroupName": "app-pg16",
            "ParameterApplyStatus": "pending-reboot"}],
        "AvailabilityZone": "us-east-1a",
        "DBSubnetGroup": {"DBSubnetGroupName": "app-db", "DBSubnetGroupDescription": "db",
            "VpcId": "vpc-1", "SubnetGroupStatus": "Complete", "Subnets": []},
    });
    let more = json!({
        "PreferredMaintenanceWindow": "Sun:05:00-Sun:05:30",
        "PendingModifiedValues": {"DBInstanceClass": "db.t4g.small"},
        "LatestRestorableTime": "2026-01-02T04:00:00.000Z",
        "MultiAZ": false, "EngineVersion": "16.3", "AutoMinorVersionUpgrade": true,
        "ReadReplicaDBInstanceIdentifiers": [], "LicenseModel": "postgresql-license",
        "Iops": 3000, "StorageThroughput": 125,
        "OptionGroupMemberships": [{"OptionGroupName": "default:postgres-16", "Status": "in-sync"}],
        "PubliclyAccessible": false, "StorageType": "gp3", "DbInstancePort": 0,
        "StorageEncrypted": true, "KmsKeyId": KEY, "DbiResourceId": "db-ABCDEFGHIJ",
        "CACertificateIdentifier": "rds-ca-rsa2048-g1",
        "CertificateDetails": {"CAIdentifier": "rds-ca-rsa2048-g1", "ValidTill": "2027-01-01T00:00:00Z"},
        "DomainMemberships": [], "CopyTagsToSnapshot": true, "MonitoringInterval": 0,
        "DBInstanceArn": "arn:aws:rds:us-east-1:123456789012:db:app",
        "IAMDatabaseAuthenticationEnabled": false, "PerformanceInsightsEnabled": false,
        "DeletionProtection": true, "AssociatedRoles": [], "MaxAllocatedStorage": 100,
        "TagList": [{"Key": "team", "Value": "core"}],
        "CustomerOwnedIpEnabled": false, "BackupTarget": "region", "NetworkType": "IPV4",
        "MasterUserSecret": {"SecretArn": SECRET, "SecretStatus": "active", "KmsKeyId": KEY},
        "DedicatedLogVolume": false, "EngineLifecycleSupport": "open-source-rds-extended-support"
    });
    merged(doc, more)
}

fn merged(mut a: Value, b: Value) -> Value {
    if let (Value::Object(a), Value::Object(b)) = (&mut a, b) {
        a.extend(b);
    }
    a
}

/// What a user writes in a golden file for the same instance.
fn minimal() -> Value {
    json!({
        "Engine": "postgres", "EngineVersion": "16", "DBInstanceClass": "db.t4g.micro",
        "AllocatedStorage": 20, "StorageType": "gp3", "Iops": 3000, "StorageEncrypted": true,
        "KmsKeyId": KEY, "PubliclyAccessible": false, "DBSubnetGroupName": "app-db",
        "VpcSecurityGroupIds": ["sg-1", "sg-2"], "DBParameterGroupName": "app-pg16",
        "BackupRetentionPeriod": 7, "PreferredBackupWindow": "03:00-03:30",
        "PreferredMaintenanceWindow": "sun:05:00-sun:05:30", "DeletionProtection": true,
        "CACertificateIdentifier": "rds-ca-rsa2048-g1", "Port": 5432,
        "MasterUserSecret": {"SecretArn": SECRET}, "Tags": {"team": "core"}
    })
}

/// The state provider 6.x writes for the instance (`db_name`, `engine_version_actual`,
/// `master_user_secret`, write-only password attributes).
fn provider6() -> Value {
    json!({
        "id": "db-ABCDEFGHIJ", "identifier": "app", "arn": "arn:aws:rds:us-east-1:123456789012:db:app",
        "engine": "postgres", "engine_version": "16", "engine_version_actual": "16.3",
        "instance_class": "db.t4g.micro", "allocated_storage": 20, "storage_type": "gp3",
        "iops": 3000, "storage_throughput": 125, "storage_encrypted": true, "kms_key_id": KEY,
        "multi_az": false, "publicly_accessible": false, "db_subnet_group_name": "app-db",
        "vpc_security_group_ids": ["sg-2", "sg-1"], "parameter_group_name": "app-pg16",
        "backup_retention_period": 7, "backup_window": "03:00-03:30",
        "maintenance_window": "sun:05:00-sun:05:30", "deletion_protection": true,
        "iam_database_authentication_enabled": false, "performance_insights_enabled": false,
        "monitoring_interval": 0, "ca_cert_identifier": "rds-ca-rsa2048-g1", "port": 5432,
        "manage_master_user_password": true, "db_name": "app", "username": "app",
        "master_user_secret": [{"secret_arn": SECRET, "secret_status": "active", "kms_key_id": KEY}],
        "option_group_name": "default:postgres-16", "skip_final_snapshot": true,
        "address": "app.c1a2b3.us-east-1.rds.amazonaws.com", "status": "available",
        "tags": {"team": "core"}, "tags_all": {"team": "core"}
    })
}

/// The same instance in a provider 4.x state: `name`, no `engine_version_actual` before 4.x's
/// refresh wrote the full version into `engine_version`, `id` the identifier.
fn provider4() -> Value {
    let mut a = provider6();
    let m = a.as_object_mut().unwrap();
    m.remove("db_name");
    m.remove("engine_version_actual");
    m.insert("name".into(), json!("app"));
    m.insert("engine_version".into(), json!("16.3"));
    m.insert("id".into(), json!("app"));
    a
}

#[test]
fn aws_answer_and_a_minimal_golden_file_compare_equal() {
    let live = normalize(aws());
    assert_eq!(live, normalize(minimal()));
    assert_eq!(normalize(live.clone()), live, "idempotent");
    for gone in [
        "Endpoint",
        "DBInstanceStatus",
        "LatestRestorableTime",
        "DBInstanceArn",
    ] {
        assert!(live.get(gone).is_none(), "{gone}");
    }
    assert_eq!(live["EngineVersion"], json!("16"));
    assert_eq!(live["Port"], json!(5432));
}

#[test]
fn provider_states_of_each_version_compare_equal_to_aws() {
    let live = normalize(aws());
    for state in [provider4(), provider6()] {
        let (id, doc) = from_terraform(&state).unwrap();
        assert_eq!(id, "app");
        assert_eq!(normalize(doc), live);
    }
}

/// The checks read these even when they say "no": they must never be dropped as defaults.
#[test]
fn what_the_checks_read_is_kept_when_false_or_empty() {
    let doc = normalize(json!({"Engine": "postgres", "Endpoint": {"Port": 5432},
        "VpcSecurityGroups": [], "PubliclyAccessible": false, "StorageEncrypted": false,
        "DeletionProtection": false, "KmsKeyId": "default_kms_key_id"}));
    assert_eq!(
        doc,
        json!({"Engine": "postgres", "Port": 5432, "VpcSecurityGroupIds": [],
            "PubliclyAccessible": false, "StorageEncrypted": false, "DeletionProtection": false})
    );
}

/// A minor version AWS moved, a default parameter group and a window's case are not drift.
#[test]
fn what_aws_moves_or_defaults_compares_equal() {
    let mut moved = aws();
    moved["EngineVersion"] = json!("16.4");
    moved["DBParameterGroups"] = json!([{"DBParameterGroupName": "default.postgres16"}]);
    moved["PreferredMaintenanceWindow"] = json!("sun:05:00-sun:05:30");
    let mut expected = normalize(aws());
    expected
        .as_object_mut()
        .unwrap()
        .remove("DBParameterGroupName");
    assert_eq!(normalize(moved), expected);
    let mut state = provider6();
    state["parameter_group_name"] = json!("default.postgres16");
    state["engine_version_actual"] = json!("16.4");
    assert_eq!(normalize(from_terraform(&state).unwrap().1), expected);
}

/// An Aurora member as AWS lists it and as `aws_rds_cluster_instance` holds it: only what
/// the cluster does not own. moto gives members their own `default.aurora-postgresql15`
/// group and `rds-ca-default`; AWS answers as below.
#[test]
fn a_cluster_member_keeps_only_its_own_settings() {
    let aws = json!({
        "DBInstanceIdentifier": "aur-1", "DBInstanceClass": "db.r6g.large",
        "Engine": "aurora-postgresql", "EngineVersion": "15.4", "DBClusterIdentifier": "aur",
        "Endpoint": {"Address": "aur-1.c1.us-east-1.rds.amazonaws.com", "Port": 5432},
        "AllocatedStorage": 1, "StorageType": "aurora", "StorageEncrypted": true,
        "KmsKeyId": KEY, "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-1", "Status": "active"}],
        "DBParameterGroups": [{"DBParameterGroupName": "default.aurora-postgresql15"}],
        "PubliclyAccessible": false, "CACertificateIdentifier": "rds-ca-rsa2048-g1",
        "MonitoringInterval": 60, "PerformanceInsightsEnabled": true, "PromotionTier": 1,
        "BackupRetentionPeriod": 7, "DeletionProtection": false, "TagList": []
    });
    let expected = json!({
        "DBInstanceClass": "db.r6g.large", "DBClusterIdentifier": "aur",
        "PubliclyAccessible": false, "CACertificateIdentifier": "rds-ca-rsa2048-g1",
        "MonitoringInterval": 60, "PerformanceInsightsEnabled": true
    });
    assert_eq!(normalize(aws), expected);
    let state = json!({"id": "aur-1", "identifier": "aur-1", "cluster_identifier": "aur",
        "instance_class": "db.r6g.large", "engine": "aurora-postgresql", "engine_version": "15.4",
        "db_parameter_group_name": "default.aurora-postgresql15", "publicly_accessible": false,
        "ca_cert_identifier": "rds-ca-rsa2048-g1", "monitoring_interval": 60,
        "performance_insights_enabled": true, "writer": true, "promotion_tier": 1,
        "tags": {}, "tags_all": {}});
    let (id, doc) = from_terraform(&state).unwrap();
    assert_eq!((id.as_str(), normalize(doc)), ("aur-1", expected));
}

/// A key the state names by alias or id cannot be told equal to AWS's ARN offline: the
/// mapping leaves it out (a path the state cannot speak for, through `derived`).
#[test]
fn a_key_alias_in_the_state_is_left_out() {
    let mut state = provider6();
    state["kms_key_id"] = json!("alias/aws/rds");
    let (_, doc) = from_terraform(&state).unwrap();
    assert!(doc["KmsKeyId"].is_null());
    assert!(super::DEF.derived.contains(&("identifier", "/KmsKeyId")));
}
