//! Normalizer for `aws_lb_listener_rule`. Input: a `DescribeRules` entry (not the default rule:
//! its actions are its listener's default actions) with `Tags` (`DescribeTags`); or our own
//! output. Pure and idempotent.
//!
//! Canonical: `Conditions` (each in its `…Config` shape, values sorted, sorted by `Field`),
//! `Actions` (see `lb_listener::action`), `Tags` (an object).

use serde_json::{json, Map, Value};

use crate::kinds::lb_listener::action::actions;
use crate::normalize::{clean, is_empty, pairs_to_map, sort_set};

/// Observed, never set: identity (the id is the listener's and the priority).
const READ_ONLY: &[&str] = &["RuleArn", "Priority", "IsDefault", "ListenerArn"];

pub fn normalize(doc: Value) -> Value {
    let Value::Object(mut m) = doc else {
        return doc;
    };
    for f in READ_ONLY {
        m.remove(*f);
    }
    let out = m
        .into_iter()
        .map(|(k, v)| {
            let v = match k.as_str() {
                "Conditions" => conditions(v),
                "Actions" => actions(v),
                "Tags" => pairs_to_map(v, "Key", "Value"),
                _ => clean(v),
            };
            (k, v)
        })
        .filter(|(_, v)| !is_empty(v))
        .collect();
    Value::Object(out)
}

/// The configuration member of each condition field.
const CONFIGS: &[(&str, &str)] = &[
    ("host-header", "HostHeaderConfig"),
    ("path-pattern", "PathPatternConfig"),
    ("http-header", "HttpHeaderConfig"),
    ("query-string", "QueryStringConfig"),
    ("http-request-method", "HttpRequestMethodConfig"),
    ("source-ip", "SourceIpConfig"),
];

fn conditions(v: Value) -> Value {
    let Value::Array(items) = v else { return v };
    let mut out: Vec<Value> = items.into_iter().map(condition).collect();
    out.sort_by(|a, b| {
        let key = |c: &Value| (c["Field"].as_str().unwrap_or("").to_string(), c.to_string());
        key(a).cmp(&key(b))
    });
    Value::Array(out)
}

/// One condition as `{Field, …Config}`: AWS answers a host or path condition with both the
/// legacy `Values` and its `…Config` (moto, and old states, with `Values` alone). The values
/// are a set.
fn condition(c: Value) -> Value {
    let Value::Object(mut m) = c else { return c };
    let field = m
        .get("Field")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let legacy = m.remove("Values").filter(|v| !is_empty(v));
    let Some((_, config)) = CONFIGS.iter().find(|(f, _)| *f == field) else {
        if let Some(v) = legacy {
            m.insert("Values".into(), sort_set(v));
        }
        return clean(Value::Object(m));
    };
    let mut cfg = match m.remove(*config) {
        Some(Value::Object(o)) => o,
        _ => Map::new(),
    };
    if cfg.get("Values").is_none_or(is_empty) {
        if let Some(v) = legacy {
            cfg.insert("Values".into(), v);
        }
    }
    if let Some(v) = cfg.remove("Values") {
        cfg.insert("Values".into(), sort_set(v));
    }
    let mut out = Map::new();
    out.insert("Field".into(), json!(field));
    out.insert(config.to_string(), clean(Value::Object(cfg)));
    clean(Value::Object(out))
}
