//! `state-backend` on AWS-shaped buckets and tables: a sound backend has no finding, and each
//! weakness gives exactly its finding, with the severity the issue names.

use serde_json::{json, Value};

use super::*;
use crate::model::{Identity, Origin, Resource};

const BUCKET: &str = "acme-tf-state";

fn resource(doc: Value) -> Resource {
    Resource {
        document: doc,
        origin: Origin("test".into()),
        scope: Default::default(),
    }
}

fn sound_bucket() -> Value {
    json!({
        "Name": BUCKET,
        "Versioning": {"Status": "Enabled"},
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": true,
            "BlockPublicPolicy": true, "RestrictPublicBuckets": true},
        "ServerSideEncryptionConfiguration": {"Rules": [{"ApplyServerSideEncryptionByDefault": {
            "SSEAlgorithm": "aws:kms",
            "KMSMasterKeyID": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}}]},
        "Policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*",
            "Action": ["s3:*"], "Resource": [format!("arn:aws:s3:::{BUCKET}/*")],
            "Condition": {"Bool": {"aws:SecureTransport": ["false"]}}}]},
    })
}

fn sound_table() -> Value {
    json!({"TableName": "tf-locks", "KeySchema": {"LockID": "HASH"},
           "AttributeDefinitions": {"LockID": "S"}, "PointInTimeRecoveryEnabled": true,
           "DeletionProtectionEnabled": true})
}

fn setup() -> (Inventory, Extras) {
    let mut inv = Inventory::new("the account (us-east-1)", Kind::ALL);
    inv.insert(Kind::S3Bucket, BUCKET.into(), resource(sound_bucket()));
    inv.insert(
        Kind::DynamodbTable,
        "tf-locks".into(),
        resource(sound_table()),
    );
    let extras = Extras {
        identity: Some(Identity {
            account: "123456789012".into(),
            partition: "aws".into(),
            region: "us-east-1".into(),
        }),
        backend: Backend {
            states: vec![(BUCKET.into(), "prod/app.tfstate".into())],
            lock_table: Some("tf-locks".into()),
        },
        ..Extras::default()
    };
    (inv, extras)
}

fn bucket(inv: &mut Inventory) -> &mut Value {
    &mut inv
        .resources
        .get_mut(&(Kind::S3Bucket, BUCKET.to_string()))
        .unwrap()
        .document
}

/// `(severity, message)` of each state-backend finding.
fn found(inv: &Inventory, extras: &Extras) -> Vec<(Severity, String)> {
    run(inv, extras, &Options::default())
        .findings
        .into_iter()
        .filter(|f| f.check == CheckId::StateBackend)
        .map(|f| (f.severity, f.message))
        .collect()
}

fn only(inv: &Inventory, extras: &Extras) -> (Severity, String) {
    let mut f = found(inv, extras);
    assert_eq!(f.len(), 1, "{f:#?}");
    f.remove(0)
}

#[test]
fn a_sound_backend_has_no_finding() {
    let (inv, extras) = setup();
    let outcome = run(&inv, &extras, &Options::default());
    assert_eq!(outcome.findings, vec![]);
    assert_eq!(outcome.not_judged, vec![]);
}

#[test]
fn versioning_never_enabled_or_suspended_is_an_error() {
    let (mut inv, extras) = setup();
    bucket(&mut inv)
        .as_object_mut()
        .unwrap()
        .remove("Versioning");
    let (severity, message) = only(&inv, &extras);
    assert_eq!(severity, Severity::Error);
    assert!(
        message.contains("with versioning never enabled"),
        "{message}"
    );
    bucket(&mut inv)["Versioning"] = json!({"Status": "Suspended"});
    assert!(only(&inv, &extras).1.contains("with versioning suspended"));
}

#[test]
fn public_access_block_off_or_absent_is_an_error() {
    let (mut inv, extras) = setup();
    bucket(&mut inv)["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"] = json!(false);
    let (severity, message) = only(&inv, &extras);
    assert_eq!(severity, Severity::Error);
    assert!(
        message.ends_with("settings off: RestrictPublicBuckets"),
        "{message}"
    );
    bucket(&mut inv)
        .as_object_mut()
        .unwrap()
        .remove("PublicAccessBlockConfiguration");
    assert!(only(&inv, &extras).1.ends_with(
        "settings off: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets"
    ));
}

