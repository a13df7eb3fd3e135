//! Stage: normalize. Brings a document from any source (live API, golden file, Terraform state)
//! into the canonical form (README, "What counts as drift"), so equal meaning compares byte-equal.
//!
//! Pure and synchronous: no I/O, no AWS types, no settings of its own (the redaction patterns
//! are passed in). Each kind's normalizer is in its home, `kinds/<kind>/normalize.rs`; the
//! shared shape rules (pruning empties, keying lists, sorting sets), secrets and policy
//! documents live here.

pub mod policy_document;
pub mod secrets;
pub(crate) mod timestamp;

use serde_json::{Map, Value};

use crate::model::Kind;

/// The canonical document of a resource of `kind`, read from a golden file (our canonical form
/// or hand-written), where `sha256:<64 hex>` is a digest already. Idempotent.
pub fn normalize(kind: Kind, doc: Value, redaction: &Redaction) -> Value {
    (kind.def().normalize)(doc, redaction)
}

/// The canonical document of a resource of `kind` as AWS or Terraform holds it. The same as
/// [`normalize`] except that text shaped like one of our digests is data to be digested, not a
/// digest (see [`secrets`]): such a document never contains digests we wrote.
/// `normalize(normalize_raw(x)) == normalize_raw(x)`.
pub fn normalize_raw(kind: Kind, doc: Value, redaction: &Redaction) -> Value {
    (kind.def().normalize_raw)(doc, redaction)
}

/// Names whose values are secrets, matched as case-insensitive substrings (the default of
/// `redact`): environment variables, labels, log and FireLens options, proxy properties,
/// volume driver options, `--flag`s and `name=` pairs inside values.
pub const SECRET_NAME_PATTERNS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "KEY",
    "CREDENTIAL",
    "DSN",
    "DATABASE_URL",
];

/// Which names hold secrets (environment variables, labels, options, `--flag`s): the `redact`
/// patterns of `driftwatch.toml`, else [`SECRET_NAME_PATTERNS`]. Passed to
/// every source's normalizing, so all redact alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redaction {
    /// Upper-case; matched as substrings of the upper-cased name.
    patterns: Vec<String>,
}

impl Redaction {
    /// `patterns` (case-insensitive substrings) instead of the defaults.
    pub fn new(patterns: &[String]) -> Self {
        Redaction {
            patterns: patterns.iter().map(|p| p.to_ascii_uppercase()).collect(),
        }
    }

    /// The configured patterns (`redact` of `driftwatch.toml`), else the defaults.
    pub fn configured(patterns: Option<&Vec<String>>) -> Self {
        patterns.map(|p| Redaction::new(p)).unwrap_or_default()
    }

    pub fn is_secret_name(&self, name: &str) -> bool {
        let upper = name.to_ascii_uppercase();
        self.patterns.iter().any(|p| upper.contains(p.as_str()))
    }
}

impl Default for Redaction {
    fn default() -> Self {
        Redaction {
            patterns: SECRET_NAME_PATTERNS.iter().map(|p| p.to_string()).collect(),
        }
    }
}

/// True for values that say nothing: `null`, `[]`, `{}`. AWS returns these for fields a user
/// never set, so "absent" and "empty" must compare equal.
pub(crate) fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Removes empty members (see [`is_empty`]) from every object inside `v`, depth first, and
/// `null` items from arrays. `v` itself is returned even if it ends up empty: a keyed entry such
/// as a volume with no options must survive as `{}`.
pub(crate) fn clean(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(clean_map(m)),
        Value::Array(a) => {
            Value::Array(a.into_iter().filter(|x| !x.is_null()).map(clean).collect())
        }
        other => other,
    }
}

fn clean_map(m: Map<String, Value>) -> Map<String, Value> {
    m.into_iter()
        .map(|(k, v)| (k, clean(v)))
        .filter(|(_, v)| !is_empty(v))
        .collect()
}

