//! `aws_lb` (and its old name `aws_alb`) from a Terraform state (provider 3.x to 6.x), in the
//! shape the normalizer accepts: the provider's top-level arguments become the load balancer
//! attributes AWS keys them by. Arguments of another type of load balancer (a network load
//! balancer's state still records `idle_timeout = 60` and `enable_http2 = true`) are left
//! out: AWS has no such attribute on it. Pure.

use serde_json::{json, Map, Value};

use crate::arn::elb::load_balancer_name;
use crate::terraform::map::{attr, block, tags, text};

/// Arguments that are one load balancer attribute each, with the types that have it.
const ARGUMENTS: &[(&str, &str, &[&str])] = &[
    (
        "enable_deletion_protection",
        "deletion_protection.enabled",
        ALL,
    ),
    ("idle_timeout", "idle_timeout.timeout_seconds", APP),
    ("client_keep_alive", "client_keep_alive.seconds", APP),
    (
        "desync_mitigation_mode",
        "routing.http.desync_mitigation_mode",
        APP,
    ),
    (
        "drop_invalid_header_fields",
        "routing.http.drop_invalid_header_fields.enabled",
        APP,
    ),
    (
        "preserve_host_header",
        "routing.http.preserve_host_header.enabled",
        APP,
    ),
    (
        "enable_tls_version_and_cipher_suite_headers",
        "routing.http.x_amzn_tls_version_and_cipher_suite.enabled",
        APP,
    ),
    (
        "enable_xff_client_port",
        "routing.http.xff_client_port.enabled",
        APP,
    ),
    (
        "xff_header_processing_mode",
        "routing.http.xff_header_processing.mode",
        APP,
    ),
    ("enable_http2", "routing.http2.enabled", APP),
    ("enable_waf_fail_open", "waf.fail_open.enabled", APP),
    (
        "enable_zonal_shift",
        "zonal_shift.config.enabled",
        &["application", "network"],
    ),
    (
        "enable_cross_zone_load_balancing",
        "load_balancing.cross_zone.enabled",
        &["network", "gateway"],
    ),
    (
        "dns_record_client_routing_policy",
        "dns_record.client_routing_policy",
        &["network"],
    ),
];

const ALL: &[&str] = &["application", "network", "gateway"];
const APP: &[&str] = &["application"];

/// Log blocks (`bucket`, `prefix`, `enabled`) and the attribute prefix AWS keys each by.
const LOGS: &[(&str, &str, &[&str])] = &[
    ("access_logs", "access_logs.s3", &["application", "network"]),
    ("connection_logs", "connection_logs.s3", APP),
    ("health_check_logs", "health_check_logs.s3", APP),
];

pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
    let name = text(a, "name")
        .or_else(|| text(a, "arn").and_then(load_balancer_name))?
        .to_string();
    let r#type = text(a, "load_balancer_type").unwrap_or("application");
    let scheme = match a.get("internal").and_then(Value::as_bool) {
        Some(true) => json!("internal"),
        Some(false) => json!("internet-facing"),
        None => Value::Null,
    };
    let doc = json!({
        "Type": r#type,
        "Scheme": scheme,
        "IpAddressType": attr(a, "ip_address_type"),
        "VpcId": attr(a, "vpc_id"),
        "Subnets": subnets(a),
        "SecurityGroups": attr(a, "security_groups"),
        "CustomerOwnedIpv4Pool": attr(a, "customer_owned_ipv4_pool"),
        "Attributes": attributes(a, r#type),
        "Tags": tags(a),
    });
    Some((name, doc))
}

/// `subnets`, else the subnets of `subnet_mapping` blocks (a state may record either; 5.x
/// records both).
fn subnets(a: &Value) -> Value {
    match a.get("subnets") {
        Some(Value::Array(s)) if !s.is_empty() => Value::Array(s.clone()),
        _ => {
            let ids: Vec<Value> = crate::terraform::map::blocks(a, "subnet_mapping")
                .iter()
                .filter_map(|m| m.get("subnet_id").cloned())
                .collect();
            Value::Array(ids)
        }
    }
}

/// The attributes of a load balancer of `type`, keyed as AWS keys them, values as AWS's text.
fn attributes(a: &Value, r#type: &str) -> Value {
    let mut out = Map::new();
    for (argument, key, types) in ARGUMENTS {
        if types.contains(&r#type) {
            if let Some(v) = as_text(a.get(*argument)) {
                out.insert(key.to_string(), v);
            }
        }
    }
    for (block_name, prefix, types) in LOGS {
        let Some(b) = block(a, block_name).filter(|_| types.contains(&r#type)) else {
            continue;
        };
        for field in ["enabled", "bucket", "prefix"] {
            if let Some(v) = as_text(b.get(field)) {
                out.insert(format!("{prefix}.{field}"), v);
            }
        }
    }
    Value::Object(out)
}

/// A state's boolean, number or text as the text AWS reports attributes in (the load balancer
/// kinds' attributes are all text); "" (never set) is none.
pub(crate) fn as_text(v: Option<&Value>) -> Option<Value> {
    match v? {
        Value::Bool(b) => Some(json!(b.to_string())),
        Value::Number(n) => Some(json!(n.to_string())),
        Value::String(s) if !s.is_empty() => Some(json!(s)),
        _ => None,
    }
}