#[test]
fn readers_outside_the_account_are_an_error_and_a_condition_a_warning() {
    let (mut inv, extras) = setup();
    let statements = bucket(&mut inv)["Policy"]["Statement"]
        .as_array_mut()
        .unwrap();
    statements.push(
        json!({"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::444455556666:root"]},
        "Action": ["s3:GetObject"], "Resource": [format!("arn:aws:s3:::{BUCKET}/prod/*")]}),
    );
    let (severity, message) = only(&inv, &extras);
    assert_eq!(severity, Severity::Error);
    assert!(
        message.contains("lets arn:aws:iam::444455556666:root, outside the account, read"),
        "{message}"
    );

    // The same account's roles may read: no finding.
    bucket(&mut inv)["Policy"]["Statement"][1]["Principal"] =
        json!({"AWS": ["arn:aws:iam::123456789012:role/ci"]});
    assert_eq!(found(&inv, &extras), vec![]);

    // Anyone, but only within the organization: depends on the request.
    bucket(&mut inv)["Policy"]["Statement"][1]["Principal"] = json!("*");
    bucket(&mut inv)["Policy"]["Statement"][1]["Condition"] =
        json!({"StringEquals": {"aws:PrincipalOrgID": ["o-abc"]}});
    let (severity, message) = only(&inv, &extras);
    assert_eq!(severity, Severity::Warning);
    assert!(
        message.contains("lets anyone, outside the account"),
        "{message}"
    );

    // Another key than the state's: no finding.
    bucket(&mut inv)["Policy"]["Statement"][1]
        .as_object_mut()
        .unwrap()
        .remove("Condition");
    bucket(&mut inv)["Policy"]["Statement"][1]["Resource"] =
        json!([format!("arn:aws:s3:::{BUCKET}/public/*")]);
    assert_eq!(found(&inv, &extras), vec![]);
}

#[test]
fn no_customer_key_or_no_tls_deny_is_a_warning() {
    let (mut inv, extras) = setup();
    bucket(&mut inv)["ServerSideEncryptionConfiguration"]["Rules"][0]
        ["ApplyServerSideEncryptionByDefault"] = json!({"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:us-east-1:123456789012:alias/aws/s3"});
    let (severity, message) = only(&inv, &extras);
    assert_eq!(severity, Severity::Warning);
    assert!(message.contains("customer-managed KMS key"), "{message}");

    let (mut inv, extras) = setup();
    bucket(&mut inv).as_object_mut().unwrap().remove("Policy");
    let (severity, message) = only(&inv, &extras);
    assert_eq!(severity, Severity::Warning);
    assert!(message.contains("aws:SecureTransport = false"), "{message}");
}

#[test]
fn the_lock_table_missing_keyed_otherwise_or_unprotected() {
    let (mut inv, extras) = setup();
    let table = &mut inv
        .resources
        .get_mut(&(Kind::DynamodbTable, "tf-locks".to_string()))
        .unwrap()
        .document;
    table
        .as_object_mut()
        .unwrap()
        .remove("DeletionProtectionEnabled");
    let (severity, message) = only(&inv, &extras);
    assert_eq!(severity, Severity::Warning);
    assert!(message.ends_with("has no deletion protection"), "{message}");

    let table = &mut inv
        .resources
        .get_mut(&(Kind::DynamodbTable, "tf-locks".to_string()))
        .unwrap()
        .document;
    table["AttributeDefinitions"] = json!({"LockID": "N"});
    table["DeletionProtectionEnabled"] = json!(true);
    let (severity, message) = only(&inv, &extras);
    assert_eq!(severity, Severity::Error);
    assert!(
        message.contains("not by the string HASH key LockID"),
        "{message}"
    );

    inv.resources
        .remove(&(Kind::DynamodbTable, "tf-locks".to_string()));
    let (severity, message) = only(&inv, &extras);
    assert_eq!(severity, Severity::Error);
    assert!(
        message.contains("tf-locks (lock_table) does not exist"),
        "{message}"
    );

    // Without lock_table (use_lockfile) nothing about a table is said.
    let mut extras = extras;
    extras.backend.lock_table = None;
    assert_eq!(found(&inv, &extras), vec![]);
}

#[test]
fn a_bucket_not_in_the_region_read_and_settings_a_state_does_not_manage_are_not_judged() {
    let (mut inv, extras) = setup();
    inv.resources.remove(&(Kind::S3Bucket, BUCKET.to_string()));
    let outcome = run(&inv, &extras, &Options::default());
    assert_eq!(outcome.findings, vec![]);
    assert_eq!(outcome.not_judged.len(), 1, "{outcome:#?}");
    assert!(outcome.not_judged[0].message.contains("another region's?"));

    // The table goes with the bucket: not here either, it is not called missing.
    inv.resources
        .remove(&(Kind::DynamodbTable, "tf-locks".to_string()));
    let outcome = run(&inv, &extras, &Options::default());
    assert_eq!(outcome.findings, vec![]);
    assert_eq!(outcome.not_judged.len(), 2, "{outcome:#?}");
}
