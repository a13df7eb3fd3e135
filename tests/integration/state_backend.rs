//! `state-backend` end to end: the demo's S3 backend (a versioned, private, KMS-encrypted state
//! bucket refusing plain-HTTP writes, and a lock table keyed by `LockID`, see `demo/seed.py`)
//! with one break each made through boto3; `check` reads the state from that bucket.

use serde_json::Value;

use crate::checks::demo_with;
use crate::harness::Moto;

const STATE: &str = "s3://retainwise-terraform-state/prod/terraform.tfstate";
const BUCKET: &str = "retainwise-terraform-state";
const LOCKS: &str = "retainwise-terraform-locks";

/// `check` of the account against the state in its backend, naming `lock_table`.
fn check(moto: &Moto, lock_table: &str) -> Value {
    let run = moto.driftwatch(&[
        "check",
        "--golden",
        "golden",
        "--state",
        STATE,
        "--lock-table",
        lock_table,
        "--format",
        "json",
    ]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    run.json()
}

/// `(severity, kind, id, message)` of each state-backend finding.
fn backend(report: &Value) -> Vec<(String, String, String, String)> {
    let none = Vec::new();
    report
        .get("checks")
        .and_then(Value::as_array)
        .unwrap_or(&none)
        .iter()
        .filter(|f| f["check"] == "state-backend")
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("severity"), s("kind"), s("id"), s("message"))
        })
        .collect()
}

fn only(report: &Value) -> (String, String, String, String) {
    let mut found = backend(report);
    assert_eq!(found.len(), 1, "{found:#?}");
    found.remove(0)
}

#[test]
fn the_demo_backend_is_sound_and_every_part_of_it_judged() {
    let moto = demo_with("");
    let report = check(&moto, LOCKS);
    assert_eq!(backend(&report), vec![], "{report:#}");
    let not_judged = report["not_judged"].as_array().cloned().unwrap_or_default();
    assert!(
        not_judged.iter().all(|n| n["check"] != "state-backend"),
        "{report:#}"
    );
}

#[test]
fn versioning_suspended_is_an_error() {
    let moto = demo_with(&format!(
        "boto3.client('s3', region_name='us-east-1').put_bucket_versioning(Bucket='{BUCKET}', \
         VersioningConfiguration={{'Status': 'Suspended'}})"
    ));
    let (severity, kind, id, message) = only(&check(&moto, LOCKS));
    assert_eq!(
        (severity.as_str(), kind.as_str(), id.as_str()),
        ("error", "aws_s3_bucket", BUCKET)
    );
    assert!(message.contains("with versioning suspended"), "{message}");
}

#[test]
fn a_public_access_block_setting_off_is_an_error() {
    let moto = demo_with(&format!(
        "boto3.client('s3', region_name='us-east-1').put_public_access_block(Bucket='{BUCKET}', \
         PublicAccessBlockConfiguration={{'BlockPublicAcls': True, 'IgnorePublicAcls': True, \
         'BlockPublicPolicy': False, 'RestrictPublicBuckets': True}})"
    ));
    let (severity, _, _, message) = only(&check(&moto, LOCKS));
    assert_eq!(severity, "error");
    assert!(
        message.ends_with("public access block settings off: BlockPublicPolicy"),
        "{message}"
    );
}

#[test]
fn a_policy_letting_anyone_read_the_state_is_an_error() {
    let moto = demo_with(&format!(
        "boto3.client('s3', region_name='us-east-1').put_bucket_policy(Bucket='{BUCKET}', Policy=json.dumps(\
         {{'Version': '2012-10-17', 'Statement': [{{'Sid': 'ForATest', 'Effect': 'Allow', 'Principal': '*', \
         'Action': 's3:GetObject', 'Resource': 'arn:aws:s3:::{BUCKET}/*'}}]}}))"
    ));
    let found = backend(&check(&moto, LOCKS));
    let read = found
        .iter()
        .find(|f| f.3.contains("lets anyone, outside the account, read"))
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(read.0, "error");
    // The new policy no longer refuses plain HTTP: a warning beside it.
    assert!(found
        .iter()
        .any(|f| f.0 == "warning" && f.3.contains("aws:SecureTransport")));
}

#[test]
fn encryption_without_a_customer_key_is_a_warning() {
    let moto = demo_with(&format!(
        "boto3.client('s3', region_name='us-east-1').put_bucket_encryption(Bucket='{BUCKET}', \
         ServerSideEncryptionConfiguration={{'Rules': [{{'ApplyServerSideEncryptionByDefault': \
         {{'SSEAlgorithm': 'AES256'}}}}]}})"
    ));
    let (severity, _, _, message) = only(&check(&moto, LOCKS));
    assert_eq!(severity, "warning");
    assert!(message.contains("customer-managed KMS key"), "{message}");
}

#[test]
fn a_lock_table_missing_or_keyed_otherwise_is_an_error_and_unprotected_a_warning() {
    let moto = demo_with(
        "db = boto3.client('dynamodb', region_name='us-east-1')\n\
         db.create_table(TableName='other-locks', BillingMode='PAY_PER_REQUEST', \
         KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}], \
         AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}])",
    );
    let (severity, kind, id, message) = only(&check(&moto, "gone-locks"));
    assert_eq!(
        (severity.as_str(), kind.as_str(), id.as_str()),
        ("error", "aws_dynamodb_table", "gone-locks")
    );
    assert!(
        message.ends_with("does not exist: `terraform` runs that lock fail"),
        "{message}"
    );

    let found = backend(&check(&moto, "other-locks"));
    let severities: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(severities, ["error", "warning", "warning"], "{found:#?}");
    assert!(
        found[0]
            .3
            .contains("keyed by id (HASH), not by the string HASH key LockID"),
        "{found:#?}"
    );
    assert!(
        found[1].3.ends_with("has no point-in-time recovery"),
        "{found:#?}"
    );
    assert!(
        found[2].3.ends_with("has no deletion protection"),
        "{found:#?}"
    );
}

#[test]
fn verify_judges_the_backend_offline_from_a_snapshot() {
    let moto = demo_with(&format!(
        "boto3.client('s3', region_name='us-east-1').put_bucket_versioning(Bucket='{BUCKET}', \
         VersioningConfiguration={{'Status': 'Suspended'}})"
    ));
    std::fs::write(
        moto.path("driftwatch.toml"),
        format!("states = [\"{STATE}\"]\nlock_table = \"{LOCKS}\"\n"),
    )
    .unwrap();
    let run = moto
        .driftwatch(&["verify", "golden", "--format", "json"])
        .expect_code(1);
    let (severity, _, id, message) = only(&run.json());
    assert_eq!((severity.as_str(), id.as_str()), ("error", BUCKET));
    assert!(message.contains("with versioning suspended"), "{message}");
}
