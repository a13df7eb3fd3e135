//! DynamoDB tables against moto: a snapshot checks clean; each compared setting changed in the
//! account is reported at its path (billing and capacity, PITR, TTL, deletion protection, a
//! global index added, tags, the stream); a deleted table is missing, one created outside is
//! unmanaged with its import block (the table name); a Terraform state in sync, then drifted.

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, CreateGlobalSecondaryIndexAction, GlobalSecondaryIndexUpdate,
    KeySchemaElement, KeyType, PointInTimeRecoverySpecification, Projection, ProjectionType,
    ProvisionedThroughput, ScalarAttributeType, StreamSpecification, StreamViewType, Tag,
    TimeToLiveSpecification,
};
use aws_sdk_dynamodb::Client;
use serde_json::{json, Value};

use crate::harness::{entry, Moto};

const KINDS: [&str; 2] = ["--kind", "aws_dynamodb_table"];

fn attribute(name: &str, t: ScalarAttributeType) -> AttributeDefinition {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(t)
        .build()
        .unwrap()
}

fn key(name: &str, t: KeyType) -> KeySchemaElement {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(t)
        .build()
        .unwrap()
}

fn capacity(n: i64) -> ProvisionedThroughput {
    ProvisionedThroughput::builder()
        .read_capacity_units(n)
        .write_capacity_units(n)
        .build()
        .unwrap()
}

/// A Terraform lock table: on-demand, a HASH key `LockID` of type S.
pub(crate) async fn lock_table(ddb: &Client, name: &str) {
    ddb.create_table()
        .table_name(name)
        .attribute_definitions(attribute("LockID", ScalarAttributeType::S))
        .key_schema(key("LockID", KeyType::Hash))
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .unwrap();
}

/// The lock table and a provisioned `orders` table (pk/sk, 5/5, tagged).
async fn seeded() -> (Moto, Client) {
    let moto = Moto::start();
    let ddb = Client::new(&moto.sdk_config().await);
    lock_table(&ddb, "tf-locks").await;
    ddb.create_table()
        .table_name("orders")
        .attribute_definitions(attribute("pk", ScalarAttributeType::S))
        .attribute_definitions(attribute("sk", ScalarAttributeType::N))
        .key_schema(key("pk", KeyType::Hash))
        .key_schema(key("sk", KeyType::Range))
        .provisioned_throughput(capacity(5))
        .tags(Tag::builder().key("team").value("shop").build().unwrap())
        .send()
        .await
        .unwrap();
    (moto, ddb)
}

fn check(moto: &Moto, extra: &[&str], code: i32) -> Value {
    let mut args = vec!["check", "--no-checks", "--format", "json"];
    args.extend(extra);
    args.extend(KINDS);
    moto.driftwatch(&args).expect_code(code).json()
}

/// The paths of the changes of one modified table.
fn paths(report: &Value, id: &str) -> Vec<String> {
    let e = entry(report, "aws_dynamodb_table", id);
    assert_eq!(e["status"], "modified", "{e:#}");
    e["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap().to_string())
        .collect()
}

fn assert_reported(paths: &[String], expected: &[&str]) {
    for p in expected {
        assert!(
            paths.iter().any(|s| s.starts_with(p)),
            "{p} not in {paths:?}"
        );
    }
}

/// What a user changes by hand: the lock table made provisioned, with PITR, TTL and deletion
/// protection; `orders` with more capacity, a new global index, a stream and another tag.
async fn change_by_hand(ddb: &Client) {
    ddb.update_table()
        .table_name("tf-locks")
        .billing_mode(BillingMode::Provisioned)
        .provisioned_throughput(capacity(3))
        .deletion_protection_enabled(true)
        .send()
        .await
        .unwrap();
    ddb.update_continuous_backups()
        .table_name("tf-locks")
        .point_in_time_recovery_specification(
            PointInTimeRecoverySpecification::builder()
                .point_in_time_recovery_enabled(true)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    ddb.update_time_to_live()
        .table_name("tf-locks")
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .attribute_name("expires")
                .enabled(true)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let index = CreateGlobalSecondaryIndexAction::builder()
        .index_name("by-sk")
        .key_schema(key("sk", KeyType::Hash))
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::KeysOnly)
                .build(),
        )
        .provisioned_throughput(capacity(1))
        .build()
        .unwrap();
    ddb.update_table()
        .table_name("orders")
        .provisioned_throughput(capacity(10))
        .global_secondary_index_updates(GlobalSecondaryIndexUpdate::builder().create(index).build())
        .stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::NewImage)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let arn = table_arn(ddb, "orders").await;
    ddb.tag_resource()
        .resource_arn(arn)
        .tags(Tag::builder().key("team").value("ops").build().unwrap())
        .send()
        .await
        .unwrap();
}

