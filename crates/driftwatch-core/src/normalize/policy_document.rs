//! IAM policy documents (role trust and inline policies, managed policy versions, SQS queue
//! policies): two documents that grant the same thing compare equal. Pure.
//!
//! The rules (README): `Statement` object ≡ one-element array; `Action`, `NotAction`,
//! `Resource`, `NotResource` string ≡ one-element list, order ignored; action names and `Effect`
//! compare case-insensitively; condition key names compare case-insensitively up to a `/` (the
//! tag key after it, as in `aws:ResourceTag/Name`, keeps its case); condition values string ≡
//! one-element list, `true` ≡ `"true"`; a bare account id principal ≡ `arn:aws:iam::ID:root`.
//! `"*"` and `{"AWS": "*"}` stay different. Condition operator names (`StringEquals`) keep their
//! spelling: IAM documents key names as case-insensitive, not operators.

use serde_json::{Map, Value};

use super::sort_set;

/// Parses a policy document as IAM returns it. IAM URL-encodes documents (RFC 3986) in every
/// API response; some AWS-compatible servers return raw JSON in some operations. A document
/// that starts with `{` is JSON; anything else is percent-decoded first.
pub fn decode(text: &str) -> Result<Value, String> {
    let trimmed = text.trim_start();
    let json = if trimmed.starts_with('{') {
        std::borrow::Cow::Borrowed(trimmed)
    } else {
        percent_encoding::percent_decode_str(trimmed)
            .decode_utf8()
            .map_err(|e| format!("policy document is not valid URL-encoded UTF-8: {e}"))?
    };
    serde_json::from_str(&json).map_err(|e| format!("policy document is not JSON: {e}"))
}

/// The canonical form of a policy document given as an object or as a (possibly URL-encoded)
/// string. A string that is not a policy document is kept as it is, so it still compares.
pub fn normalize(doc: Value) -> Value {
    let doc = match doc {
        Value::String(s) => match decode(&s) {
            Ok(v) => v,
            Err(_) => return Value::String(s),
        },
        other => other,
    };
    let Value::Object(m) = doc else { return doc };
    let mut out = Map::new();
    for (k, v) in m {
        let v = match k.as_str() {
            "Statement" => statements(v),
            _ => v,
        };
        out.insert(k, v);
    }
    Value::Object(out)
}

/// `Statement` as a sorted list: one object ≡ a list of one, and statement order carries no
/// meaning in IAM's evaluation. Sorted by `Sid` first, so a statement keeps its place in the
/// golden file when its content changes and the diff shows only what changed in it.
fn statements(v: Value) -> Value {
    let list = match v {
        Value::Array(a) => a,
        other => vec![other],
    };
    let Value::Array(mut sorted) =
        sort_set(Value::Array(list.into_iter().map(statement).collect()))
    else {
        unreachable!("sort_set keeps an array an array")
    };
    let sid = |s: &Value| {
        s.get("Sid")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    sorted.sort_by_key(sid); // stable: equal Sids keep the content order
    Value::Array(sorted)
}

fn statement(v: Value) -> Value {
    let Value::Object(m) = v else { return v };
    let mut out = Map::new();
    for (k, v) in m {
        let v = match k.as_str() {
            "Sid" if v == "" => continue,
            "Effect" => effect(v),
            "Action" | "NotAction" => string_set(v, |s| s.to_ascii_lowercase()),
            "Resource" | "NotResource" => string_set(v, str::to_string),
            "Principal" | "NotPrincipal" => principal(v),
            "Condition" => condition(v),
            _ => v,
        };
        out.insert(k, v);
    }
    Value::Object(out)
}

/// `Effect` values are case-insensitive in IAM; spell them as the documentation does.
fn effect(v: Value) -> Value {
    match v.as_str().map(str::to_ascii_lowercase).as_deref() {
        Some("allow") => Value::from("Allow"),
        Some("deny") => Value::from("Deny"),
        _ => v,
    }
}

/// A value or list of values as a sorted, deduplicated list, each item mapped by `f`: IAM
/// reads a single value as a list of one, and these lists are sets.
fn sorted_list(v: Value, f: impl Fn(Value) -> Value) -> Value {
    let items = match v {
        Value::Array(a) => a,
        other => vec![other],
    };
    sort_set(Value::Array(items.into_iter().map(f).collect()))
}

/// [`sorted_list`] with each string item mapped by `f`.
fn string_set(v: Value, f: impl Fn(&str) -> String) -> Value {
    sorted_list(v, |i| match i.as_str() {
        Some(s) => Value::String(f(s)),
        None => i,
    })
}

/// `"*"` (anyone, including anonymous) stays a string: it is not `{"AWS": "*"}`.
fn principal(v: Value) -> Value {
    let Value::Object(m) = v else { return v };
    Value::Object(
        m.into_iter()
            .map(|(kind, ids)| {
                let ids = if kind == "AWS" {
                    string_set(ids, account_root_arn)
                } else {
                    string_set(ids, str::to_string)
                };
                (kind, ids)
            })
            .collect(),
    )
}

/// IAM accepts a bare 12-digit account id as an AWS principal and stores it as the account's
/// root ARN; compare in the stored form.
fn account_root_arn(id: &str) -> String {
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        format!("arn:aws:iam::{id}:root")
    } else {
        id.to_string()
    }
}

/// `{operator: {key: value(s)}}` with every key spelt as [`condition_key`] does and every value
/// a sorted list of strings: IAM compares condition values as strings, so `true` ≡ `"true"` and
/// `5` ≡ `"5"`.
fn condition(v: Value) -> Value {
    let Value::Object(ops) = v else { return v };
    Value::Object(
        ops.into_iter()
            .map(|(op, keys)| {
                let keys = match keys {
                    Value::Object(k) => Value::Object(condition_keys(k)),
                    other => other,
                };
                (op, keys)
            })
            .collect(),
    )
}

/// The keys of one operator block in their canonical spelling. Two spellings of one key in the
/// same block (both conditions apply) are kept as written rather than merged into one.
fn condition_keys(keys: Map<String, Value>) -> Map<String, Value> {
    let mut folded = Map::new();
    for (key, vals) in &keys {
        if folded
            .insert(condition_key(key), condition_values(vals.clone()))
            .is_some()
        {
            return keys
                .into_iter()
                .map(|(key, vals)| (key, condition_values(vals)))
                .collect();
        }
    }
    folded
}

/// IAM condition key names are case-insensitive (`aws:SourceAccount` ≡ `AWS:sourceaccount`), so
/// they are stored lower-case like actions. What follows the first `/` is a tag key
/// (`aws:ResourceTag/Name`, `aws:PrincipalTag/team`) or a provider path, compared as written:
/// `Name` and `name` may be different tags.
fn condition_key(key: &str) -> String {
    match key.split_once('/') {
        Some((name, rest)) => format!("{}/{rest}", name.to_ascii_lowercase()),
        None => key.to_ascii_lowercase(),
    }
}

fn condition_values(v: Value) -> Value {
    sorted_list(v, |i| match i {
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Number(n) => Value::String(n.to_string()),
        other => other,
    })
}

#[cfg(test)]
mod tests;
