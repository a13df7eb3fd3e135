//! RDS against moto: a snapshot checks clean; each compared setting changed in the account is
//! reported at its path (an instance's backup retention and deletion protection, a user
//! parameter's value, a subnet group's subnets, a cluster's deletion protection); a deleted
//! database is missing and one made by hand unmanaged, with its import block (identifier or
//! name); what AWS fills in that a state does not set is not reported.

use aws_sdk_rds::Client;
use serde_json::Value;

use crate::harness::{entry, Moto};

const KINDS: &[&str] = &["--kind", "aws_db_instance", "--kind", "aws_rds_cluster"];

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