async fn table_arn(ddb: &Client, name: &str) -> String {
    let t = ddb.describe_table().table_name(name).send().await.unwrap();
    t.table().unwrap().table_arn().unwrap().to_string()
}

/// Deletes `orders` and creates `made-by-hand`.
async fn delete_and_create(ddb: &Client) {
    ddb.delete_table()
        .table_name("orders")
        .send()
        .await
        .unwrap();
    lock_table(ddb, "made-by-hand").await;
}

#[tokio::test]
async fn a_snapshot_checks_clean_and_every_compared_change_is_reported() {
    let (moto, ddb) = seeded().await;
    let mut snap = vec!["snapshot"];
    snap.extend(KINDS);
    moto.driftwatch(&snap).expect_code(0);
    let golden = moto.path("golden/aws_dynamodb_table/tf-locks.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(golden).unwrap()).unwrap();
    assert_eq!(
        doc,
        json!({"TableName": "tf-locks", "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": {"LockID": "HASH"}, "AttributeDefinitions": {"LockID": "S"}}),
        "the lock table at AWS's defaults is its keys alone"
    );
    let clean = check(&moto, &[], 0);
    assert_eq!(clean["summary"]["in_sync"], 2, "{clean:#}");

    change_by_hand(&ddb).await;
    let report = check(&moto, &[], 1);
    assert_reported(
        &paths(&report, "tf-locks"),
        &[
            "/BillingMode",
            "/ProvisionedThroughput",
            "/PointInTimeRecoveryEnabled",
            "/TimeToLive",
            "/DeletionProtectionEnabled",
        ],
    );
    assert_reported(
        &paths(&report, "orders"),
        &[
            "/ProvisionedThroughput/ReadCapacityUnits",
            "/GlobalSecondaryIndexes",
            "/StreamSpecification",
            "/Tags/team",
        ],
    );

    delete_and_create(&ddb).await;
    let report = check(&moto, &[], 1);
    let status = |id: &str| entry(&report, "aws_dynamodb_table", id)["status"].clone();
    assert_eq!(status("orders"), "missing", "{report:#}");
    assert_eq!(status("made-by-hand"), "unmanaged", "{report:#}");
}

/// A provider 5.x state of what [`seeded`] made.
fn state() -> Value {
    let table = |name: &str, attributes: Value| {
        json!({"mode": "managed", "type": "aws_dynamodb_table", "name": name,
            "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
            "instances": [{"schema_version": 1, "attributes": attributes}]})
    };
    let common = |name: &str| {
        json!({"id": name, "name": name,
            "arn": format!("arn:aws:dynamodb:us-east-1:123456789012:table/{name}"),
            "global_secondary_index": [], "local_secondary_index": [],
            "stream_enabled": false, "stream_view_type": "", "stream_arn": "", "stream_label": "",
            "server_side_encryption": [], "point_in_time_recovery": [{"enabled": false}],
            "ttl": [{"attribute_name": "", "enabled": false}], "deletion_protection_enabled": false,
            "table_class": "STANDARD", "replica": [], "import_table": [],
            "on_demand_throughput": [], "warm_throughput": []})
    };
    let merge = |mut a: Value, b: Value| {
        for (k, v) in b.as_object().unwrap() {
            a[k] = v.clone();
        }
        a
    };
    json!({"version": 4, "terraform_version": "1.9.5", "serial": 1, "lineage": "tables",
        "outputs": {}, "resources": [
        table("locks", merge(common("tf-locks"), json!({"billing_mode": "PAY_PER_REQUEST",
            "read_capacity": 0, "write_capacity": 0, "hash_key": "LockID", "range_key": "",
            "attribute": [{"name": "LockID", "type": "S"}], "tags": {}, "tags_all": {}}))),
        table("orders", merge(common("orders"), json!({"billing_mode": "PROVISIONED",
            "read_capacity": 5, "write_capacity": 5, "hash_key": "pk", "range_key": "sk",
            "attribute": [{"name": "pk", "type": "S"}, {"name": "sk", "type": "N"}],
            "tags": {"team": "shop"}, "tags_all": {"team": "shop"}}))),
    ]})
}

#[tokio::test]
async fn a_terraform_state_in_sync_then_drifted() {
    let (moto, ddb) = seeded().await;
    std::fs::write(moto.path("prod.tfstate"), state().to_string()).unwrap();
    let report = check(&moto, &["--state", "prod.tfstate"], 0);
    assert_eq!(report["summary"]["in_sync"], 2, "{report:#}");

    change_by_hand(&ddb).await;
    delete_and_create(&ddb).await;
    let report = check(
        &moto,
        &[
            "--state",
            "prod.tfstate",
            "--report",
            "terraform-import=imports.tf",
        ],
        1,
    );
    assert_reported(
        &paths(&report, "tf-locks"),
        &[
            "/BillingMode",
            "/ProvisionedThroughput",
            "/PointInTimeRecoveryEnabled",
            "/TimeToLive",
            "/DeletionProtectionEnabled",
        ],
    );
    let status = |id: &str| entry(&report, "aws_dynamodb_table", id)["status"].clone();
    assert_eq!(status("orders"), "missing", "{report:#}");
    assert_eq!(status("made-by-hand"), "unmanaged", "{report:#}");
    let imports = std::fs::read_to_string(moto.path("imports.tf")).unwrap();
    assert!(
        imports.contains(
            "import {\n  to = aws_dynamodb_table.made_by_hand\n  id = \"made-by-hand\"\n}"
        ),
        "{imports}"
    );
}

/// 101 tables: two `ListTables` pages, a file for each; tags from the Tagging API's pages (the
/// default) and from one `ListTagsOfResource` per table (`--no-cache`) agree.
#[tokio::test]
async fn every_page_of_tables_is_read_and_tags_agree_either_way() {
    let (moto, ddb) = seeded().await;
    for i in 0..99 {
        lock_table(&ddb, &format!("t{i:03}")).await;
    }
    let mut snap = vec!["-v", "snapshot"];
    snap.extend(KINDS);
    let run = moto.driftwatch(&snap).expect_code(0);
    let calls = run.api_calls();
    assert_eq!(calls.get("dynamodb:ListTables"), Some(&2), "{calls:?}");
    assert_eq!(calls.get("dynamodb:DescribeTable"), Some(&101), "{calls:?}");
    assert!(calls.contains_key("tag:GetResources"), "{calls:?}");
    assert!(
        !calls.contains_key("dynamodb:ListTagsOfResource"),
        "{calls:?}"
    );
    let files = std::fs::read_dir(moto.path("golden/aws_dynamodb_table")).unwrap();
    assert_eq!(files.count(), 101);
    let one_by_one = moto
        .driftwatch(&[
            "-v",
            "check",
            "--no-checks",
            "--no-cache",
            "--kind",
            "aws_dynamodb_table",
        ])
        .expect_code(0);
    let calls = one_by_one.api_calls();
    assert_eq!(
        calls.get("dynamodb:ListTagsOfResource"),
        Some(&101),
        "{calls:?}"
    );
}
