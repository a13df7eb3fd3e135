use serde_json::{json, Value};

use super::normalize;
use crate::kinds::s3_bucket::terraform::from_terraform;

/// A bucket made in 2024 as AWS answers for it: SSE-S3, the public access block and
/// BucketOwnerEnforced on by default, a suspended versioning, a lifecycle rule with the 2024
/// default minimum size (moto returns none of the defaults: unit-tested here).
fn aws_shaped() -> Value {
    json!({
        "Name": "tf-state",
        "Versioning": {"Status": "Suspended", "MFADelete": "Disabled"},
        "ServerSideEncryptionConfiguration": {"Rules": [{
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
            "BucketKeyEnabled": false}]},
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "IgnorePublicAcls": true,
            "BlockPublicPolicy": true, "RestrictPublicBuckets": true},
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        "Policy": "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::tf-state/*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}}",
        "LifecycleConfiguration": {"TransitionDefaultMinimumObjectSize": "all_storage_classes_128K",
            "Rules": [{"ID": "old", "Status": "Enabled", "Filter": {"Prefix": ""},
                "NoncurrentVersionExpiration": {"NoncurrentDays": 90}}]},
        "Tags": [{"Key": "team", "Value": "platform"}]
    })
}

#[test]
fn canonical_bucket() {
    let n = normalize(aws_shaped());
    assert_eq!(n["Versioning"], json!({"Status": "Suspended"}));
    assert_eq!(
        n["ServerSideEncryptionConfiguration"],
        json!({"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    );
    assert_eq!(n["PublicAccessBlockConfiguration"]["BlockPublicAcls"], true);
    assert_eq!(
        n["OwnershipControls"],
        json!({"ObjectOwnership": "BucketOwnerEnforced"})
    );
    assert_eq!(n["Policy"]["Statement"][0]["Effect"], "Deny");
    assert_eq!(
        n["LifecycleConfiguration"],
        json!({"Rules": {"old": {"Status": "Enabled",
            "NoncurrentVersionExpiration": {"NoncurrentDays": 90}}}})
    );
    assert_eq!(n["Tags"], json!({"team": "platform"}));
    assert_eq!(normalize(n.clone()), n);
}

#[test]
fn never_versioned_is_absent_and_suspended_is_kept() {
    let n = normalize(json!({"Name": "b", "Versioning": {"MFADelete": "Disabled"}}));
    assert_eq!(n, json!({"Name": "b"}));
    let n = normalize(json!({"Name": "b", "Versioning": {"Status": "Suspended"}}));
    assert_eq!(n["Versioning"]["Status"], "Suspended");
}

#[test]
fn a_one_condition_and_filter_is_that_condition() {
    let rule = |f: Value| {
        normalize(json!({"Name": "b", "LifecycleConfiguration": {"Rules": [
            {"ID": "r", "Status": "Enabled", "Filter": f}]}}))
    };
    assert_eq!(
        rule(json!({"And": {"Prefix": "", "Tags": [{"Key": "k", "Value": "v"}]}})),
        rule(json!({"Tag": {"Key": "k", "Value": "v"}}))
    );
    assert_eq!(
        rule(json!({"And": {"Prefix": "logs/"}})),
        rule(json!({"Prefix": "logs/"}))
    );
}

/// A provider 3.x bucket with inline blocks maps to the document AWS gives for it.
#[test]
fn provider_3_inline_blocks_map_to_the_api_shape() {
    let (id, doc) = from_terraform(json!({
        "bucket": "tf-state", "acl": "private", "force_destroy": false,
        "versioning": [{"enabled": true, "mfa_delete": false}],
        "server_side_encryption_configuration": [{"rule": [{
            "apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms",
                "kms_master_key_id": "arn:aws:kms:us-east-1:123456789012:key/k"}],
            "bucket_key_enabled": true}]}],
        "lifecycle_rule": [{"id": "old", "enabled": true, "prefix": "", "tags": {},
            "abort_incomplete_multipart_upload_days": 0,
            "expiration": [], "transition": [],
            "noncurrent_version_expiration": [{"days": 90}],
            "noncurrent_version_transition": []}],
        "policy": "", "object_lock_configuration": [],
        "tags": {"team": "platform"}, "tags_all": {"team": "platform"}
    }))
    .unwrap();
    assert_eq!(id, "tf-state");
    let aws = json!({
        "Name": "tf-state",
        "Versioning": {"Status": "Enabled", "MFADelete": "Disabled"},
        "ServerSideEncryptionConfiguration": {"Rules": [{
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                "KMSMasterKeyID": "arn:aws:kms:us-east-1:123456789012:key/k"},
            "BucketKeyEnabled": true}]},
        "LifecycleConfiguration": {"Rules": [{"ID": "old", "Status": "Enabled",
            "Filter": {"Prefix": ""}, "NoncurrentVersionExpiration": {"NoncurrentDays": 90}}]},
        "Tags": [{"Key": "team", "Value": "platform"}]
    });
    assert_eq!(normalize(doc), normalize(aws));
}

/// The split resources (provider 5.x) say the same as AWS's answers.
#[test]
fn split_resources_map_to_the_api_shape() {
    use crate::kinds::related;
    let set = |t: &str, a: Value| {
        let (_, r) = related(t).unwrap();
        let c = (r.claims)(&a).pop().unwrap();
        assert_eq!(c.owner, "tf-state");
        match c.edit {
            crate::kinds::Edit::Set(v) => (c.field, v),
            crate::kinds::Edit::Push(_) => unreachable!(),
        }
    };
    let mut doc = json!({"Name": "tf-state"});
    for (t, a) in [
        (
            "aws_s3_bucket_versioning",
            json!({"bucket": "tf-state",
            "versioning_configuration": [{"status": "Enabled", "mfa_delete": ""}]}),
        ),
        (
            "aws_s3_bucket_public_access_block",
            json!({"bucket": "tf-state",
            "block_public_acls": true, "ignore_public_acls": true,
            "block_public_policy": true, "restrict_public_buckets": true}),
        ),
        (
            "aws_s3_bucket_ownership_controls",
            json!({"id": "tf-state",
            "rule": [{"object_ownership": "BucketOwnerEnforced"}]}),
        ),
        (
            "aws_s3_bucket_server_side_encryption_configuration",
            json!({"bucket": "tf-state",
            "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256",
                "kms_master_key_id": ""}], "bucket_key_enabled": false}]}),
        ),
        (
            "aws_s3_bucket_lifecycle_configuration",
            json!({"bucket": "tf-state",
            "transition_default_minimum_object_size": "all_storage_classes_128K",
            "rule": [{"id": "old", "status": "Enabled", "prefix": "",
                "filter": [{"prefix": "", "tag": [], "and": [],
                    "object_size_greater_than": null, "object_size_less_than": null}],
                "noncurrent_version_expiration": [{"noncurrent_days": 90,
                    "newer_noncurrent_versions": null}],
                "expiration": [], "transition": [], "noncurrent_version_transition": [],
                "abort_incomplete_multipart_upload": []}]}),
        ),
    ] {
        let (field, v) = set(t, a);
        doc[field] = v;
    }
    let mut aws = aws_shaped();
    aws["Versioning"]["Status"] = json!("Enabled");
    let aws = normalize(aws);
    let doc = normalize(doc);
    for field in [
        "Versioning",
        "PublicAccessBlockConfiguration",
        "OwnershipControls",
        "ServerSideEncryptionConfiguration",
        "LifecycleConfiguration",
    ] {
        assert_eq!(doc[field], aws[field], "{field}");
    }
}
