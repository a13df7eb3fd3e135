//! `aws_s3_bucket` from a Terraform state, in the shape of the S3 API's `Get*` answers: the
//! bucket's own (provider 3.x, still recorded as computed since 4.x) blocks. The split
//! resources' blocks (`related.rs`) are converted by the same functions where they agree.
//! Pure.

use serde_json::{json, Map, Value};

use crate::terraform::map::{attr, block, blocks, json_text, tags, text};

pub(crate) fn from_terraform(a: Value) -> Option<(String, Value)> {
    let name = text(&a, "bucket").or_else(|| text(&a, "id"))?.to_string();
    let mut doc = Map::new();
    doc.insert("Name".into(), json!(name));
    doc.insert("Versioning".into(), inline_versioning(&a));
    let sse = block(&a, "server_side_encryption_configuration")
        .map(|c| encryption(&blocks(&c, "rule")))
        .unwrap_or(Value::Null);
    doc.insert("ServerSideEncryptionConfiguration".into(), sse);
    doc.insert("Policy".into(), json_text(attr(&a, "policy")));
    let rules: Vec<Value> = blocks(&a, "lifecycle_rule")
        .iter()
        .map(inline_rule)
        .collect();
    let lifecycle = if rules.is_empty() {
        Value::Null
    } else {
        json!({ "Rules": rules })
    };
    doc.insert("LifecycleConfiguration".into(), lifecycle);
    doc.insert("ObjectLockConfiguration".into(), inline_object_lock(&a));
    doc.insert("Tags".into(), tags(&a));
    Some((name, Value::Object(doc)))
}

/// Provider 3.x's `versioning { enabled, mfa_delete }`. `enabled = false` is what it records
/// both for a bucket never versioned and for a suspended one; it is taken as never versioned,
/// by far the commoner (a suspended bucket under such a state is reported).
fn inline_versioning(a: &Value) -> Value {
    let Some(v) = block(a, "versioning") else {
        return Value::Null;
    };
    if v.get("enabled").and_then(Value::as_bool) != Some(true) {
        return Value::Null;
    }
    let mut out = json!({"Status": "Enabled"});
    if v.get("mfa_delete").and_then(Value::as_bool) == Some(true) {
        out["MFADelete"] = json!("Enabled");
    }
    out
}

/// `aws_s3_bucket_versioning`'s `versioning_configuration { status, mfa_delete }`:
/// `Disabled` (only valid on a new bucket) is never versioned.
pub(super) fn versioning(c: &Value) -> Value {
    let mut out = Map::new();
    if let Some(s) = text(c, "status").filter(|s| *s != "Disabled") {
        out.insert("Status".into(), json!(s));
    }
    if let Some(m) = text(c, "mfa_delete") {
        out.insert("MFADelete".into(), json!(m));
    }
    Value::Object(out)
}

/// `rule { apply_server_side_encryption_by_default { … }, bucket_key_enabled }`, the same in
/// the inline block and the split resource.
pub(super) fn encryption(rules: &[Value]) -> Value {
    if rules.is_empty() {
        return Value::Null;
    }
    let rules: Vec<Value> = rules
        .iter()
        .map(|r| {
            let mut out = Map::new();
            if let Some(d) = block(r, "apply_server_side_encryption_by_default") {
                out.insert(
                    "ApplyServerSideEncryptionByDefault".into(),
                    json!({"SSEAlgorithm": attr(&d, "sse_algorithm"),
                           "KMSMasterKeyID": attr(&d, "kms_master_key_id")}),
                );
            }
            out.insert("BucketKeyEnabled".into(), attr(r, "bucket_key_enabled"));
            Value::Object(out)
        })
        .collect();
    json!({ "Rules": rules })
}

/// A provider 3.x `lifecycle_rule`, as the provider wrote it: its filter is `And { Prefix,
/// Tags }` when it has tags, else `Prefix`.
fn inline_rule(r: &Value) -> Value {
    let prefix = attr(r, "prefix");
    let tag_list: Vec<Value> = r
        .get("tags")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| json!({"Key": k, "Value": v}))
        .collect();
    let filter = if tag_list.is_empty() {
        json!({ "Prefix": prefix })
    } else {
        json!({"And": {"Prefix": prefix, "Tags": tag_list}})
    };
    let enabled = r.get("enabled").and_then(Value::as_bool) == Some(true);
    let expiration = expiration(r);
    let transitions = transitions(r);
    let noncurrent: Vec<Value> = blocks(r, "noncurrent_version_transition")
        .iter()
        .map(|t| json!({"NoncurrentDays": attr(t, "days"), "StorageClass": attr(t, "storage_class")}))
        .collect();
    let noncurrent_expiration = block(r, "noncurrent_version_expiration")
        .map(|e| json!({"NoncurrentDays": attr(&e, "days")}));
    let abort = positive(attr(r, "abort_incomplete_multipart_upload_days"));
    json!({
        "ID": attr(r, "id"),
        "Status": if enabled { "Enabled" } else { "Disabled" },
        "Filter": filter,
        "Expiration": expiration,
        "Transitions": transitions,
        "NoncurrentVersionTransitions": noncurrent,
        "NoncurrentVersionExpiration": noncurrent_expiration,
        "AbortIncompleteMultipartUpload": if abort.is_null() { Value::Null }
            else { json!({"DaysAfterInitiation": abort}) },
    })
}

