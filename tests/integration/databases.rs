//! RDS against moto: a snapshot checks clean; each compared setting changed in the account is
//! reported at its path (an instance's backup retention and deletion protection, a user
//! parameter's value, a subnet group's subnets, a cluster's deletion protection); a deleted
//! database is missing and one made by hand unmanaged, with its import block (identifier or
//! name); what AWS fills in that a state does not set is not reported.

use aws_sdk_rds::Client;
use serde_json::{json, Value};

use crate::harness::{entry, Moto};

const KINDS: &[&str] = &[
    "--kind",
    "aws_db_instance",
    "--kind",
    "aws_rds_cluster",
    "--kind",
    "aws_db_parameter_group",
    "--kind",
    "aws_db_subnet_group",
];

/// A Postgres 16 instance, encrypted, with deletion protection off and RDS managing its
/// password.
pub(crate) async fn postgres(rds: &Client, id: &str) {
    rds.create_db_instance()
        .db_instance_identifier(id)
        .engine("postgres")
        .engine_version("16.3")
        .db_instance_class("db.t4g.micro")
        .allocated_storage(20)
        .master_username("app")
        .manage_master_user_password(true)
        .storage_encrypted(true)
        .backup_retention_period(7)
        // moto leaves `PubliclyAccessible` out unless it is given; AWS always answers it.
        .publicly_accessible(false)
        .tags(tag("team", "core"))
        .send()
        .await
        .unwrap();
}

/// An Aurora PostgreSQL cluster with one member, `ID-1`, its writer.
pub(crate) async fn aurora(rds: &Client, id: &str) {
    rds.create_db_cluster()
        .db_cluster_identifier(id)
        .engine("aurora-postgresql")
        .engine_version("15.4")
        .master_username("app")
        .master_user_password("never-compared-1")
        .backup_retention_period(7)
        .send()
        .await
        .unwrap();
    rds.create_db_instance()
        .db_instance_identifier(format!("{id}-1"))
        .db_cluster_identifier(id)
        .engine("aurora-postgresql")
        .db_instance_class("db.r6g.large")
        .send()
        .await
        .unwrap();
}

/// A Postgres 16 parameter group with one user parameter, tagged.
pub(crate) async fn parameter_group(rds: &Client, name: &str) {
    rds.create_db_parameter_group()
        .db_parameter_group_name(name)
        .db_parameter_group_family("postgres16")
        .description("app settings")
        .tags(tag("team", "core"))
        .send()
        .await
        .unwrap();
    set_parameter(rds, name, "log_min_duration_statement", "500").await;
}

async fn set_parameter(rds: &Client, group: &str, name: &str, value: &str) {
    let p = aws_sdk_rds::types::Parameter::builder()
        .parameter_name(name)
        .parameter_value(value)
        .apply_method(aws_sdk_rds::types::ApplyMethod::Immediate)
        .build();
    rds.modify_db_parameter_group()
        .db_parameter_group_name(group)
        .parameters(p)
        .send()
        .await
        .unwrap();
}

/// A VPC with three subnets; a subnet group `name` over the first two. Returns the subnets.
pub(crate) async fn subnet_group(moto: &Moto, rds: &Client, name: &str) -> Vec<String> {
    let ec2 = moto.ec2().await;
    let vpc = ec2.create_vpc().cidr_block("10.42.0.0/16").send().await;
    let vpc = vpc.unwrap().vpc().unwrap().vpc_id().unwrap().to_string();
    let mut subnets = Vec::new();
    for i in 1..=3 {
        let s = ec2
            .create_subnet()
            .vpc_id(&vpc)
            .cidr_block(format!("10.42.{i}.0/24"))
            .send()
            .await
            .unwrap();
        subnets.push(s.subnet().unwrap().subnet_id().unwrap().to_string());
    }
    rds.create_db_subnet_group()
        .db_subnet_group_name(name)
        .db_subnet_group_description("app databases")
        .subnet_ids(&subnets[0])
        .subnet_ids(&subnets[1])
        .send()
        .await
        .unwrap();
    subnets
}

fn tag(k: &str, v: &str) -> aws_sdk_rds::types::Tag {
    aws_sdk_rds::types::Tag::builder().key(k).value(v).build()
}

pub(crate) fn check(moto: &Moto, extra: &[&str], code: i32) -> Value {
    let mut args = vec!["check", "--no-checks", "--format", "json"];
    args.extend(extra);
    args.extend(KINDS);
    moto.driftwatch(&args).expect_code(code).json()
}

fn snapshot(moto: &Moto) {
    let mut args = vec!["snapshot"];
    args.extend(KINDS);
    moto.driftwatch(&args).expect_code(0);
}

