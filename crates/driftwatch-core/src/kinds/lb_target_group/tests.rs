//! The AWS shape, a user's minimal document and Terraform states (provider 3.x and 5.x) of
//! one target group agree; health check defaults follow the protocol and target type.

use serde_json::{json, Value};

use super::normalize::normalize;
use super::terraform::from_terraform;

/// `DescribeTargetGroups` of an ip target group on HTTP 8080 as AWS returns it, its health
/// check at AWS's defaults but the path, with the attributes of
/// `DescribeTargetGroupAttributes`, each at its default but the deregistration delay.
fn aws_http() -> Value {
    json!({
        "TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/backend/6d0ecf831eec9f09",
        "TargetGroupName": "backend", "Protocol": "HTTP", "Port": 8080, "VpcId": "vpc-1",
        "HealthCheckProtocol": "HTTP", "HealthCheckPort": "traffic-port",
        "HealthCheckEnabled": true, "HealthCheckIntervalSeconds": 30,
        "HealthCheckTimeoutSeconds": 5, "HealthyThresholdCount": 5,
        "UnhealthyThresholdCount": 2, "HealthCheckPath": "/health",
        "Matcher": {"HttpCode": "200"},
        "LoadBalancerArns": ["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"],
        "TargetType": "ip", "ProtocolVersion": "HTTP1", "IpAddressType": "ipv4",
        "Attributes": [
            {"Key": "deregistration_delay.timeout_seconds", "Value": "30"},
            {"Key": "stickiness.enabled", "Value": "false"},
            {"Key": "stickiness.type", "Value": "lb_cookie"},
            {"Key": "stickiness.lb_cookie.duration_seconds", "Value": "86400"},
            {"Key": "stickiness.app_cookie.cookie_name", "Value": ""},
            {"Key": "stickiness.app_cookie.duration_seconds", "Value": "86400"},
            {"Key": "slow_start.duration_seconds", "Value": "0"},
            {"Key": "load_balancing.algorithm.type", "Value": "round_robin"},
            {"Key": "load_balancing.algorithm.anomaly_mitigation", "Value": "off"},
            {"Key": "load_balancing.cross_zone.enabled", "Value": "use_load_balancer_configuration"},
            {"Key": "target_group_health.dns_failover.minimum_healthy_targets.count", "Value": "off"},
            {"Key": "target_group_health.dns_failover.minimum_healthy_targets.percentage", "Value": "off"},
            {"Key": "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", "Value": "1"},
            {"Key": "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", "Value": "off"}
        ],
        "Tags": [{"Key": "team", "Value": "web"}]
    })
}

fn minimal() -> Value {
    json!({"Protocol": "HTTP", "Port": 8080, "VpcId": "vpc-1", "TargetType": "ip",
        "ProtocolVersion": "HTTP1", "HealthCheck": {"Path": "/health"},
        "Attributes": {"deregistration_delay.timeout_seconds": "30"}, "Tags": {"team": "web"}})
}

#[test]
fn a_target_group_is_what_differs_from_the_defaults_of_its_protocol() {
    assert_eq!(normalize(aws_http()), minimal());
    assert_eq!(normalize(minimal()), minimal());
}

#[test]
fn an_instance_target_group_keeps_its_target_type_and_vpc() {
    let doc = normalize(json!({"Protocol": "HTTP", "Port": 80, "VpcId": "vpc-1"}));
    assert_eq!(doc["TargetType"], "instance");
    assert_eq!(doc["VpcId"], "vpc-1");
}

/// The defaults of a TCP target group differ (timeout 10, no path or matcher, source_ip
/// stickiness): at those it is its settings alone.
#[test]
fn a_tcp_target_group_at_its_defaults() {
    let aws = json!({"TargetGroupName": "edge", "Protocol": "TCP", "Port": 443,
        "VpcId": "vpc-1", "TargetType": "ip", "HealthCheckProtocol": "TCP",
        "HealthCheckPort": "traffic-port", "HealthCheckEnabled": true,
        "HealthCheckIntervalSeconds": 30, "HealthCheckTimeoutSeconds": 10,
        "HealthyThresholdCount": 5, "UnhealthyThresholdCount": 2,
        "Attributes": [{"Key": "stickiness.type", "Value": "source_ip"},
            {"Key": "preserve_client_ip.enabled", "Value": "false"},
            {"Key": "proxy_protocol_v2.enabled", "Value": "false"},
            {"Key": "deregistration_delay.connection_termination.enabled", "Value": "false"},
            {"Key": "target_health_state.unhealthy.connection_termination.enabled", "Value": "true"}]});
    assert_eq!(
        normalize(aws),
        json!({"Protocol": "TCP", "Port": 443, "VpcId": "vpc-1", "TargetType": "ip"})
    );
}