/// `aws_s3_bucket_lifecycle_configuration`'s `rule` blocks and default minimum size.
pub(super) fn lifecycle(a: &Value) -> Value {
    let rules: Vec<Value> = blocks(a, "rule").iter().map(split_rule).collect();
    json!({"Rules": rules,
           "TransitionDefaultMinimumObjectSize": attr(a, "transition_default_minimum_object_size")})
}

fn split_rule(r: &Value) -> Value {
    let filter = block(r, "filter").map(|f| {
        let and = block(&f, "and").map(|a| {
            let tags: Vec<Value> = a
                .get("tags")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, v)| json!({"Key": k, "Value": v}))
                .collect();
            json!({"Prefix": attr(&a, "prefix"), "Tags": tags,
                   "ObjectSizeGreaterThan": positive(attr(&a, "object_size_greater_than")),
                   "ObjectSizeLessThan": positive(attr(&a, "object_size_less_than"))})
        });
        json!({"Prefix": attr(&f, "prefix"),
               "Tag": block(&f, "tag").map(|t| json!({"Key": attr(&t, "key"), "Value": attr(&t, "value")})),
               "And": and,
               "ObjectSizeGreaterThan": positive(attr(&f, "object_size_greater_than")),
               "ObjectSizeLessThan": positive(attr(&f, "object_size_less_than"))})
    });
    let expiration = expiration(r);
    let transitions = transitions(r);
    let noncurrent: Vec<Value> = blocks(r, "noncurrent_version_transition")
        .iter()
        .map(|t| {
            json!({"NoncurrentDays": attr(t, "noncurrent_days"),
                   "NewerNoncurrentVersions": positive(attr(t, "newer_noncurrent_versions")),
                   "StorageClass": attr(t, "storage_class")})
        })
        .collect();
    let noncurrent_expiration = block(r, "noncurrent_version_expiration").map(|e| {
        json!({"NoncurrentDays": attr(&e, "noncurrent_days"),
               "NewerNoncurrentVersions": positive(attr(&e, "newer_noncurrent_versions"))})
    });
    let abort = block(r, "abort_incomplete_multipart_upload")
        .map(|b| json!({"DaysAfterInitiation": attr(&b, "days_after_initiation")}));
    json!({
        "ID": attr(r, "id"),
        "Status": attr(r, "status"),
        "Filter": filter,
        "Prefix": attr(r, "prefix"),
        "Expiration": expiration,
        "Transitions": transitions,
        "NoncurrentVersionTransitions": noncurrent,
        "NoncurrentVersionExpiration": noncurrent_expiration,
        "AbortIncompleteMultipartUpload": abort,
    })
}

/// The bucket's `object_lock_configuration` block (3.x) or `object_lock_enabled` (4.x+,
/// with the block kept as computed).
fn inline_object_lock(a: &Value) -> Value {
    let c = block(a, "object_lock_configuration").unwrap_or(Value::Null);
    let enabled = text(&c, "object_lock_enabled")
        .map(str::to_string)
        .or_else(|| (a.get("object_lock_enabled") == Some(&json!(true))).then(|| "Enabled".into()));
    object_lock(enabled, &c)
}

/// `object_lock_enabled` and `rule { default_retention { mode, days, years } }`.
pub(super) fn object_lock(enabled: Option<String>, c: &Value) -> Value {
    let rule = block(c, "rule")
        .and_then(|r| block(&r, "default_retention"))
        .map(|d| {
            json!({"DefaultRetention": {"Mode": attr(&d, "mode"),
                "Days": positive(attr(&d, "days")), "Years": positive(attr(&d, "years"))}})
        });
    match enabled {
        Some(e) => json!({"ObjectLockEnabled": e, "Rule": rule}),
        None => Value::Null,
    }
}

/// Terraform records an unset number as 0; S3 has no 0-day setting.
fn positive(v: Value) -> Value {
    match v.as_i64() {
        Some(0) => Value::Null,
        _ => v,
    }
}

/// A rule's `expiration` block, the same in the bucket's inline `lifecycle_rule` and in
/// `aws_s3_bucket_lifecycle_configuration`'s `rule`.
fn expiration(r: &Value) -> Option<Value> {
    block(r, "expiration").map(|e| {
        json!({"Days": positive(attr(&e, "days")), "Date": attr(&e, "date"),
               "ExpiredObjectDeleteMarker": attr(&e, "expired_object_delete_marker")})
    })
}

/// A rule's `transition` blocks, the same in both shapes.
fn transitions(r: &Value) -> Vec<Value> {
    blocks(r, "transition")
        .iter()
        .map(|t| {
            json!({"Days": positive(attr(t, "days")), "Date": attr(t, "date"),
                   "StorageClass": attr(t, "storage_class")})
        })
        .collect()
}