/// The paths of the changes of one modified resource.
fn paths(report: &Value, kind: &str, id: &str) -> Vec<String> {
    let e = entry(report, kind, id);
    assert_eq!(e["status"], "modified", "{e:#}");
    e["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap().to_string())
        .collect()
}

fn golden(moto: &Moto, kind: &str, id: &str) -> Value {
    let text = std::fs::read_to_string(moto.path(&format!("golden/{kind}/{id}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn an_instance_snapshot_checks_clean_and_its_changes_are_reported() {
    let moto = Moto::start();
    let rds = Client::new(&moto.sdk_config().await);
    postgres(&rds, "app").await;
    snapshot(&moto);
    let doc = golden(&moto, "aws_db_instance", "app");
    assert_eq!(doc["EngineVersion"], "16", "{doc:#}");
    assert_eq!(doc["BackupRetentionPeriod"], 7);
    assert_eq!(doc["DeletionProtection"], false, "kept when false");
    assert_eq!(doc["Port"], 5432);
    assert!(doc["MasterUserSecret"]["SecretArn"]
        .as_str()
        .unwrap()
        .contains(":secret:rds!db-"));
    assert!(doc.get("Endpoint").is_none() && doc.get("DBInstanceStatus").is_none());
    let clean = check(&moto, &[], 0);
    assert_eq!(clean["summary"]["in_sync"], 1, "{clean:#}");

    rds.modify_db_instance()
        .db_instance_identifier("app")
        .backup_retention_period(1)
        .deletion_protection(true)
        .apply_immediately(true)
        .send()
        .await
        .unwrap();
    let drift = check(&moto, &[], 1);
    let changed = paths(&drift, "aws_db_instance", "app");
    assert!(
        changed.contains(&"/BackupRetentionPeriod".to_string()),
        "{changed:?}"
    );
    assert!(
        changed.contains(&"/DeletionProtection".to_string()),
        "{changed:?}"
    );
}

#[tokio::test]
async fn a_cluster_snapshot_holds_its_members_and_its_changes_are_reported() {
    let moto = Moto::start();
    let rds = Client::new(&moto.sdk_config().await);
    aurora(&rds, "aur").await;
    snapshot(&moto);
    let doc = golden(&moto, "aws_rds_cluster", "aur");
    assert_eq!(
        doc["DBClusterMembers"],
        serde_json::json!([{"DBInstanceIdentifier": "aur-1", "IsClusterWriter": true}]),
        "{doc:#}"
    );
    // moto gives the cluster `default.aurora8.0`: a default group, not compared.
    assert!(doc.get("DBClusterParameterGroupName").is_none(), "{doc:#}");
    assert_eq!(doc["EngineVersion"], "15");
    let member = golden(&moto, "aws_db_instance", "aur-1");
    assert_eq!(member["DBClusterIdentifier"], "aur");
    assert!(member.get("Engine").is_none(), "the cluster's: {member:#}");
    let clean = check(&moto, &[], 0);
    assert_eq!(clean["summary"]["in_sync"], 2, "{clean:#}");

    rds.modify_db_cluster()
        .db_cluster_identifier("aur")
        .deletion_protection(true)
        .backup_retention_period(14)
        .apply_immediately(true)
        .send()
        .await
        .unwrap();
    let drift = check(&moto, &[], 1);
    let changed = paths(&drift, "aws_rds_cluster", "aur");
    assert!(
        changed.contains(&"/DeletionProtection".to_string()),
        "{changed:?}"
    );
    assert!(
        changed.contains(&"/BackupRetentionPeriod".to_string()),
        "{changed:?}"
    );
}

#[tokio::test]
async fn a_user_parameter_and_a_subnet_changed_by_hand_are_reported() {
    let moto = Moto::start();
    let rds = Client::new(&moto.sdk_config().await);
    parameter_group(&rds, "app-pg16").await;
    let subnets = subnet_group(&moto, &rds, "app-db").await;
    snapshot(&moto);
    let pg = golden(&moto, "aws_db_parameter_group", "app-pg16");
    assert_eq!(
        pg,
        json!({"DBParameterGroupFamily": "postgres16", "Description": "app settings",
            "Parameters": {"log_min_duration_statement": {"ParameterValue": "500"}},
            "Tags": {"team": "core"}})
    );
    let sg = golden(&moto, "aws_db_subnet_group", "app-db");
    let mut first_two = vec![subnets[0].clone(), subnets[1].clone()];
    first_two.sort();
    assert_eq!(sg["Subnets"], json!(first_two), "{sg:#}");
    check(&moto, &[], 0);

    set_parameter(&rds, "app-pg16", "log_min_duration_statement", "250").await;
    // moto 5.2.5's ModifyDBSubnetGroup drops the group from DescribeDBSubnetGroups (AWS
    // keeps it): the group is made again with other subnets instead.
    rds.delete_db_subnet_group()
        .db_subnet_group_name("app-db")
        .send()
        .await
        .unwrap();
    rds.create_db_subnet_group()
        .db_subnet_group_name("app-db")
        .db_subnet_group_description("app databases")
        .subnet_ids(&subnets[0])
        .subnet_ids(&subnets[2])
        .send()
        .await
        .unwrap();
    let drift = check(&moto, &[], 1);
    let changed = paths(&drift, "aws_db_parameter_group", "app-pg16");
    assert_eq!(
        changed,
        ["/Parameters/log_min_duration_statement/ParameterValue"]
    );
    let changed = paths(&drift, "aws_db_subnet_group", "app-db");
    assert!(
        changed.iter().all(|p| p.starts_with("/Subnets")),
        "{changed:?}"
    );
}

/// A provider 6.x state of the instance [`postgres`] made, leaving out what AWS fills in (the
/// windows, the CA certificate, the key, the subnet group, the parameter group) and naming
/// only the major version: in sync. Then the instance deleted and another made by hand:
/// missing, and unmanaged with its import block.
#[tokio::test]
async fn a_state_that_leaves_aws_defaults_out_is_in_sync_then_missing_and_unmanaged() {
    let moto = Moto::start();
    let rds = Client::new(&moto.sdk_config().await);
    postgres(&rds, "app").await;
    let live = rds.describe_db_instances().send().await.unwrap();
    let app = &live.db_instances()[0];
    let secret = app
        .master_user_secret()
        .unwrap()
        .secret_arn()
        .unwrap()
        .to_string();
    // With no security group named, AWS (and moto) gives the instance the VPC's default
    // group, and the provider's refresh writes it into the state.
    let groups: Vec<&str> = app
        .vpc_security_groups()
        .iter()
        .filter_map(|g| g.vpc_security_group_id())
        .collect();
    let mut attributes = json!({
        "id": "db-ABCDEFGHIJ", "identifier": "app", "engine": "postgres",
        "engine_version": "16", "engine_version_actual": "16.3",
        "instance_class": "db.t4g.micro", "allocated_storage": 20, "storage_type": "",
        "iops": 0, "storage_encrypted": true, "kms_key_id": "alias/aws/rds",
        "multi_az": false, "publicly_accessible": false, "db_subnet_group_name": "",
        "vpc_security_group_ids": groups, "parameter_group_name": "",
        "backup_retention_period": 7, "backup_window": "", "maintenance_window": ""});
    let more = json!({
        "deletion_protection": false, "iam_database_authentication_enabled": false,
        "performance_insights_enabled": false, "monitoring_interval": 0,
        "ca_cert_identifier": "", "port": 5432, "manage_master_user_password": true,
        "master_user_secret": [{"secret_arn": secret, "secret_status": "active"}],
        "skip_final_snapshot": true, "apply_immediately": false,
        "tags": {"team": "core"}, "tags_all": {"team": "core"}});
    for (k, v) in more.as_object().unwrap() {
        attributes[k] = v.clone();
    }
    let instance = json!({"schema_version": 2, "attributes": attributes});
    let state = json!({"version": 4, "terraform_version": "1.11.4", "serial": 1,
        "lineage": "databases", "outputs": {}, "resources": [
        {"mode": "managed", "type": "aws_db_instance", "name": "app",
         "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
         "instances": [instance]}]});
    std::fs::write(moto.path("db.tfstate"), state.to_string()).unwrap();
    let report = check(&moto, &["--state", "db.tfstate"], 0);
    assert_eq!(
        entry(&report, "aws_db_instance", "app")["status"],
        "in_sync",
        "{report:#}"
    );

    rds.delete_db_instance()
        .db_instance_identifier("app")
        .skip_final_snapshot(true)
        .send()
        .await
        .unwrap();
    postgres(&rds, "made-by-hand").await;
    let report = check(
        &moto,
        &[
            "--state",
            "db.tfstate",
            "--report",
            "terraform-import=imports.tf",
        ],
        1,
    );
    let status = |id: &str| entry(&report, "aws_db_instance", id)["status"].clone();
    assert_eq!(status("app"), "missing", "{report:#}");
    assert_eq!(status("made-by-hand"), "unmanaged", "{report:#}");
    let imports = std::fs::read_to_string(moto.path("imports.tf")).unwrap();
    assert!(imports.contains("id = \"made-by-hand\""), "{imports}");
    assert!(imports.contains("aws_db_instance"), "{imports}");
}
