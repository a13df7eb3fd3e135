//! The AWS shape, moto's and Terraform's (provider 3.x and 5.x) of one listener agree: actions
//! name target groups by name whichever way a forward is said.

use serde_json::{json, Value};

use super::normalize::normalize;
use super::terraform::from_terraform;

const LB: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
const TG: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/backend/6d0ecf831eec9f09";
const CERT: &str = "arn:aws:acm:us-east-1:123456789012:certificate/1111";
const CERT2: &str = "arn:aws:acm:us-east-1:123456789012:certificate/2222";

/// `DescribeListeners` of an HTTPS listener as AWS returns it: a single-target forward as both
/// `TargetGroupArn` and `ForwardConfig` (stickiness off), with `DescribeListenerCertificates`'
/// two certificates.
fn aws_https() -> Value {
    json!({
        "ListenerArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2",
        "LoadBalancerArn": LB, "Port": 443, "Protocol": "HTTPS",
        "Certificates": [{"CertificateArn": CERT2, "IsDefault": false},
            {"CertificateArn": CERT, "IsDefault": true}],
        "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "AlpnPolicy": ["None"],
        "MutualAuthentication": {"Mode": "off", "IgnoreClientCertificateExpiry": false},
        "DefaultActions": [{"Type": "forward", "TargetGroupArn": TG, "Order": 1,
            "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": TG, "Weight": 1}],
                "TargetGroupStickinessConfig": {"Enabled": false}}}]
    })
}

fn minimal() -> Value {
    json!({"Protocol": "HTTPS", "Port": 443, "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "Certificates": [CERT, CERT2],
        "DefaultActions": [{"Type": "forward", "ForwardConfig": {"TargetGroups": [
            {"TargetGroupName": "backend", "Weight": 1}]}}]})
}

#[test]
fn a_listener_names_its_target_groups_by_name() {
    assert_eq!(normalize(aws_https()), minimal());
    assert_eq!(normalize(minimal()), minimal());
}

/// moto: the forward as `TargetGroupArn` only, and an `SslPolicy` on an HTTP listener.
#[test]
fn moto_forwards_and_http_policies_are_the_same_listener() {
    let moto = json!({"Port": 80, "Protocol": "HTTP", "SslPolicy": "ELBSecurityPolicy-2016-08",
        "Certificates": [], "DefaultActions": [{"Type": "forward", "TargetGroupArn": TG}]});
    let aws = json!({"Port": 80, "Protocol": "HTTP", "DefaultActions": [{"Type": "forward",
        "Order": 1, "TargetGroupArn": TG, "ForwardConfig": {"TargetGroups": [
            {"TargetGroupArn": TG, "Weight": 1}]}}]});
    assert_eq!(normalize(moto), normalize(aws));
}

#[test]
fn weights_stickiness_and_redirect_defaults() {
    let doc = json!({"Port": 80, "Protocol": "HTTP", "DefaultActions": [
        {"Type": "redirect", "Order": 2, "RedirectConfig": {"Protocol": "HTTPS", "Port": "443",
            "Host": "#{host}", "Path": "/#{path}", "Query": "#{query}", "StatusCode": "HTTP_301"}},
        {"Type": "forward", "Order": 1, "ForwardConfig": {"TargetGroups": [
            {"TargetGroupArn": TG, "Weight": 90},
            {"TargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/a-canary/1", "Weight": 10}],
            "TargetGroupStickinessConfig": {"Enabled": true, "DurationSeconds": 3600}}}]});
    assert_eq!(
        normalize(doc)["DefaultActions"],
        json!([{"Type": "forward", "ForwardConfig": {"TargetGroups": [
            {"TargetGroupName": "a-canary", "Weight": 10},
            {"TargetGroupName": "backend", "Weight": 90}],
            "TargetGroupStickinessConfig": {"Enabled": true, "DurationSeconds": 3600}}},
        {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443",
            "StatusCode": "HTTP_301"}}])
    );
}

fn provider5() -> Value {
    json!({
        "arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2",
        "load_balancer_arn": LB, "port": 443, "protocol": "HTTPS",
        "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "certificate_arn": CERT,
        "alpn_policy": null, "mutual_authentication": [],
        "default_action": [{"type": "forward", "order": 1, "target_group_arn": TG,
            "forward": [], "redirect": [], "fixed_response": [], "authenticate_oidc": [],
            "authenticate_cognito": []}],
        "tags": {}, "tags_all": {}
    })
}

/// Provider 3.x wrote the forward as a `forward` block with the one target group.
fn provider3_alb() -> Value {
    json!({
        "arn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2",
        "load_balancer_arn": LB, "port": 443, "protocol": "HTTPS",
        "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "certificate_arn": CERT,
        "default_action": [{"type": "forward", "order": 1, "target_group_arn": "",
            "forward": [{"target_group": [{"arn": TG, "weight": 1}],
                "stickiness": [{"enabled": false, "duration": 1}]}]}]
    })
}

#[test]
fn provider_3_and_5_states_compare_equal_to_aws() {
    let mut one_cert = minimal();
    one_cert["Certificates"] = json!([CERT]);
    for state in [provider5(), provider3_alb()] {
        let (id, doc) = from_terraform(&state).unwrap();
        assert_eq!(id, "web/443");
        assert_eq!(normalize(doc), one_cert, "{state}");
    }
}
