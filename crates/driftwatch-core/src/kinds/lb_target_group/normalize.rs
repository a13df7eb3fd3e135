//! Normalizer for `aws_lb_target_group`. Input: a `DescribeTargetGroups` entry with
//! `Attributes` (`DescribeTargetGroupAttributes`) and `Tags` (`DescribeTags`) beside its
//! fields; or our own output. Pure and idempotent.
//!
//! Canonical: `Protocol`, `Port`, `VpcId`, `TargetType` (always, `instance` included),
//! `ProtocolVersion` (HTTP and HTTPS target groups), `IpAddressType` (not `ipv4` only),
//! `HealthCheck` (what differs from the defaults of its protocol and target type, see
//! `defaults`), `Attributes` (an object, what differs from the defaults), `Tags` (an object).

use serde_json::{json, Map, Value};

use super::defaults::{family, health_check, is_default_attribute, Family};
use crate::normalize::{clean, is_empty, pairs_to_map};

/// Observed, never set: identity (the name is the id) and which load balancers use it (the
/// listeners and rules that forward to it say so).
const READ_ONLY: &[&str] = &["TargetGroupArn", "TargetGroupName", "LoadBalancerArns"];

/// The API's flat health check fields and the canonical `HealthCheck` member each becomes.
const HEALTH_CHECK: &[(&str, &str)] = &[
    ("HealthCheckEnabled", "Enabled"),
    ("HealthCheckProtocol", "Protocol"),
    ("HealthCheckPort", "Port"),
    ("HealthCheckPath", "Path"),
    ("HealthCheckIntervalSeconds", "IntervalSeconds"),
    ("HealthCheckTimeoutSeconds", "TimeoutSeconds"),
    ("HealthyThresholdCount", "HealthyThresholdCount"),
    ("UnhealthyThresholdCount", "UnhealthyThresholdCount"),
    ("Matcher", "Matcher"),
];

pub fn normalize(doc: Value) -> Value {
    let Value::Object(mut m) = doc else {
        return doc;
    };
    for f in READ_ONLY {
        m.remove(*f);
    }
    let text =
        |m: &Map<String, Value>, k: &str| m.get(k).and_then(Value::as_str).map(str::to_string);
    let target_type = text(&m, "TargetType").unwrap_or_else(|| "instance".into());
    let protocol = text(&m, "Protocol").unwrap_or_default();
    let fam = family(&protocol, &target_type);
    m.insert("TargetType".into(), json!(target_type));
    let version = protocol_version(&mut m, fam);
    m.insert("ProtocolVersion".into(), version);
    let grpc = m.get("ProtocolVersion").and_then(Value::as_str) == Some("GRPC");
    let hc = health_check_of(&mut m, fam, grpc);
    m.insert("HealthCheck".into(), hc);
    if m.get("IpAddressType").and_then(Value::as_str) == Some("ipv4") {
        m.remove("IpAddressType");
    }
    let out = m
        .into_iter()
        .map(|(k, v)| {
            let v = match k.as_str() {
                "Attributes" => attributes(v, fam, &protocol, &target_type),
                "Tags" => pairs_to_map(v, "Key", "Value"),
                _ => clean(v),
            };
            (k, v)
        })
        .filter(|(_, v)| !is_empty(v))
        .collect();
    Value::Object(out)
}

/// HTTP and HTTPS target groups speak `HTTP1` unless told otherwise (AWS always reports it,
/// moto may not); other protocols have no version.
fn protocol_version(m: &mut Map<String, Value>, fam: Family) -> Value {
    let v = m
        .remove("ProtocolVersion")
        .filter(|v| !is_empty(v) && v != "");
    let http = matches!(
        m.get("Protocol").and_then(Value::as_str),
        Some("HTTP" | "HTTPS")
    );
    match (http && fam == Family::Application, v) {
        (true, Some(v)) => v,
        (true, None) => json!("HTTP1"),
        (false, _) => Value::Null,
    }
}

/// The health check as one object (AWS reports it as flat `HealthCheck…` fields and the
/// `Matcher` as `{HttpCode}` or `{GrpcCode}`), each member at the default of its protocol and
/// target type dropped. Numbers a state holds as text are numbers.
fn health_check_of(m: &mut Map<String, Value>, fam: Family, grpc: bool) -> Value {
    let mut hc = match m.remove("HealthCheck") {
        Some(Value::Object(o)) => o,
        _ => Map::new(),
    };
    for (api, ours) in HEALTH_CHECK {
        if let Some(v) = m.remove(*api) {
            hc.insert(ours.to_string(), v);
        }
    }
    if let Some(matcher) = hc.remove("Matcher") {
        let code = match matcher {
            Value::Object(o) => o
                .get("HttpCode")
                .or_else(|| o.get("GrpcCode"))
                .cloned()
                .unwrap_or(Value::Null),
            other => other,
        };
        hc.insert("Matcher".into(), code);
    }
    for k in [
        "IntervalSeconds",
        "TimeoutSeconds",
        "HealthyThresholdCount",
        "UnhealthyThresholdCount",
    ] {
        if let Some(n) = hc
            .get(k)
            .and_then(Value::as_str)
            .and_then(|s| s.parse::<i64>().ok())
        {
            hc.insert(k.into(), json!(n));
        }
    }
    let check_protocol = hc
        .get("Protocol")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let defaults = health_check(fam, &check_protocol, grpc);
    let out: Map<String, Value> = hc
        .into_iter()
        .filter(|(k, v)| !is_empty(v) && v != "" && defaults.get(k) != Some(v))
        .collect();
    Value::Object(out)
}

/// `[{Key, Value}]` (or our object) → `{key: value}`, values as text, each at its default
/// dropped; a stickiness that is off says nothing of its type and durations.
fn attributes(v: Value, fam: Family, protocol: &str, target_type: &str) -> Value {
    let Value::Object(m) = pairs_to_map(v, "Key", "Value") else {
        return Value::Null;
    };
    let sticky = m
        .get("stickiness.enabled")
        .is_some_and(|v| v.as_str() == Some("true") || v.as_bool() == Some(true));
    let out: Map<String, Value> = m
        .into_iter()
        .filter(|(k, _)| sticky || k == "stickiness.enabled" || !k.starts_with("stickiness."))
        .filter_map(|(k, v)| {
            let text = match v {
                Value::String(s) => s,
                Value::Null => return None,
                other => other.to_string(),
            };
            let default = is_default_attribute(fam, protocol, target_type, &k, &text);
            (!default).then_some((k, Value::String(text)))
        })
        .collect();
    Value::Object(out)
}
