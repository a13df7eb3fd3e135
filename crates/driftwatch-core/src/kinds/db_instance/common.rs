//! What the normalizers of DB instances and clusters share: both describe a database with the
//! same API field names, and AWS fills in the same values on both. Each function undoes one
//! thing AWS does; `rds_cluster` uses them too. Pure.

use serde_json::{json, Map, Value};

use super::engine::major_version;
use crate::normalize::{clean, is_empty, pairs_to_map, sort_set};

/// Kept when empty or `false`: the cross-resource checks read them.
pub(crate) const ALWAYS: &[&str] = &[
    "VpcSecurityGroupIds",
    "StorageEncrypted",
    "DeletionProtection",
];

/// The canonical object of `out` (built with `json!`): empty values dropped but those of
/// [`ALWAYS`], and, with `only`, the fields it names alone.
pub(crate) fn compact(out: Value, only: Option<&[&str]>) -> Value {
    let Value::Object(out) = out else {
        return out;
    };
    let kept: Map<String, Value> = out
        .into_iter()
        .filter(|(k, _)| only.is_none_or(|o| o.contains(&k.as_str())))
        .filter(|(k, v)| ALWAYS.contains(&k.as_str()) || !is_empty(v))
        .map(|(k, v)| (k, clean(v)))
        .collect();
    Value::Object(kept)
}

/// A parameter group AWS created for an engine family (`default.postgres16`,
/// `default.aurora-mysql8.0`): what an instance or cluster gets when none is named. Terraform
/// keeps the name it read back, or nothing when none was set; both mean "the default".
pub(crate) fn is_default_group(name: &str) -> bool {
    name.starts_with("default.") || name == "default"
}

/// `EngineVersion` as its major version (see [`major_version`]).
pub(crate) fn engine_version(m: &Map<String, Value>) -> Value {
    let engine = m.get("Engine").and_then(Value::as_str).unwrap_or_default();
    match m.get("EngineVersion").and_then(Value::as_str) {
        Some(v) if !v.is_empty() => json!(major_version(engine, v)),
        _ => Value::Null,
    }
}

/// Backup and maintenance windows: AWS answers `wed:06:38-wed:07:08`, the provider lower-cases
/// what it is given, and the console accepts `Wed:06:38-Wed:07:08`: the same window.
pub(crate) fn window(v: Option<&Value>) -> Value {
    match v.and_then(Value::as_str) {
        Some(w) if !w.is_empty() => json!(w.to_ascii_lowercase()),
        _ => Value::Null,
    }
}

/// `VpcSecurityGroups` (`[{VpcSecurityGroupId, Status}]`, the status observed) or our own
/// `VpcSecurityGroupIds`: the ids, sorted. Always an array, empty when there are none (the
/// cross-resource checks read it).
pub(crate) fn security_group_ids(m: &Map<String, Value>) -> Value {
    if let Some(ids) = m.get("VpcSecurityGroupIds") {
        return sort_set(ids.clone());
    }
    let ids: Vec<Value> = m
        .get("VpcSecurityGroups")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|g| g.get("VpcSecurityGroupId").cloned())
        .collect();
    sort_set(Value::Array(ids))
}

/// `KmsKeyId` only on encrypted storage: an unencrypted database has no key, whatever a
/// placeholder says (moto answers `default_kms_key_id` on every instance).
pub(crate) fn kms_key(m: &Map<String, Value>, encrypted: bool) -> Value {
    match m.get("KmsKeyId").and_then(Value::as_str) {
        Some(k) if encrypted && !k.is_empty() => json!(k),
        _ => Value::Null,
    }
}

/// `MasterUserSecret {SecretArn, SecretStatus, KmsKeyId}` → `{SecretArn}`: with
/// `ManageMasterUserPassword` only the secret's ARN is compared (its status is observed; its
/// key is the secret's business).
pub(crate) fn master_user_secret(v: Option<&Value>) -> Value {
    match v.and_then(|s| s.get("SecretArn")).and_then(Value::as_str) {
        Some(arn) if !arn.is_empty() => json!({"SecretArn": arn}),
        _ => Value::Null,
    }
}

/// `TagList` (`[{Key, Value}]`) or our own `Tags` object.
pub(crate) fn tags(m: &Map<String, Value>) -> Value {
    match (m.get("Tags"), m.get("TagList")) {
        (Some(t), _) => pairs_to_map(t.clone(), "Key", "Value"),
        (None, Some(t)) => pairs_to_map(t.clone(), "Key", "Value"),
        _ => Value::Null,
    }
}

/// A boolean AWS defaults to `false`: `false` and absent are the same setting, so `false`
/// is dropped.
pub(crate) fn true_only(v: Option<&Value>) -> Value {
    match v {
        Some(Value::Bool(true)) => json!(true),
        _ => Value::Null,
    }
}

/// A boolean the cross-resource checks read (encryption, deletion protection): kept even when
/// `false`, and `false` when absent (CreateDBInstance's and CreateDBCluster's default).
pub(crate) fn kept_bool(v: Option<&Value>) -> Value {
    json!(v.and_then(Value::as_bool).unwrap_or(false))
}

/// A count AWS defaults to 0 (provisioned IOPS on gp2, the monitoring interval): 0 is dropped.
pub(crate) fn nonzero(v: Option<&Value>) -> Value {
    match v {
        Some(n) if n.as_f64().is_some_and(|n| n != 0.0) => n.clone(),
        _ => Value::Null,
    }
}

/// A non-empty string, as it is.
pub(crate) fn text(v: Option<&Value>) -> Value {
    match v {
        Some(Value::String(s)) if !s.is_empty() => json!(s),
        _ => Value::Null,
    }
}
