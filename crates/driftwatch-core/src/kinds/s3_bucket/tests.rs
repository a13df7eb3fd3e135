//! What a state of each provider shape speaks for: the split resources replace the bucket's own
//! blocks, and a setting no resource of the state manages (the 2023 defaults) is unknown to it.

use serde_json::{json, Value};

use crate::model::Kind;
use crate::normalize::{normalize_raw, Redaction};
use crate::terraform::map::{map, Described, Mapped};
use crate::terraform::state::parse;

fn mapped(rel: &str) -> Mapped {
    let path = format!("{}/tests/fixtures/terraform-state/{rel}", repo!());
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    map(parse(doc).unwrap()).unwrap()
}

fn bucket<'a>(m: &'a Mapped, id: &str) -> &'a Described {
    m.resources
        .iter()
        .find(|d| d.kind == Kind::S3Bucket && d.id == id)
        .unwrap_or_else(|| panic!("{id} not mapped"))
}

fn canonical(d: &Described) -> Value {
    normalize_raw(Kind::S3Bucket, d.document.clone(), &Redaction::default())
}

#[test]
fn a_provider_3_state_without_the_2023_defaults_does_not_speak_for_them() {
    let m = mapped("provider3/s3.tfstate");
    let b = bucket(&m, "tf-state-v3");
    for path in [
        "/PublicAccessBlockConfiguration",
        "/OwnershipControls",
        "/ServerSideEncryptionConfiguration",
    ] {
        assert!(
            b.scope.unknown.iter().any(|u| u == path),
            "{path}: {:?}",
            b.scope
        );
    }
    let doc = canonical(b);
    assert_eq!(doc["Versioning"], json!({"Status": "Enabled"}));
    assert_eq!(
        doc["LifecycleConfiguration"]["Rules"]["old-versions"],
        json!({"Status": "Enabled", "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
               "NoncurrentVersionExpiration": {"NoncurrentDays": 90}})
    );
    assert_eq!(doc["Tags"], json!({"team": "platform"}));
}

#[test]
fn a_provider_5_state_compares_its_split_resources_over_the_buckets_blocks() {
    let m = mapped("provider5/s3.tfstate");
    let b = bucket(&m, "tf-state");
    assert!(!b.scope.partial);
    // The public access block and ownership resources claim their paths, and encryption is the
    // split resource's (KMS), not the bucket's computed AES256.
    assert!(b.scope.unknown.is_empty(), "{:?}", b.scope);
    let doc = canonical(b);
    let sse = &doc["ServerSideEncryptionConfiguration"]["Rules"][0];
    assert_eq!(
        sse["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"],
        "aws:kms"
    );
    assert_eq!(sse["BucketKeyEnabled"], true);
    assert_eq!(
        doc["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"],
        true
    );
    assert_eq!(
        doc["OwnershipControls"]["ObjectOwnership"],
        "BucketOwnerEnforced"
    );
    assert_eq!(doc["Policy"]["Statement"][0]["Sid"], "TLS");
    assert!(doc["LifecycleConfiguration"]["Rules"]["old-versions"].is_object());
    // The object lock of a bucket managed elsewhere: a partial owner with that claim alone.
    let audit = bucket(&m, "audit-logs");
    assert!(audit.scope.partial);
    assert_eq!(
        canonical(audit)["ObjectLockConfiguration"],
        json!({"ObjectLockEnabled": "Enabled",
               "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 30}}})
    );
}
