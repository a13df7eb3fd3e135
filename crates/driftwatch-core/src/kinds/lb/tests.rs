//! The AWS shape, a user's minimal document and Terraform states (provider 3.x and 5.x, `aws_lb`
//! and `aws_alb`) of one load balancer agree.

use serde_json::{json, Value};

use super::normalize::normalize;
use super::terraform::from_terraform;

/// `DescribeLoadBalancers` of an application load balancer as AWS returns it, with the twenty
/// attributes `DescribeLoadBalancerAttributes` gives, each at its default but the idle timeout,
/// and `DescribeTags`.
fn aws_application() -> Value {
    json!({
        "LoadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188",
        "DNSName": "web-1234567890.us-east-1.elb.amazonaws.com",
        "CanonicalHostedZoneId": "Z35SXDOTRQ7X7K", "CreatedTime": "2025-01-01T00:00:00Z",
        "LoadBalancerName": "web", "Scheme": "internet-facing", "VpcId": "vpc-1",
        "State": {"Code": "active"}, "Type": "application", "IpAddressType": "ipv4",
        "AvailabilityZones": [
            {"ZoneName": "us-east-1b", "SubnetId": "subnet-b", "LoadBalancerAddresses": []},
            {"ZoneName": "us-east-1a", "SubnetId": "subnet-a", "LoadBalancerAddresses": []}
        ],
        "SecurityGroups": ["sg-2", "sg-1"],
        "Attributes": [
            {"Key": "access_logs.s3.enabled", "Value": "false"},
            {"Key": "access_logs.s3.bucket", "Value": ""},
            {"Key": "access_logs.s3.prefix", "Value": ""},
            {"Key": "connection_logs.s3.enabled", "Value": "false"},
            {"Key": "connection_logs.s3.bucket", "Value": ""},
            {"Key": "connection_logs.s3.prefix", "Value": ""},
            {"Key": "health_check_logs.s3.enabled", "Value": "false"},
            {"Key": "client_keep_alive.seconds", "Value": "3600"},
            {"Key": "deletion_protection.enabled", "Value": "false"},
            {"Key": "idle_timeout.timeout_seconds", "Value": "120"},
            {"Key": "load_balancing.cross_zone.enabled", "Value": "true"},
            {"Key": "routing.http.desync_mitigation_mode", "Value": "defensive"},
            {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "false"},
            {"Key": "routing.http.preserve_host_header.enabled", "Value": "false"},
            {"Key": "routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "Value": "false"},
            {"Key": "routing.http.xff_client_port.enabled", "Value": "false"},
            {"Key": "routing.http.xff_header_processing.mode", "Value": "append"},
            {"Key": "routing.http2.enabled", "Value": "true"},
            {"Key": "routing.http.response.server.enabled", "Value": "true"},
            {"Key": "waf.fail_open.enabled", "Value": "false"},
            {"Key": "zonal_shift.config.enabled", "Value": "false"}
        ],
        "Tags": [{"Key": "team", "Value": "web"}]
    })
}

fn minimal() -> Value {
    json!({"Type": "application", "Scheme": "internet-facing", "IpAddressType": "ipv4",
        "VpcId": "vpc-1", "Subnets": ["subnet-a", "subnet-b"], "SecurityGroups": ["sg-1", "sg-2"],
        "Attributes": {"idle_timeout.timeout_seconds": "120"}, "Tags": {"team": "web"}})
}

#[test]
fn an_application_load_balancer_is_its_settings_and_what_differs_from_the_defaults() {
    assert_eq!(normalize(aws_application()), minimal());
    assert_eq!(normalize(minimal()), minimal());
}

/// moto leaves `Scheme` out when it was not set and reports four attributes.
#[test]
fn what_moto_leaves_out_is_the_default() {
    let mut moto = aws_application();
    moto.as_object_mut().unwrap().remove("Scheme");
    moto["Attributes"] = json!([
        {"Key": "access_logs.s3.enabled", "Value": "false"},
        {"Key": "deletion_protection.enabled", "Value": "false"},
        {"Key": "idle_timeout.timeout_seconds", "Value": "120"},
        {"Key": "routing.http2.enabled", "Value": "true"}
    ]);
    assert_eq!(normalize(moto), minimal());
}

#[test]
fn logs_that_are_off_go_nowhere_and_logs_that_are_on_say_where() {
    let mut lb = aws_application();
    lb["Attributes"] = json!([{"Key": "access_logs.s3.enabled", "Value": "false"},
        {"Key": "access_logs.s3.bucket", "Value": "old-logs"}]);
    assert_eq!(normalize(lb.clone())["Attributes"], Value::Null);
    lb["Attributes"][0]["Value"] = json!("true");
    assert_eq!(
        normalize(lb)["Attributes"],
        json!({"access_logs.s3.enabled": "true", "access_logs.s3.bucket": "old-logs"})
    );
}

/// A provider 5.x state of the same load balancer, every argument as refresh records it.
fn provider5() -> Value {
    json!({
        "arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188",
        "id": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188",
        "name": "web", "name_prefix": "", "internal": false, "load_balancer_type": "application",
        "ip_address_type": "ipv4", "vpc_id": "vpc-1", "subnets": ["subnet-b", "subnet-a"],
        "subnet_mapping": [{"subnet_id": "subnet-a", "allocation_id": "", "ipv6_address": "",
            "outpost_id": "", "private_ipv4_address": ""},
            {"subnet_id": "subnet-b", "allocation_id": "", "ipv6_address": "", "outpost_id": "",
            "private_ipv4_address": ""}],
        "security_groups": ["sg-1", "sg-2"], "customer_owned_ipv4_pool": "",
        "access_logs": [{"bucket": "", "enabled": false, "prefix": ""}],
        "connection_logs": [{"bucket": "", "enabled": false, "prefix": ""}],
        "client_keep_alive": 3600, "desync_mitigation_mode": "defensive",
        "dns_record_client_routing_policy": null, "drop_invalid_header_fields": false,
        "enable_cross_zone_load_balancing": true, "enable_deletion_protection": false,
        "enable_http2": true, "enable_tls_version_and_cipher_suite_headers": false,
        "enable_waf_fail_open": false, "enable_xff_client_port": false,
        "enable_zonal_shift": false, "idle_timeout": 120, "preserve_host_header": false,
        "xff_header_processing_mode": "append",
        "tags": {"team": "web"}, "tags_all": {"team": "web"}
    })
}

/// The same in provider 3.x under the old name: fewer arguments, cross-zone recorded false
/// (an argument of network load balancers then), no connection logs or keep-alive.
fn provider3_alb() -> Value {
    json!({
        "arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188",
        "name": "web", "internal": false, "load_balancer_type": "application",
        "ip_address_type": "ipv4", "vpc_id": "vpc-1", "subnets": ["subnet-a", "subnet-b"],
        "security_groups": ["sg-2", "sg-1"],
        "access_logs": [], "drop_invalid_header_fields": false,
        "enable_cross_zone_load_balancing": false, "enable_deletion_protection": false,
        "enable_http2": true, "idle_timeout": 120, "desync_mitigation_mode": "defensive",
        "tags": {"team": "web"}
    })
}

#[test]
fn provider_3_and_5_states_compare_equal_to_aws() {
    for state in [provider5(), provider3_alb()] {
        let (id, doc) = from_terraform(&state).unwrap();
        assert_eq!(id, "web");
        assert_eq!(normalize(doc), minimal(), "{state}");
    }
}

/// A network load balancer's state records application arguments at their defaults; AWS has
/// no such attributes on it, so they are not mapped.
#[test]
fn a_network_load_balancer_has_only_its_own_attributes() {
    let mut s = provider5();
    s["load_balancer_type"] = json!("network");
    s["internal"] = json!(true);
    s["security_groups"] = json!([]);
    s["enable_cross_zone_load_balancing"] = json!(true);
    s["dns_record_client_routing_policy"] = json!("any_availability_zone");
    let (_, doc) = from_terraform(&s).unwrap();
    assert_eq!(
        normalize(doc),
        json!({"Type": "network", "Scheme": "internal", "IpAddressType": "ipv4",
            "VpcId": "vpc-1", "Subnets": ["subnet-a", "subnet-b"],
            "Attributes": {"load_balancing.cross_zone.enabled": "true"},
            "Tags": {"team": "web"}})
    );
}
