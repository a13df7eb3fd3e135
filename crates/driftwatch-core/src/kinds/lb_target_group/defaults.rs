//! What AWS gives a target group no one set otherwise: its health check (which depends on the
//! protocol, the protocol version and the target type) and its attributes (which depend on the
//! load balancer type the protocol is for). Values equal to these are dropped, so a minimal
//! golden file, moto and AWS agree. Pure.
//!
//! Where they come from: the Elastic Load Balancing API reference, `CreateTargetGroup`
//! (docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html:
//! health check port `traffic-port`, interval 30 (GENEVE 10, lambda 35), timeout 5 for HTTP,
//! HTTPS and GENEVE, 10 for TCP, TLS, UDP, TCP_UDP, 30 for lambda, thresholds 5 and 2, path `/`
//! (gRPC `/AWS.ALB/healthcheck`), matcher 200 (gRPC 12, network load balancers 200-399), health
//! checks off for lambda) and `TargetGroupAttribute`
//! (docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html),
//! checked against the aws provider's `aws_lb_target_group` documentation
//! (website/docs/r/lb_target_group.html.markdown: deregistration delay 300, slow start 0,
//! `round_robin`, anomaly mitigation `off`, cross-zone `use_load_balancer_configuration`,
//! stickiness off with a one-day cookie, target failover `no_rebalance`, unhealthy connection
//! termination on, DNS failover `off` and unhealthy state routing 1).

use serde_json::{json, Value};

/// Which kind of load balancer a target group's protocol serves.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Application,
    Network,
    Gateway,
    Lambda,
}

pub(crate) fn family(protocol: &str, target_type: &str) -> Family {
    match (protocol, target_type) {
        (_, "lambda") => Family::Lambda,
        ("GENEVE", _) => Family::Gateway,
        ("TCP" | "TLS" | "UDP" | "TCP_UDP", _) => Family::Network,
        _ => Family::Application,
    }
}

/// The health check AWS gives a target group of `family` whose health check uses
/// `check_protocol`, in the canonical `HealthCheck` field names.
pub(crate) fn health_check(family: Family, check_protocol: &str, grpc: bool) -> Value {
    let http_check = matches!(check_protocol, "HTTP" | "HTTPS");
    match family {
        Family::Lambda => json!({"Enabled": false, "IntervalSeconds": 35,
            "TimeoutSeconds": 30, "HealthyThresholdCount": 5, "UnhealthyThresholdCount": 2,
            "Path": "/", "Matcher": "200", "Protocol": "HTTP", "Port": "traffic-port"}),
        Family::Application => json!({"Enabled": true, "Port": "traffic-port",
            "Protocol": "HTTP", "IntervalSeconds": 30, "TimeoutSeconds": 5,
            "HealthyThresholdCount": 5, "UnhealthyThresholdCount": 2,
            "Path": if grpc { "/AWS.ALB/healthcheck" } else { "/" },
            "Matcher": if grpc { "12" } else { "200" }}),
        // The Network Load Balancer guide: 6 s for an HTTP health check, 10 s for TCP and HTTPS.
        Family::Network => json!({"Enabled": true, "Port": "traffic-port", "Protocol": "TCP",
            "IntervalSeconds": 30,
            "TimeoutSeconds": if check_protocol == "HTTP" { 6 } else { 10 },
            "HealthyThresholdCount": 5,
            "UnhealthyThresholdCount": 2,
            "Path": if http_check { json!("/") } else { Value::Null },
            "Matcher": if http_check { json!("200-399") } else { Value::Null }}),
        Family::Gateway => json!({"Enabled": true, "Port": "80", "Protocol": "TCP",
            "IntervalSeconds": 10, "TimeoutSeconds": 5, "HealthyThresholdCount": 5,
            "UnhealthyThresholdCount": 2}),
    }
}

const EVERY: &[(&str, &str)] = &[
    ("deregistration_delay.timeout_seconds", "300"),
    ("stickiness.enabled", "false"),
    (
        "load_balancing.cross_zone.enabled",
        "use_load_balancer_configuration",
    ),
    (
        "target_group_health.dns_failover.minimum_healthy_targets.count",
        "off",
    ),
    (
        "target_group_health.dns_failover.minimum_healthy_targets.percentage",
        "off",
    ),
    (
        "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count",
        "1",
    ),
    (
        "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage",
        "off",
    ),
];

const APPLICATION: &[(&str, &str)] = &[
    ("stickiness.type", "lb_cookie"),
    ("stickiness.lb_cookie.duration_seconds", "86400"),
    ("stickiness.app_cookie.duration_seconds", "86400"),
    ("slow_start.duration_seconds", "0"),
    ("load_balancing.algorithm.type", "round_robin"),
    ("load_balancing.algorithm.anomaly_mitigation", "off"),
    ("lambda.multi_value_headers.enabled", "false"),
    // A load balancer attribute in AWS's reference (default false); moto 5.2.5 answers it for
    // an application target group too, where no one can set it.
    ("waf.fail_open.enabled", "false"),
];

const NETWORK: &[(&str, &str)] = &[
    ("stickiness.type", "source_ip"),
    (
        "deregistration_delay.connection_termination.enabled",
        "false",
    ),
    ("proxy_protocol_v2.enabled", "false"),
    (
        "target_health_state.unhealthy.connection_termination.enabled",
        "true",
    ),
    (
        "target_health_state.unhealthy.draining_interval_seconds",
        "0",
    ),
];

const GATEWAY: &[(&str, &str)] = &[
    ("stickiness.type", "source_ip_dest_ip_proto"),
    ("target_failover.on_deregistration", "no_rebalance"),
    ("target_failover.on_unhealthy", "no_rebalance"),
];

/// Whether `value` is what AWS gives the attribute `key` of a target group of `family` (with
/// `protocol` and `target_type`). `""` (a cookie name never set) is always the default.
pub(crate) fn is_default_attribute(
    family: Family,
    protocol: &str,
    target_type: &str,
    key: &str,
    value: &str,
) -> bool {
    if value.is_empty() {
        return true;
    }
    if key == "preserve_client_ip.enabled" {
        // Off for ip targets over TCP and TLS, on otherwise.
        let off = target_type == "ip" && matches!(protocol, "TCP" | "TLS");
        return value == if off { "false" } else { "true" };
    }
    let own = match family {
        Family::Application | Family::Lambda => APPLICATION,
        Family::Network => NETWORK,
        Family::Gateway => GATEWAY,
    };
    EVERY
        .iter()
        .chain(own)
        .any(|(k, v)| *k == key && *v == value)
}
