//! S3 buckets against moto: a snapshot checks clean; versioning suspended, the public access
//! block, policy, lifecycle, encryption and tags changed are each reported at their path; a
//! deleted bucket is missing, one made by hand unmanaged with its import block; a provider 5.x
//! state (split resources) in sync then drifted, leaving what it does not manage uncompared; a
//! provider 3.x state (inline blocks) on what it holds;
//! only the run's region's buckets. moto gives new buckets none of AWS's 2023 defaults (SSE-S3,
//! the public access block, BucketOwnerEnforced): the seeding sets them, as AWS would.

use aws_sdk_s3::types::{
    BucketLifecycleConfiguration, BucketLocationConstraint, BucketVersioningStatus,
    CreateBucketConfiguration, ExpirationStatus, LifecycleExpiration, LifecycleRule,
    LifecycleRuleFilter, ObjectOwnership, OwnershipControls, OwnershipControlsRule,
    PublicAccessBlockConfiguration, ServerSideEncryption, ServerSideEncryptionByDefault,
    ServerSideEncryptionConfiguration, ServerSideEncryptionRule, Tag, Tagging,
    VersioningConfiguration,
};
use aws_sdk_s3::Client;
use serde_json::{json, Value};

use crate::harness::{entry, Moto};

const KIND: [&str; 2] = ["--kind", "aws_s3_bucket"];

const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"TLS","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::tf-state","arn:aws:s3:::tf-state/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#;

fn check(moto: &Moto, extra: &[&str], code: i32) -> Value {
    let mut args = vec!["check", "--no-checks", "--format", "json"];
    args.extend(extra);
    args.extend(KIND);
    moto.driftwatch(&args).expect_code(code).json()
}