/// Turns a list of objects with a natural key into an object keyed by it, so a diff path names
/// the thing (`/containerDefinitions/web`) rather than an index. Each item loses its key field
/// and goes through `item`. An object (already keyed: our own output) has `item` applied to its
/// values. A list where some item lacks the key is left a sorted set rather than losing items.
pub(crate) fn key_by(v: Value, key: &str, item: impl Fn(Value) -> Value) -> Value {
    match v {
        Value::Array(items) => {
            if !items
                .iter()
                .all(|i| i.get(key).and_then(Value::as_str).is_some())
            {
                return sort_set(Value::Array(items.into_iter().map(item).collect()));
            }
            let mut out = Map::new();
            for i in items {
                let Value::Object(mut fields) = i else {
                    unreachable!("checked above: every item has a string key")
                };
                let Some(Value::String(name)) = fields.remove(key) else {
                    unreachable!("checked above: every item has a string key")
                };
                out.insert(name, item(Value::Object(fields)));
            }
            Value::Object(out)
        }
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (k, item(v))).collect()),
        other => other,
    }
}

/// `[{"name": n, "value": v}]` → `{n: v}`: environment variables, secrets, tags. Values are kept
/// as they are (an empty string is a value). An object is taken as already converted.
pub(crate) fn pairs_to_map(v: Value, key: &str, value: &str) -> Value {
    match v {
        Value::Array(items) => {
            let is_pair = |i: &Value| i.get(key).and_then(Value::as_str).is_some();
            if !items.iter().all(is_pair) {
                // Not all pairs: keep every item rather than drop what we do not understand.
                return sort_set(Value::Array(items));
            }
            let mut out = Map::new();
            for i in items {
                let k = i[key].as_str().unwrap_or_default().to_string();
                out.insert(k, i.get(value).cloned().unwrap_or(Value::Null));
            }
            Value::Object(out)
        }
        other => other,
    }
}

/// Sorts a list whose order carries no meaning and removes duplicates. Items compare by their
/// canonical JSON text, which is stable because object keys are always sorted.
pub(crate) fn sort_set(v: Value) -> Value {
    match v {
        Value::Array(items) => {
            let mut keyed: Vec<(String, Value)> = items
                .into_iter()
                .map(|i| (serde_json::to_string(&i).unwrap_or_default(), i))
                .collect();
            keyed.sort_by(|a, b| a.0.cmp(&b.0));
            keyed.dedup_by(|a, b| a.0 == b.0);
            Value::Array(keyed.into_iter().map(|(_, i)| i).collect())
        }
        other => other,
    }
}

/// Removes `field` from `m` when it holds exactly `default`, so "unset" and "set to the
/// default" agree.
pub(crate) fn drop_default(m: &mut Map<String, Value>, field: &str, default: Value) {
    if m.get(field) == Some(&default) {
        m.remove(field);
    }
}

/// Applies `f` to each member of `m` and drops members that end up empty.
pub(crate) fn map_fields(
    m: Map<String, Value>,
    mut f: impl FnMut(&str, Value) -> Value,
) -> Map<String, Value> {
    m.into_iter()
        .map(|(k, v)| {
            let v = f(&k, v);
            (k, v)
        })
        .filter(|(_, v)| !is_empty(v))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn clean_keeps_the_value_itself_and_empty_strings() {
        assert_eq!(
            clean(json!({"a": null, "b": [], "c": {"d": {}}, "e": ""})),
            json!({"e": ""})
        );
        assert_eq!(clean(json!({})), json!({}));
    }

    #[test]
    fn key_by_keeps_empty_entries_and_accepts_its_own_output() {
        let once = key_by(json!([{"name": "data", "host": {}}]), "name", clean);
        assert_eq!(once, json!({"data": {}}));
        assert_eq!(key_by(once.clone(), "name", clean), once);
    }

    #[test]
    fn key_by_without_keys_keeps_every_item() {
        let v = key_by(json!([{"x": 2}, {"x": 1}]), "name", clean);
        assert_eq!(v, json!([{"x": 1}, {"x": 2}]));
    }

    #[test]
    fn sort_set_orders_and_dedups() {
        assert_eq!(sort_set(json!(["b", "a", "b"])), json!(["a", "b"]));
    }
}
