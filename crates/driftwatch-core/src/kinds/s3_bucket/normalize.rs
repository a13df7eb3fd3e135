//! Normalizer for `aws_s3_bucket`. Input: `Name` and each setting under the name of its `Get*`
//! answer (`Versioning`, `ServerSideEncryptionConfiguration`,
//! `PublicAccessBlockConfiguration`, `OwnershipControls`, `Policy` as JSON text,
//! `LifecycleConfiguration`, `ObjectLockConfiguration`, `Tags`), absent when S3 answered
//! "no such configuration"; or our own output. Pure.

use serde_json::{Map, Value};

use crate::normalize::{clean, is_empty, key_by, pairs_to_map, policy_document, sort_set};

/// S3's lifecycle default since 2024: objects under 128 KiB are not transitioned.
const DEFAULT_MINIMUM_SIZE: &str = "all_storage_classes_128K";

pub fn normalize(doc: Value) -> Value {
    let Value::Object(m) = doc else {
        return doc;
    };
    Value::Object(
        m.into_iter()
            .filter_map(|(field, v)| {
                let v = setting(&field, v);
                (!is_empty(&v)).then_some((field, v))
            })
            .collect(),
    )
}

fn setting(field: &str, v: Value) -> Value {
    match field {
        "Versioning" => versioning(v),
        "ServerSideEncryptionConfiguration" => encryption(v),
        "OwnershipControls" => ownership(v),
        "Policy" => match v {
            Value::String(s) if s.trim().is_empty() => Value::Null,
            v if is_empty(&v) => Value::Null,
            v => policy_document::normalize(v),
        },
        "LifecycleConfiguration" => lifecycle(v),
        "Tags" => clean(pairs_to_map(v, "Key", "Value")),
        _ => strip(v),
    }
}

/// `GetBucketVersioning` has no `Status` for a bucket never versioned: the setting is absent
/// (a suspended bucket keeps `Suspended`). `MFADelete: Disabled` is the default.
fn versioning(v: Value) -> Value {
    let Value::Object(mut m) = strip(v) else {
        return Value::Null;
    };
    if !m.contains_key("Status") {
        return Value::Null;
    }
    if m.get("MFADelete").and_then(Value::as_str) == Some("Disabled") {
        m.remove("MFADelete");
    }
    Value::Object(m)
}

/// Rules without `BucketKeyEnabled: false` (the default), as a set.
fn encryption(v: Value) -> Value {
    let Value::Object(mut m) = strip(v) else {
        return Value::Null;
    };
    if let Some(Value::Array(rules)) = m.remove("Rules") {
        let rules = rules
            .into_iter()
            .map(|mut r| {
                if r.get("BucketKeyEnabled") == Some(&Value::Bool(false)) {
                    r.as_object_mut().map(|o| o.remove("BucketKeyEnabled"));
                }
                r
            })
            .filter(|r| !is_empty(r))
            .collect();
        m.insert("Rules".into(), sort_set(Value::Array(rules)));
    }
    clean(Value::Object(m))
}

/// `GetBucketOwnershipControls` holds one rule: `{"Rules": [{"ObjectOwnership": X}]}` is
/// `{"ObjectOwnership": X}`.
fn ownership(v: Value) -> Value {
    let v = strip(v);
    match v.get("Rules").and_then(Value::as_array) {
        Some(rules) => rules.first().cloned().unwrap_or(Value::Null),
        None => v,
    }
}

/// Rules keyed by their `ID`; the default minimum transition size dropped.
fn lifecycle(v: Value) -> Value {
    let Value::Object(mut m) = strip(v) else {
        return Value::Null;
    };
    if m.get("TransitionDefaultMinimumObjectSize")
        .and_then(Value::as_str)
        == Some(DEFAULT_MINIMUM_SIZE)
    {
        m.remove("TransitionDefaultMinimumObjectSize");
    }
    if let Some(rules) = m.remove("Rules") {
        m.insert("Rules".into(), key_by(rules, "ID", rule));
    }
    clean(Value::Object(m))
}

/// One lifecycle rule: its lists are sets, its filter in one spelling.
fn rule(r: Value) -> Value {
    let Value::Object(mut m) = r else { return r };
    for list in ["Transitions", "NoncurrentVersionTransitions"] {
        if let Some(v) = m.remove(list) {
            m.insert(list.into(), sort_set(v));
        }
    }
    if let Some(e) = m.get_mut("Expiration").and_then(Value::as_object_mut) {
        if e.get("ExpiredObjectDeleteMarker") == Some(&Value::Bool(false)) {
            e.remove("ExpiredObjectDeleteMarker");
        }
    }
    if let Some(f) = m.remove("Filter") {
        m.insert("Filter".into(), filter(strip(f)));
    }
    clean(Value::Object(m))
}

/// `And` with a single condition is that condition (`{"And": {"Tags": [t]}}` is `{"Tag": t}`,
/// `{"And": {"Prefix": p}}` is `{"Prefix": p}`): the provider writes `And` for any rule with
/// tags, the console the shortest form.
fn filter(f: Value) -> Value {
    let Value::Object(mut m) = f else { return f };
    if let Some(Value::Object(mut and)) = m.remove("And") {
        if let Some(tags) = and.remove("Tags") {
            and.insert("Tags".into(), sort_set(tags));
        }
        let tags = and.get("Tags").and_then(Value::as_array).cloned();
        match (and.len(), tags) {
            (1, Some(t)) if t.len() == 1 => {
                m.insert("Tag".into(), t[0].clone());
            }
            (1, None) => m.extend(and),
            _ => {
                m.insert("And".into(), Value::Object(and));
            }
        }
    }
    Value::Object(m)
}

/// Empty strings and nulls out, recursively: S3 and Terraform both write `""` for unset.
fn strip(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| v.as_str() != Some(""))
                .map(|(k, v)| (k, strip(v)))
                .filter(|(_, v)| !is_empty(v))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(strip).collect()),
        v => v,
    }
}

#[cfg(test)]
mod tests;