fn paths(report: &Value, id: &str) -> Vec<String> {
    let e = entry(report, "aws_s3_bucket", id);
    assert_eq!(e["status"], "modified", "{e:#}");
    e["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap().to_string())
        .collect()
}

fn pab(on: bool) -> PublicAccessBlockConfiguration {
    PublicAccessBlockConfiguration::builder()
        .block_public_acls(on)
        .ignore_public_acls(on)
        .block_public_policy(on)
        .restrict_public_buckets(on)
        .build()
}

async fn encrypt(s3: &Client, bucket: &str, algorithm: ServerSideEncryption, key: Option<&str>) {
    let default = ServerSideEncryptionByDefault::builder()
        .sse_algorithm(algorithm)
        .set_kms_master_key_id(key.map(str::to_string))
        .build()
        .unwrap();
    let rule = ServerSideEncryptionRule::builder()
        .apply_server_side_encryption_by_default(default)
        .build();
    let conf = ServerSideEncryptionConfiguration::builder()
        .rules(rule)
        .build()
        .unwrap();
    s3.put_bucket_encryption()
        .bucket(bucket)
        .server_side_encryption_configuration(conf)
        .send()
        .await
        .unwrap();
}

async fn lifecycle(s3: &Client, bucket: &str, days: i32) {
    let rule = LifecycleRule::builder()
        .id("old-versions")
        .status(ExpirationStatus::Enabled)
        .filter(LifecycleRuleFilter::builder().prefix("logs/").build())
        .expiration(LifecycleExpiration::builder().days(days).build())
        .build()
        .unwrap();
    let conf = BucketLifecycleConfiguration::builder()
        .rules(rule)
        .build()
        .unwrap();
    s3.put_bucket_lifecycle_configuration()
        .bucket(bucket)
        .lifecycle_configuration(conf)
        .send()
        .await
        .unwrap();
}

async fn tag(s3: &Client, bucket: &str, value: &str) {
    let t = Tag::builder().key("team").value(value).build().unwrap();
    let tagging = Tagging::builder().tag_set(t).build().unwrap();
    s3.put_bucket_tagging()
        .bucket(bucket)
        .tagging(tagging)
        .send()
        .await
        .unwrap();
}

/// `tf-state` with every setting a state bucket has (versioned, encrypted, blocked, owner
/// enforced, a TLS-only policy, a lifecycle rule, tags), and a bare `scratch` bucket.
async fn seeded() -> (Moto, Client) {
    let moto = Moto::start();
    let s3 = moto.s3().await;
    for b in ["tf-state", "scratch"] {
        s3.create_bucket().bucket(b).send().await.unwrap();
    }
    let on = VersioningConfiguration::builder()
        .status(BucketVersioningStatus::Enabled)
        .build();
    let v = s3.put_bucket_versioning().bucket("tf-state");
    v.versioning_configuration(on).send().await.unwrap();
    encrypt(&s3, "tf-state", ServerSideEncryption::Aes256, None).await;
    let p = s3.put_public_access_block().bucket("tf-state");
    p.public_access_block_configuration(pab(true))
        .send()
        .await
        .unwrap();
    let rule = OwnershipControlsRule::builder()
        .object_ownership(ObjectOwnership::BucketOwnerEnforced)
        .build()
        .unwrap();
    let oc = OwnershipControls::builder().rules(rule).build().unwrap();
    let o = s3.put_bucket_ownership_controls().bucket("tf-state");
    o.ownership_controls(oc).send().await.unwrap();
    let p = s3.put_bucket_policy().bucket("tf-state");
    p.policy(POLICY).send().await.unwrap();
    lifecycle(&s3, "tf-state", 30).await;
    tag(&s3, "tf-state", "platform").await;
    (moto, s3)
}

#[tokio::test]
async fn a_snapshot_checks_clean_and_every_compared_change_is_reported() {
    let (moto, s3) = seeded().await;
    let mut snap = vec!["snapshot"];
    snap.extend(KIND);
    moto.driftwatch(&snap).expect_code(0);
    let golden = std::fs::read_to_string(moto.path("golden/aws_s3_bucket/tf-state.json")).unwrap();
    let doc: Value = serde_json::from_str(&golden).unwrap();
    assert_eq!(doc["Versioning"], json!({"Status": "Enabled"}), "{golden}");
    assert_eq!(
        doc["PublicAccessBlockConfiguration"]["BlockPublicAcls"],
        true
    );
    assert_eq!(
        doc["OwnershipControls"],
        json!({"ObjectOwnership": "BucketOwnerEnforced"})
    );
    assert!(
        doc["LifecycleConfiguration"]["Rules"]["old-versions"].is_object(),
        "{golden}"
    );
    let clean = check(&moto, &[], 0);
    assert_eq!(clean["summary"]["in_sync"], 2, "{clean:#}");

    let off = VersioningConfiguration::builder()
        .status(BucketVersioningStatus::Suspended)
        .build();
    let v = s3.put_bucket_versioning().bucket("tf-state");
    v.versioning_configuration(off).send().await.unwrap();
    let p = s3.put_public_access_block().bucket("tf-state");
    p.public_access_block_configuration(pab(false))
        .send()
        .await
        .unwrap();
    let p = s3.put_bucket_policy().bucket("tf-state");
    p.policy(POLICY.replace("\"Deny\"", "\"Allow\""))
        .send()
        .await
        .unwrap();
    lifecycle(&s3, "tf-state", 7).await;
    let key = "arn:aws:kms:us-east-1:123456789012:key/k";
    encrypt(&s3, "tf-state", ServerSideEncryption::AwsKms, Some(key)).await;
    tag(&s3, "tf-state", "data").await;

    let report = check(&moto, &[], 1);
    let changed = paths(&report, "tf-state");
    for p in [
        "/Versioning/Status",
        "/PublicAccessBlockConfiguration/BlockPublicAcls",
        "/Policy/Statement/0/Effect",
        "/LifecycleConfiguration/Rules/old-versions/Expiration/Days",
        "/Tags/team",
    ] {
        assert!(changed.iter().any(|s| s == p), "{p} not in {changed:?}");
    }
    assert!(
        changed
            .iter()
            .any(|s| s.starts_with("/ServerSideEncryptionConfiguration")),
        "{changed:?}"
    );

    s3.delete_bucket().bucket("scratch").send().await.unwrap();
    s3.create_bucket()
        .bucket("made-by-hand")
        .send()
        .await
        .unwrap();
    let report = check(&moto, &[], 1);
    assert_eq!(
        entry(&report, "aws_s3_bucket", "scratch")["status"],
        "missing"
    );
    assert_eq!(
        entry(&report, "aws_s3_bucket", "made-by-hand")["status"],
        "unmanaged"
    );
}

/// A provider 5.x state: the bucket (its computed inline blocks) and the split resources for
/// versioning, encryption, the public access block and the policy; no ownership controls and
/// no lifecycle resource, and `scratch` bare with no public access block resource: those are
/// not compared where no resource manages them.
fn state() -> Value {
    let res = |ty: &str, name: &str, attributes: Value| {
        json!({"mode": "managed", "type": ty, "name": name,
            "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
            "instances": [{"schema_version": 0, "attributes": attributes}]})
    };
    let bucket = |name: &str, versioned: bool, lifecycle: Value, tags: Value| {
        json!({"id": name, "arn": format!("arn:aws:s3:::{name}"), "bucket": name,
            "force_destroy": false, "object_lock_enabled": false,
            "object_lock_configuration": [], "policy": "", "lifecycle_rule": lifecycle,
            "versioning": [{"enabled": versioned, "mfa_delete": false}],
            "server_side_encryption_configuration": [],
            "tags": tags, "tags_all": tags})
    };
    let rule = json!([{"id": "old-versions", "enabled": true, "prefix": "logs/", "tags": {},
        "abort_incomplete_multipart_upload_days": 0, "expiration": [{"days": 30,
        "date": "", "expired_object_delete_marker": false}], "transition": [],
        "noncurrent_version_expiration": [], "noncurrent_version_transition": []}]);
    json!({"version": 4, "terraform_version": "1.9.5", "serial": 1, "lineage": "s3",
        "outputs": {}, "resources": [
        res("aws_s3_bucket", "state", bucket("tf-state", true, rule, json!({"team": "platform"}))),
        res("aws_s3_bucket", "scratch", bucket("scratch", false, json!([]), json!({}))),
        res("aws_s3_bucket_versioning", "state", json!({"id": "tf-state", "bucket": "tf-state",
            "expected_bucket_owner": "",
            "versioning_configuration": [{"status": "Enabled", "mfa_delete": ""}]})),
        res("aws_s3_bucket_server_side_encryption_configuration", "state", json!({
            "id": "tf-state", "bucket": "tf-state", "expected_bucket_owner": "",
            "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256",
                "kms_master_key_id": ""}], "bucket_key_enabled": false}]})),
        res("aws_s3_bucket_public_access_block", "state", json!({"id": "tf-state",
            "bucket": "tf-state", "block_public_acls": true, "ignore_public_acls": true,
            "block_public_policy": true, "restrict_public_buckets": true})),
        res("aws_s3_bucket_policy", "state", json!({"id": "tf-state", "bucket": "tf-state",
            "policy": POLICY})),
    ]})
}