/// A TCP target group checked over HTTP: AWS's timeout is then 6 s, with `/` and `200-399`.
#[test]
fn a_tcp_target_group_with_an_http_health_check_at_its_defaults() {
    let aws = json!({"TargetGroupName": "edge", "Protocol": "TCP", "Port": 443,
        "VpcId": "vpc-1", "TargetType": "ip", "HealthCheckProtocol": "HTTP",
        "HealthCheckPort": "traffic-port", "HealthCheckEnabled": true,
        "HealthCheckIntervalSeconds": 30, "HealthCheckTimeoutSeconds": 6,
        "HealthCheckPath": "/", "Matcher": {"HttpCode": "200-399"},
        "HealthyThresholdCount": 5, "UnhealthyThresholdCount": 2});
    let canonical = normalize(aws.clone());
    assert_eq!(canonical["HealthCheck"], json!({"Protocol": "HTTP"}));
    let mut ten = aws;
    ten["HealthCheckTimeoutSeconds"] = json!(10);
    assert_eq!(normalize(ten)["HealthCheck"]["TimeoutSeconds"], 10);
}

/// Provider 5.x records every argument, the health check and stickiness as refresh read them.
fn provider5() -> Value {
    json!({
        "arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/backend/6d0ecf831eec9f09",
        "arn_suffix": "targetgroup/backend/6d0ecf831eec9f09", "name": "backend", "name_prefix": "",
        "port": 8080, "protocol": "HTTP", "protocol_version": "HTTP1", "vpc_id": "vpc-1",
        "target_type": "ip", "ip_address_type": "ipv4", "deregistration_delay": "30",
        "slow_start": 0, "load_balancing_algorithm_type": "round_robin",
        "load_balancing_anomaly_mitigation": "off",
        "load_balancing_cross_zone_enabled": "use_load_balancer_configuration",
        "lambda_multi_value_headers_enabled": false, "proxy_protocol_v2": false,
        "preserve_client_ip": null, "connection_termination": null,
        "health_check": [{"enabled": true, "healthy_threshold": 5, "interval": 30,
            "matcher": "200", "path": "/health", "port": "traffic-port", "protocol": "HTTP",
            "timeout": 5, "unhealthy_threshold": 2}],
        "stickiness": [{"cookie_duration": 86400, "cookie_name": "", "enabled": false,
            "type": "lb_cookie"}],
        "target_failover": [{"on_deregistration": null, "on_unhealthy": null}],
        "target_health_state": [],
        "target_group_health": [{"dns_failover": [{"minimum_healthy_targets_count": "off",
            "minimum_healthy_targets_percentage": "off"}],
            "unhealthy_state_routing": [{"minimum_healthy_targets_count": 1,
            "minimum_healthy_targets_percentage": "off"}]}],
        "load_balancer_arns": [],
        "tags": {"team": "web"}, "tags_all": {"team": "web"}
    })
}

/// Provider 3.x under the old name: the delay a number, no protocol version, anomaly
/// mitigation or target group health, stickiness without a cookie name.
fn provider3_alb() -> Value {
    json!({
        "arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/backend/6d0ecf831eec9f09",
        "name": "backend", "port": 8080, "protocol": "HTTP", "vpc_id": "vpc-1",
        "target_type": "ip", "deregistration_delay": 30, "slow_start": 0,
        "load_balancing_algorithm_type": "round_robin", "proxy_protocol_v2": false,
        "lambda_multi_value_headers_enabled": false,
        "health_check": [{"enabled": true, "healthy_threshold": 5, "interval": 30,
            "matcher": "200", "path": "/health", "port": "traffic-port", "protocol": "HTTP",
            "timeout": 5, "unhealthy_threshold": 2}],
        "stickiness": [{"cookie_duration": 86400, "enabled": false, "type": "lb_cookie"}],
        "tags": {"team": "web"}
    })
}

#[test]
fn provider_3_and_5_states_compare_equal_to_aws() {
    for state in [provider5(), provider3_alb()] {
        let (id, doc) = from_terraform(&state).unwrap();
        assert_eq!(id, "backend");
        assert_eq!(normalize(doc), minimal(), "{state}");
    }
}

#[test]
fn stickiness_on_is_compared_with_its_cookie() {
    let mut s = provider5();
    s["stickiness"] = json!([{"cookie_duration": 3600, "cookie_name": "", "enabled": true,
        "type": "lb_cookie"}]);
    let (_, doc) = from_terraform(&s).unwrap();
    assert_eq!(
        normalize(doc)["Attributes"],
        json!({"deregistration_delay.timeout_seconds": "30", "stickiness.enabled": "true",
            "stickiness.lb_cookie.duration_seconds": "3600"})
    );
}
