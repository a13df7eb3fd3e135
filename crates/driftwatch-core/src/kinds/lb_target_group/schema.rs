//! The tables of `aws_lb_target_group` and its old name `aws_alb_target_group` (see
//! `kinds::TerraformType`).

use crate::kinds::TerraformType;
use crate::terraform::map::schema::{AWS_ASSIGNED, NAME_PREFIX};

pub(super) const TARGET_GROUP: TerraformType = TerraformType {
    name: "aws_lb_target_group",
    mapped: &[
        ("name", &[]),
        ("protocol", &["/Protocol"]),
        ("port", &["/Port"]),
        ("vpc_id", &["/VpcId"]),
        ("target_type", &["/TargetType"]),
        ("protocol_version", &["/ProtocolVersion"]),
        ("ip_address_type", &["/IpAddressType"]),
        ("health_check", &["/HealthCheck"]),
        (
            "deregistration_delay",
            &["/Attributes/deregistration_delay.timeout_seconds"],
        ),
        ("slow_start", &["/Attributes/slow_start.duration_seconds"]),
        (
            "load_balancing_algorithm_type",
            &["/Attributes/load_balancing.algorithm.type"],
        ),
        (
            "load_balancing_anomaly_mitigation",
            &["/Attributes/load_balancing.algorithm.anomaly_mitigation"],
        ),
        (
            "load_balancing_cross_zone_enabled",
            &["/Attributes/load_balancing.cross_zone.enabled"],
        ),
        (
            "lambda_multi_value_headers_enabled",
            &["/Attributes/lambda.multi_value_headers.enabled"],
        ),
        ("proxy_protocol_v2", &["/Attributes/proxy_protocol_v2.enabled"]),
        ("preserve_client_ip", &["/Attributes/preserve_client_ip.enabled"]),
        (
            "connection_termination",
            &["/Attributes/deregistration_delay.connection_termination.enabled"],
        ),
        (
            "stickiness",
            &[
                "/Attributes/stickiness.enabled",
                "/Attributes/stickiness.type",
                "/Attributes/stickiness.lb_cookie.duration_seconds",
                "/Attributes/stickiness.app_cookie.duration_seconds",
                "/Attributes/stickiness.app_cookie.cookie_name",
            ],
        ),
        (
            "target_failover",
            &[
                "/Attributes/target_failover.on_deregistration",
                "/Attributes/target_failover.on_unhealthy",
            ],
        ),
        (
            "target_health_state",
            &[
                "/Attributes/target_health_state.unhealthy.connection_termination.enabled",
                "/Attributes/target_health_state.unhealthy.draining_interval_seconds",
            ],
        ),
        (
            "target_group_health",
            &[
                "/Attributes/target_group_health.dns_failover.minimum_healthy_targets.count",
                "/Attributes/target_group_health.dns_failover.minimum_healthy_targets.percentage",
                "/Attributes/target_group_health.unhealthy_state_routing.minimum_healthy_targets.count",
                "/Attributes/target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage",
            ],
        ),
        ("tags", &["/Tags"]),
        ("tags_all", &["/Tags"]),
    ],
    not_compared: &[
        ("name_prefix", NAME_PREFIX),
        ("arn_suffix", AWS_ASSIGNED),
        (
            "load_balancer_arns",
            "which load balancers use it: the listeners and rules that forward to it say so",
        ),
        (
            "target_control_port",
            "not compared yet (the port of a target's control agent, rarely set)",
        ),
    ],
    numbers: &[
        "port",
        "slow_start",
        "health_check.healthy_threshold",
        "health_check.interval",
        "health_check.timeout",
        "health_check.unhealthy_threshold",
        "stickiness.cookie_duration",
        "target_health_state.unhealthy_draining_interval",
        "target_control_port",
    ],
    bools: &[
        "connection_termination",
        "lambda_multi_value_headers_enabled",
        "proxy_protocol_v2",
        "health_check.enabled",
        "stickiness.enabled",
        "target_health_state.enable_unhealthy_connection_termination",
    ],
};

/// `aws_alb_target_group`: the same resource under its first name.
pub(super) const ALB_TARGET_GROUP: TerraformType = TerraformType {
    name: "aws_alb_target_group",
    ..TARGET_GROUP
};