#[tokio::test]
async fn a_split_terraform_state_in_sync_then_drifted() {
    let (moto, s3) = seeded().await;
    // What AWS gives every new bucket since 2023, which no resource of the state manages on
    // `scratch`: not drift.
    let p = s3.put_public_access_block().bucket("scratch");
    p.public_access_block_configuration(pab(true))
        .send()
        .await
        .unwrap();
    encrypt(&s3, "scratch", ServerSideEncryption::Aes256, None).await;
    std::fs::write(moto.path("prod.tfstate"), state().to_string()).unwrap();
    let report = check(&moto, &["--state", "prod.tfstate"], 0);
    assert_eq!(report["summary"]["in_sync"], 2, "{report:#}");

    let off = VersioningConfiguration::builder()
        .status(BucketVersioningStatus::Suspended)
        .build();
    let v = s3.put_bucket_versioning().bucket("tf-state");
    v.versioning_configuration(off).send().await.unwrap();
    let p = s3.put_public_access_block().bucket("tf-state");
    p.public_access_block_configuration(pab(false))
        .send()
        .await
        .unwrap();
    lifecycle(&s3, "tf-state", 7).await;
    let report = check(&moto, &["--state", "prod.tfstate"], 1);
    let changed = paths(&report, "tf-state");
    for p in [
        "/Versioning/Status",
        "/PublicAccessBlockConfiguration/BlockPublicAcls",
        "/LifecycleConfiguration/Rules/old-versions/Expiration/Days",
    ] {
        assert!(changed.iter().any(|s| s == p), "{p} not in {changed:?}");
    }
    assert_eq!(
        entry(&report, "aws_s3_bucket", "scratch")["status"],
        "in_sync"
    );

    s3.create_bucket()
        .bucket("made-by-hand")
        .send()
        .await
        .unwrap();
    let args = [
        "--state",
        "prod.tfstate",
        "--report",
        "terraform-import=imports.tf",
    ];
    let report = check(&moto, &args, 1);
    let hand = entry(&report, "aws_s3_bucket", "made-by-hand");
    assert_eq!(hand["status"], "unmanaged");
    let imports = std::fs::read_to_string(moto.path("imports.tf")).unwrap();
    assert!(
        imports.contains("import {\n  to = aws_s3_bucket.made_by_hand\n  id = \"made-by-hand\"\n}"),
        "{imports}"
    );
}

