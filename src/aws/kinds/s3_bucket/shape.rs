//! A bucket's settings from the SDK's types, in the S3 API's own field names (the XML
//! elements of each `Get*` answer), for the normalizer.

use std::collections::BTreeMap;

use aws_sdk_s3::operation::get_bucket_lifecycle_configuration::GetBucketLifecycleConfigurationOutput;
use aws_sdk_s3::operation::get_bucket_versioning::GetBucketVersioningOutput;
use aws_sdk_s3::types::{
    LifecycleRule, LifecycleRuleFilter, ObjectLockConfiguration, OwnershipControls,
    PublicAccessBlockConfiguration, ServerSideEncryptionConfiguration, Tag,
};
use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use serde_json::{json, Value};

pub(super) fn versioning(o: &GetBucketVersioningOutput) -> Value {
    json!({
        "Status": o.status().map(|s| s.as_str()),
        "MFADelete": o.mfa_delete().map(|s| s.as_str()),
    })
}

pub(super) fn encryption(c: Option<&ServerSideEncryptionConfiguration>) -> Value {
    let Some(c) = c else { return Value::Null };
    let rules: Vec<Value> = c
        .rules()
        .iter()
        .map(|r| {
            let default = r.apply_server_side_encryption_by_default().map(|d| {
                json!({"SSEAlgorithm": d.sse_algorithm().as_str(),
                       "KMSMasterKeyID": d.kms_master_key_id()})
            });
            json!({"ApplyServerSideEncryptionByDefault": default,
                   "BucketKeyEnabled": r.bucket_key_enabled()})
        })
        .collect();
    json!({ "Rules": rules })
}

pub(super) fn public_access_block(c: Option<&PublicAccessBlockConfiguration>) -> Value {
    let Some(c) = c else { return Value::Null };
    json!({
        "BlockPublicAcls": c.block_public_acls().unwrap_or(false),
        "IgnorePublicAcls": c.ignore_public_acls().unwrap_or(false),
        "BlockPublicPolicy": c.block_public_policy().unwrap_or(false),
        "RestrictPublicBuckets": c.restrict_public_buckets().unwrap_or(false),
    })
}

pub(super) fn ownership(c: Option<&OwnershipControls>) -> Value {
    let Some(c) = c else { return Value::Null };
    let rules: Vec<Value> = c
        .rules()
        .iter()
        .map(|r| json!({"ObjectOwnership": r.object_ownership().as_str()}))
        .collect();
    json!({ "Rules": rules })
}

pub(super) fn lifecycle(o: &GetBucketLifecycleConfigurationOutput) -> Value {
    let rules: Vec<Value> = o.rules().iter().map(rule).collect();
    json!({
        "Rules": rules,
        "TransitionDefaultMinimumObjectSize":
            o.transition_default_minimum_object_size().map(|s| s.as_str()),
    })
}

#[allow(deprecated)] // `Prefix` outside `Filter`: old rules still have it.
fn rule(r: &LifecycleRule) -> Value {
    let expiration = r.expiration().map(|e| {
        json!({"Days": e.days(), "Date": e.date().map(date),
               "ExpiredObjectDeleteMarker": e.expired_object_delete_marker()})
    });
    let transitions: Vec<Value> = r
        .transitions()
        .iter()
        .map(|t| {
            json!({"Days": t.days(), "Date": t.date().map(date),
                   "StorageClass": t.storage_class().map(|s| s.as_str())})
        })
        .collect();
    let noncurrent: Vec<Value> = r
        .noncurrent_version_transitions()
        .iter()
        .map(|t| {
            json!({"NoncurrentDays": t.noncurrent_days(),
                   "NewerNoncurrentVersions": t.newer_noncurrent_versions(),
                   "StorageClass": t.storage_class().map(|s| s.as_str())})
        })
        .collect();
    let noncurrent_expiration = r.noncurrent_version_expiration().map(|e| {
        json!({"NoncurrentDays": e.noncurrent_days(),
               "NewerNoncurrentVersions": e.newer_noncurrent_versions()})
    });
    let abort = r
        .abort_incomplete_multipart_upload()
        .map(|a| json!({"DaysAfterInitiation": a.days_after_initiation()}));
    json!({
        "ID": r.id(),
        "Status": r.status().as_str(),
        "Prefix": r.prefix(),
        "Filter": r.filter().map(filter),
        "Expiration": expiration,
        "Transitions": transitions,
        "NoncurrentVersionTransitions": noncurrent,
        "NoncurrentVersionExpiration": noncurrent_expiration,
        "AbortIncompleteMultipartUpload": abort,
    })
}

fn filter(f: &LifecycleRuleFilter) -> Value {
    let and = f.and().map(|a| {
        json!({"Prefix": a.prefix(), "Tags": a.tags().iter().map(tag).collect::<Vec<_>>(),
               "ObjectSizeGreaterThan": a.object_size_greater_than(),
               "ObjectSizeLessThan": a.object_size_less_than()})
    });
    json!({
        "Prefix": f.prefix(),
        "Tag": f.tag().map(tag),
        "And": and,
        "ObjectSizeGreaterThan": f.object_size_greater_than(),
        "ObjectSizeLessThan": f.object_size_less_than(),
    })
}

fn tag(t: &Tag) -> Value {
    json!({"Key": t.key(), "Value": t.value()})
}

/// Lifecycle dates as the API writes them (`2025-01-01T00:00:00Z`).
fn date(d: &DateTime) -> Value {
    d.fmt(Format::DateTime).map_or(Value::Null, Value::from)
}

pub(super) fn object_lock(c: Option<&ObjectLockConfiguration>) -> Value {
    let Some(c) = c else { return Value::Null };
    let rule = c.rule().and_then(|r| r.default_retention()).map(|d| {
        json!({"DefaultRetention": {"Mode": d.mode().map(|m| m.as_str()),
               "Days": d.days(), "Years": d.years()}})
    });
    json!({
        "ObjectLockEnabled": c.object_lock_enabled().map(|e| e.as_str()),
        "Rule": rule,
    })
}

pub(super) fn tags(set: &[Tag]) -> Value {
    Value::Object(
        set.iter()
            .map(|t| (t.key().to_string(), Value::from(t.value())))
            .collect(),
    )
}

pub(super) fn tag_map(tags: Option<&BTreeMap<String, String>>) -> Value {
    Value::Object(
        tags.into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect(),
    )
}
