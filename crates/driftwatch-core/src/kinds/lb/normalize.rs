//! Normalizer for `aws_lb`. Input: a `DescribeLoadBalancers` entry with `Attributes`
//! (`DescribeLoadBalancerAttributes`) and `Tags` (`DescribeTags`) beside its fields; or our own
//! output. Pure and idempotent.
//!
//! Canonical: `Type`, `Scheme`, `IpAddressType`, `VpcId`, `Subnets` (sorted, from
//! `AvailabilityZones[].SubnetId`), `SecurityGroups` (sorted), `CustomerOwnedIpv4Pool`,
//! `Attributes` (an object, only the values that differ from the type's defaults, see
//! `attributes`), `Tags` (an object).

use serde_json::{json, Map, Value};

use super::attributes::is_default;
use crate::normalize::{clean, is_empty, pairs_to_map, sort_set};

/// Observed, never set: identity (the name is the id), addresses, state, when it was made.
const READ_ONLY: &[&str] = &[
    "LoadBalancerArn",
    "LoadBalancerName",
    "DNSName",
    "CanonicalHostedZoneId",
    "CreatedTime",
    "State",
];

pub fn normalize(doc: Value) -> Value {
    let Value::Object(mut m) = doc else {
        return doc;
    };
    for f in READ_ONLY {
        m.remove(*f);
    }
    let r#type = text_or(&m, "Type", "application");
    let scheme = text_or(&m, "Scheme", "internet-facing");
    m.insert("Type".into(), json!(r#type));
    m.insert("Scheme".into(), json!(scheme));
    m.insert(
        "IpAddressType".into(),
        json!(text_or(&m, "IpAddressType", "ipv4")),
    );
    let subnets = subnets(&mut m);
    m.insert("Subnets".into(), subnets);
    let out = m
        .into_iter()
        .map(|(k, v)| {
            let v = match k.as_str() {
                "SecurityGroups" => sort_set(v),
                "Attributes" => attributes(v, &r#type, &scheme),
                "Tags" => pairs_to_map(v, "Key", "Value"),
                _ => clean(v),
            };
            (k, v)
        })
        .filter(|(_, v)| !is_empty(v))
        .collect();
    Value::Object(out)
}

/// A text field, or what AWS means by its absence: moto leaves `Scheme` out of a load balancer
/// created without one (AWS's default, `internet-facing`, which AWS always reports).
fn text_or(m: &Map<String, Value>, field: &str, default: &str) -> String {
    m.get(field)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or(default)
        .to_string()
}

/// The subnets, sorted: AWS reports them as `AvailabilityZones[].SubnetId` (with each zone's
/// name and addresses, which follow from the subnet); our own output and a state as `Subnets`.
fn subnets(m: &mut Map<String, Value>) -> Value {
    let zones = m.remove("AvailabilityZones");
    let own = m.remove("Subnets");
    let from_zones = zones.as_ref().and_then(Value::as_array).map(|z| {
        z.iter()
            .filter_map(|z| z.get("SubnetId").cloned())
            .collect()
    });
    match (own, from_zones) {
        (Some(v), _) if !is_empty(&v) => sort_set(v),
        (_, Some(ids)) => sort_set(Value::Array(ids)),
        _ => Value::Null,
    }
}

/// `[{Key, Value}]` (or our object) → `{key: value}`, values as text (a state's numbers and
/// booleans are AWS's strings), each at its default for the type dropped.
fn attributes(v: Value, r#type: &str, scheme: &str) -> Value {
    let Value::Object(mut m) = pairs_to_map(v, "Key", "Value") else {
        return Value::Null;
    };
    logs_off_go_nowhere(&mut m);
    let out: Map<String, Value> = m
        .into_iter()
        .filter_map(|(k, v)| {
            let text = match v {
                Value::String(s) => s,
                Value::Null => return None,
                other => other.to_string(),
            };
            (!is_default(r#type, scheme, &k, &text)).then_some((k, Value::String(text)))
        })
        .collect();
    Value::Object(out)
}

/// Logs that are off are written nowhere: AWS keeps the bucket and prefix of access,
/// connection and health check logs after they are turned off (the provider sends only
/// `…enabled = false`), and a state may hold them or not. Where they would go is compared only
/// while they are on.
fn logs_off_go_nowhere(m: &mut Map<String, Value>) {
    for logs in [
        "access_logs.s3",
        "connection_logs.s3",
        "health_check_logs.s3",
    ] {
        let on = m
            .get(&format!("{logs}.enabled"))
            .is_some_and(|v| v.as_str() == Some("true") || v.as_bool() == Some(true));
        if !on {
            m.remove(&format!("{logs}.bucket"));
            m.remove(&format!("{logs}.prefix"));
        }
    }
}