#[tokio::test]
async fn only_the_buckets_of_the_runs_region_are_compared() {
    let moto = Moto::start();
    let s3 = moto.s3().await;
    s3.create_bucket().bucket("here").send().await.unwrap();
    let eu = CreateBucketConfiguration::builder()
        .location_constraint(BucketLocationConstraint::EuWest1)
        .build();
    let c = s3.create_bucket().bucket("over-there");
    c.create_bucket_configuration(eu).send().await.unwrap();
    let mut snap = vec!["snapshot"];
    snap.extend(KIND);
    moto.driftwatch(&snap).expect_code(0);
    assert!(moto.path("golden/aws_s3_bucket/here.json").exists());
    assert!(!moto.path("golden/aws_s3_bucket/over-there.json").exists());
}

/// A provider 3.x state (inline blocks only, from before 2023): the defaults AWS has since given
/// the bucket (SSE-S3, the public access block, BucketOwnerEnforced) are not drift; its inline
/// versioning and lifecycle are compared.
#[tokio::test]
async fn a_provider_3_inline_state_is_compared_on_what_it_holds() {
    let (moto, s3) = seeded().await;
    let rule = json!([{"id": "old-versions", "enabled": true, "prefix": "logs/", "tags": {},
        "abort_incomplete_multipart_upload_days": 0, "expiration": [{"days": 30,
        "date": "", "expired_object_delete_marker": false}], "transition": [],
        "noncurrent_version_expiration": [], "noncurrent_version_transition": []}]);
    let state = json!({"version": 4, "terraform_version": "0.14.11", "serial": 1,
        "lineage": "s3-v3", "outputs": {}, "resources": [
        {"mode": "managed", "type": "aws_s3_bucket", "name": "state",
         "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
         "instances": [{"schema_version": 0, "attributes": {"id": "tf-state",
            "arn": "arn:aws:s3:::tf-state", "bucket": "tf-state", "acl": "private",
            "force_destroy": false, "policy": POLICY, "lifecycle_rule": rule,
            "versioning": [{"enabled": true, "mfa_delete": false}],
            "server_side_encryption_configuration": [], "object_lock_configuration": [],
            "tags": {"team": "platform"}, "tags_all": {"team": "platform"}}}]}]});
    std::fs::write(moto.path("v3.tfstate"), state.to_string()).unwrap();
    let report = check(&moto, &["--state", "v3.tfstate"], 1);
    // `scratch` is in no state: unmanaged; `tf-state` in sync despite its encryption, public
    // access block and ownership controls, which the state never mentions.
    assert_eq!(
        entry(&report, "aws_s3_bucket", "tf-state")["status"],
        "in_sync",
        "{report:#}"
    );
    assert_eq!(
        entry(&report, "aws_s3_bucket", "scratch")["status"],
        "unmanaged"
    );

    let off = VersioningConfiguration::builder()
        .status(BucketVersioningStatus::Suspended)
        .build();
    let v = s3.put_bucket_versioning().bucket("tf-state");
    v.versioning_configuration(off).send().await.unwrap();
    let report = check(&moto, &["--state", "v3.tfstate"], 1);
    assert_eq!(paths(&report, "tf-state"), ["/Versioning/Status"]);
}
