//! `aws_lb_target_group` (and its old name `aws_alb_target_group`) from a Terraform state
//! (provider 3.x to 6.x), in the shape the normalizer accepts. Arguments that belong to another
//! kind of load balancer's target groups (a state records `proxy_protocol_v2 = false` on an
//! HTTP target group) are left out: AWS has no such attribute on it. Pure.

use serde_json::{json, Map, Value};

use super::defaults::{family, Family};
use crate::arn::elb::target_group_name;
use crate::kinds::lb::terraform::as_text;
use crate::terraform::map::{attr, block, tags, text};

use Family::{Application as A, Gateway as G, Lambda as L, Network as N};

/// Arguments that are one target group attribute each, with the families that have it.
const ARGUMENTS: &[(&str, &str, &[Family])] = &[
    (
        "deregistration_delay",
        "deregistration_delay.timeout_seconds",
        &[A, N, G],
    ),
    ("slow_start", "slow_start.duration_seconds", &[A]),
    (
        "load_balancing_algorithm_type",
        "load_balancing.algorithm.type",
        &[A],
    ),
    (
        "load_balancing_anomaly_mitigation",
        "load_balancing.algorithm.anomaly_mitigation",
        &[A],
    ),
    (
        "load_balancing_cross_zone_enabled",
        "load_balancing.cross_zone.enabled",
        &[A, N, G],
    ),
    (
        "lambda_multi_value_headers_enabled",
        "lambda.multi_value_headers.enabled",
        &[L],
    ),
    ("proxy_protocol_v2", "proxy_protocol_v2.enabled", &[N]),
    ("preserve_client_ip", "preserve_client_ip.enabled", &[N]),
    (
        "connection_termination",
        "deregistration_delay.connection_termination.enabled",
        &[N],
    ),
];

pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
    let name = text(a, "name")
        .or_else(|| text(a, "arn").and_then(target_group_name))?
        .to_string();
    let target_type = text(a, "target_type").unwrap_or("instance");
    let protocol = text(a, "protocol").unwrap_or("");
    let fam = family(protocol, target_type);
    let doc = json!({
        "Protocol": attr(a, "protocol"),
        "Port": attr(a, "port"),
        "VpcId": attr(a, "vpc_id"),
        "TargetType": target_type,
        "ProtocolVersion": attr(a, "protocol_version"),
        "IpAddressType": attr(a, "ip_address_type"),
        "HealthCheck": block(a, "health_check").map(|h| health_check(&h)),
        "Attributes": attributes(a, fam),
        "Tags": tags(a),
    });
    Some((name, doc))
}

fn health_check(h: &Value) -> Value {
    json!({
        "Enabled": attr(h, "enabled"),
        "Protocol": attr(h, "protocol"),
        "Port": attr(h, "port"),
        "Path": attr(h, "path"),
        "IntervalSeconds": attr(h, "interval"),
        "TimeoutSeconds": attr(h, "timeout"),
        "HealthyThresholdCount": attr(h, "healthy_threshold"),
        "UnhealthyThresholdCount": attr(h, "unhealthy_threshold"),
        "Matcher": attr(h, "matcher"),
    })
}

/// The attributes of a target group of `fam`, keyed as AWS keys them, values as AWS's text.
fn attributes(a: &Value, fam: Family) -> Value {
    let mut out = Map::new();
    let mut put = |k: &str, v: Option<&Value>| {
        if let Some(v) = as_text(v) {
            out.insert(k.to_string(), v);
        }
    };
    for (argument, key, families) in ARGUMENTS {
        if families.contains(&fam) {
            put(key, a.get(*argument));
        }
    }
    if let Some(s) = block(a, "stickiness") {
        put("stickiness.enabled", s.get("enabled"));
        put("stickiness.type", s.get("type"));
        match s.get("type").and_then(Value::as_str) {
            Some("app_cookie") => {
                put(
                    "stickiness.app_cookie.duration_seconds",
                    s.get("cookie_duration"),
                );
                put("stickiness.app_cookie.cookie_name", s.get("cookie_name"));
            }
            Some("lb_cookie") => put(
                "stickiness.lb_cookie.duration_seconds",
                s.get("cookie_duration"),
            ),
            _ => {}
        }
    }
    if let Some(f) = block(a, "target_failover").filter(|_| fam == G) {
        put(
            "target_failover.on_deregistration",
            f.get("on_deregistration"),
        );
        put("target_failover.on_unhealthy", f.get("on_unhealthy"));
    }
    if let Some(t) = block(a, "target_health_state").filter(|_| fam == N) {
        put(
            "target_health_state.unhealthy.connection_termination.enabled",
            t.get("enable_unhealthy_connection_termination"),
        );
        put(
            "target_health_state.unhealthy.draining_interval_seconds",
            t.get("unhealthy_draining_interval"),
        );
    }
    if let Some(h) = block(a, "target_group_health") {
        for (part, prefix) in [
            ("dns_failover", "target_group_health.dns_failover"),
            (
                "unhealthy_state_routing",
                "target_group_health.unhealthy_state_routing",
            ),
        ] {
            if let Some(b) = block(&h, part) {
                put(
                    &format!("{prefix}.minimum_healthy_targets.count"),
                    b.get("minimum_healthy_targets_count"),
                );
                put(
                    &format!("{prefix}.minimum_healthy_targets.percentage"),
                    b.get("minimum_healthy_targets_percentage"),
                );
            }
        }
    }
    Value::Object(out)
}
