//! The AWS shape, moto's and Terraform's of one rule agree, and a rule's id is completed from
//! its listener in the same state.

use serde_json::{json, Value};

use super::normalize::normalize;
use crate::model::Kind;

const LB: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
const LISTENER: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2";
const TG: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/backend/6d0ecf831eec9f09";

/// `DescribeRules` of a rule as AWS returns it: the path both as `Values` and as its config.
fn aws() -> Value {
    json!({
        "RuleArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee",
        "Priority": "10", "IsDefault": false,
        "Conditions": [
            {"Field": "path-pattern", "Values": ["/api/*", "/v2/*"],
                "PathPatternConfig": {"Values": ["/v2/*", "/api/*"]}},
            {"Field": "host-header", "Values": ["api.example.com"],
                "HostHeaderConfig": {"Values": ["api.example.com"]}}
        ],
        "Actions": [{"Type": "forward", "Order": 1, "TargetGroupArn": TG,
            "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": TG, "Weight": 1}],
                "TargetGroupStickinessConfig": {"Enabled": false}}}],
        "Tags": [{"Key": "team", "Value": "web"}]
    })
}

fn minimal() -> Value {
    json!({
        "Conditions": [
            {"Field": "host-header", "HostHeaderConfig": {"Values": ["api.example.com"]}},
            {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*", "/v2/*"]}}
        ],
        "Actions": [{"Type": "forward", "ForwardConfig": {"TargetGroups": [
            {"TargetGroupName": "backend", "Weight": 1}]}}],
        "Tags": {"team": "web"}
    })
}

#[test]
fn a_rule_is_its_conditions_actions_and_tags() {
    assert_eq!(normalize(aws()), minimal());
    assert_eq!(normalize(minimal()), minimal());
}

/// moto: conditions as `Values` alone, the forward as `TargetGroupArn` alone.
#[test]
fn what_moto_answers_is_the_same_rule() {
    let moto = json!({"Priority": "10", "Conditions": [
            {"Field": "path-pattern", "Values": ["/v2/*", "/api/*"]},
            {"Field": "host-header", "Values": ["api.example.com"]}],
        "Actions": [{"Type": "forward", "TargetGroupArn": TG}],
        "Tags": [{"Key": "team", "Value": "web"}]});
    assert_eq!(normalize(moto), minimal());
}

fn state(rule: Value) -> Value {
    json!({"version": 4, "terraform_version": "1.9.5", "serial": 1, "lineage": "x",
        "resources": [
        {"mode": "managed", "type": "aws_lb_listener", "name": "http",
            "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
            "instances": [{"schema_version": 0, "attributes": {"arn": LISTENER, "id": LISTENER,
                "load_balancer_arn": LB, "port": 80, "protocol": "HTTP",
                "default_action": [{"type": "forward", "order": 1, "target_group_arn": TG}]}}]},
        {"mode": "managed", "type": "aws_alb_listener_rule", "name": "api",
            "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
            "instances": [{"schema_version": 0, "attributes": rule}]}
    ]})
}

/// Provider 5.x blocks (`path_pattern`, `host_header`) and provider 3.x's alike, the rule
/// named after the listener of the same state.
#[test]
fn a_state_rule_is_named_by_its_listener_and_compares_equal() {
    let rule = json!({"arn": "arn:x", "listener_arn": LISTENER, "priority": 10,
        "condition": [{"path_pattern": [{"values": ["/api/*", "/v2/*"]}], "host_header": [],
            "http_header": [], "query_string": [], "source_ip": [], "http_request_method": []},
            {"host_header": [{"values": ["api.example.com"]}]}],
        "action": [{"type": "forward", "order": 1, "target_group_arn": TG, "forward": []}],
        "tags": {"team": "web"}, "tags_all": {"team": "web"}});
    let mapped =
        crate::terraform::map::map(crate::terraform::state::parse(state(rule)).unwrap()).unwrap();
    let d = mapped
        .resources
        .iter()
        .find(|d| d.kind == Kind::LbListenerRule)
        .unwrap();
    assert_eq!(d.id, "web/80/10");
    assert_eq!(normalize(d.document.clone()), minimal());
}

#[test]
fn a_rule_whose_listener_is_not_in_the_state_is_not_checked() {
    let rule = json!({"listener_arn": LISTENER.replace("f2f7", "0000"), "priority": 10,
        "condition": [], "action": []});
    let mapped =
        crate::terraform::map::map(crate::terraform::state::parse(state(rule)).unwrap()).unwrap();
    assert!(mapped
        .resources
        .iter()
        .all(|d| d.kind != Kind::LbListenerRule));
    assert_eq!(mapped.not_checked.get("aws_alb_listener_rule"), Some(&1));
}
