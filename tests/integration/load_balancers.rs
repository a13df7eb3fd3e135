//! Load balancers, target groups, listeners and rules against moto: a snapshot checks clean;
//! each compared setting changed in the account is reported at its path (the idle timeout, a
//! target group's health check path, a listener's default action to another target group, a
//! rule's condition); a target group recreated with the same name and settings is in sync with
//! the golden files taken before (names, not ARNs); deleted resources are missing and ones made
//! outside are unmanaged with import blocks by ARN; tags are read 20 ARNs a call.

use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, PathPatternConditionConfig, ProtocolEnum, RuleCondition, TargetTypeEnum,
};
use aws_sdk_elasticloadbalancingv2::Client;

use crate::harness::Moto;

/// What [`stack`] made: ARNs a test changes.
pub(crate) struct Stack {
    pub lb: String,
    pub backend: String,
    pub listener: String,
    pub rule: String,
    pub vpc: String,
}

/// A VPC with two subnets, an application load balancer `web` (idle timeout 120, tagged), the
/// `backend` target group (ip, HTTP 8080, health check `/health`), an HTTP listener on 80
/// forwarding to it and a rule (priority 10, `/api/*`) forwarding to it. Made once per server:
/// a second call finds `web` and returns what is there.
pub(crate) async fn stack(moto: &Moto) -> Stack {
    let elb = moto.elbv2().await;
    if let Ok(found) = elb.describe_load_balancers().names("web").send().await {
        if let Some(lb) = found.load_balancers().first() {
            return existing(&elb, lb.load_balancer_arn().unwrap()).await;
        }
    }
    let ec2 = moto.ec2().await;
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.20.0.0/16")
        .send()
        .await
        .unwrap();
    let vpc = vpc.vpc().unwrap().vpc_id().unwrap().to_string();
    let mut subnets = Vec::new();
    for (cidr, az) in [
        ("10.20.1.0/24", "us-east-1a"),
        ("10.20.2.0/24", "us-east-1b"),
    ] {
        let s = ec2
            .create_subnet()
            .vpc_id(&vpc)
            .cidr_block(cidr)
            .availability_zone(az);
        let s = s.send().await.unwrap();
        subnets.push(s.subnet().unwrap().subnet_id().unwrap().to_string());
    }
    let sg = ec2
        .create_security_group()
        .group_name("web-lb")
        .description("lb")
        .vpc_id(&vpc);
    let sg = sg.send().await.unwrap().group_id().unwrap().to_string();
    let lb = elb
        .create_load_balancer()
        .name("web")
        .set_subnets(Some(subnets))
        .security_groups(sg)
        .tags(tag("team", "web"))
        .send()
        .await
        .unwrap();
    let lb = lb.load_balancers()[0]
        .load_balancer_arn()
        .unwrap()
        .to_string();
    elb.modify_load_balancer_attributes()
        .load_balancer_arn(&lb)
        .attributes(attribute("idle_timeout.timeout_seconds", "120"))
        .send()
        .await
        .unwrap();
    let backend = target_group(&elb, "backend", &vpc).await;
    let listener = elb
        .create_listener()
        .load_balancer_arn(&lb)
        .protocol(ProtocolEnum::Http)
        .port(80)
        .default_actions(forward(&backend))
        .send()
        .await
        .unwrap();
    let listener = listener.listeners()[0].listener_arn().unwrap().to_string();
    let rule = elb
        .create_rule()
        .listener_arn(&listener)
        .priority(10)
        .conditions(path_is("/api/*"))
        .actions(forward(&backend))
        .send()
        .await
        .unwrap();
    let rule = rule.rules()[0].rule_arn().unwrap().to_string();
    Stack {
        lb,
        backend,
        listener,
        rule,
        vpc,
    }
}

async fn existing(elb: &Client, lb: &str) -> Stack {
    let tgs = elb
        .describe_target_groups()
        .names("backend")
        .send()
        .await
        .unwrap();
    let tg = &tgs.target_groups()[0];
    let listeners = elb
        .describe_listeners()
        .load_balancer_arn(lb)
        .send()
        .await
        .unwrap();
    let listener = listeners.listeners()[0].listener_arn().unwrap().to_string();
    let rules = elb
        .describe_rules()
        .listener_arn(&listener)
        .send()
        .await
        .unwrap();
    let rule = rules
        .rules()
        .iter()
        .find(|r| r.is_default() != Some(true))
        .unwrap();
    Stack {
        lb: lb.to_string(),
        backend: tg.target_group_arn().unwrap().to_string(),
        listener,
        rule: rule.rule_arn().unwrap().to_string(),
        vpc: tg.vpc_id().unwrap().to_string(),
    }
}

/// An ip target group on HTTP 8080 checked at `/health`.
pub(crate) async fn target_group(elb: &Client, name: &str, vpc: &str) -> String {
    let tg = elb
        .create_target_group()
        .name(name)
        .protocol(ProtocolEnum::Http)
        .port(8080)
        .vpc_id(vpc)
        .target_type(TargetTypeEnum::Ip)
        .health_check_path("/health")
        .send()
        .await
        .unwrap();
    tg.target_groups()[0]
        .target_group_arn()
        .unwrap()
        .to_string()
}

pub(crate) fn forward(tg: &str) -> Action {
    Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .target_group_arn(tg)
        .build()
}

pub(crate) fn path_is(pattern: &str) -> RuleCondition {
    RuleCondition::builder()
        .field("path-pattern")
        .path_pattern_config(
            PathPatternConditionConfig::builder()
                .values(pattern)
                .build(),
        )
        .build()
}

fn tag(k: &str, v: &str) -> aws_sdk_elasticloadbalancingv2::types::Tag {
    aws_sdk_elasticloadbalancingv2::types::Tag::builder()
        .key(k)
        .value(v)
        .build()
}

fn attribute(k: &str, v: &str) -> aws_sdk_elasticloadbalancingv2::types::LoadBalancerAttribute {
    aws_sdk_elasticloadbalancingv2::types::LoadBalancerAttribute::builder()
        .key(k)
        .value(v)
        .build()
}

#[tokio::test]
async fn a_snapshot_of_the_stack_checks_clean() {
    let moto = Moto::start();
    stack(&moto).await;
    moto.driftwatch(&["snapshot", "--kind", "aws_lb"])
        .expect_code(0);
    let lb = golden(&moto, "aws_lb/web.json");
    assert_eq!(
        lb["Attributes"],
        serde_json::json!({"idle_timeout.timeout_seconds": "120"})
    );
    assert_eq!(lb["Scheme"], "internet-facing");
    assert_eq!(lb["Tags"], serde_json::json!({"team": "web"}));
    moto.driftwatch(&[
        "check",
        "--no-checks",
        "--format",
        "json",
        "--kind",
        "aws_lb",
    ])
    .expect_code(0);
}

fn golden(moto: &Moto, rel: &str) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(moto.path(&format!("golden/{rel}"))).unwrap()).unwrap()
}

fn paths(report: &serde_json::Value, kind: &str, id: &str) -> Vec<String> {
    let e = crate::harness::entry(report, kind, id);
    assert_eq!(e["status"], "modified", "{report:#}");
    e["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap().to_string())
        .collect()
}

/// Each compared setting changed by hand is reported at its path: the idle timeout, a target
/// group's health check path, the listener's default action to another target group, a
/// rule's condition.
#[tokio::test]
async fn each_change_by_hand_is_reported_at_its_path() {
    let moto = Moto::start();
    let s = stack(&moto).await;
    let elb = moto.elbv2().await;
    let other = target_group(&elb, "other", &s.vpc).await;
    moto.driftwatch(&["snapshot"]).expect_code(0);

    elb.modify_load_balancer_attributes()
        .load_balancer_arn(&s.lb)
        .attributes(attribute("idle_timeout.timeout_seconds", "300"))
        .send()
        .await
        .unwrap();
    elb.modify_target_group()
        .target_group_arn(&s.backend)
        .health_check_path("/ready")
        .send()
        .await
        .unwrap();
    elb.modify_listener()
        .listener_arn(&s.listener)
        .default_actions(forward(&other))
        .send()
        .await
        .unwrap();
    elb.modify_rule()
        .rule_arn(&s.rule)
        .conditions(path_is("/v2/*"))
        .send()
        .await
        .unwrap();
    let report = moto.check(1);
    assert_eq!(
        paths(&report, "aws_lb", "web"),
        ["/Attributes/idle_timeout.timeout_seconds"]
    );
    assert_eq!(
        paths(&report, "aws_lb_target_group", "backend"),
        ["/HealthCheck/Path"]
    );
    let listener = paths(&report, "aws_lb_listener", "web/80");
    assert!(
        listener
            .iter()
            .all(|p| p.starts_with("/DefaultActions/0/ForwardConfig/TargetGroups")),
        "{listener:?}"
    );
    let rule = paths(&report, "aws_lb_listener_rule", "web/80/10");
    assert!(
        rule.iter().all(|p| p.starts_with("/Conditions")),
        "{rule:?}"
    );
}

/// A target group deleted and made again with the same name and settings (a new ARN, which
/// the listener and rule are pointed at again) is in sync with the golden files taken before.
#[tokio::test]
async fn a_target_group_recreated_with_the_same_settings_is_in_sync() {
    let moto = Moto::start();
    let s = stack(&moto).await;
    let elb = moto.elbv2().await;
    moto.driftwatch(&["snapshot"]).expect_code(0);
    let other = target_group(&elb, "interim", &s.vpc).await;
    let point = |tg: String| {
        let elb = elb.clone();
        let (listener, rule) = (s.listener.clone(), s.rule.clone());
        async move {
            elb.modify_listener()
                .listener_arn(&listener)
                .default_actions(forward(&tg))
                .send()
                .await
                .unwrap();
            elb.modify_rule()
                .rule_arn(&rule)
                .actions(forward(&tg))
                .send()
                .await
                .unwrap();
        }
    };
    point(other.clone()).await;
    elb.delete_target_group()
        .target_group_arn(&s.backend)
        .send()
        .await
        .unwrap();
    let again = target_group(&elb, "backend", &s.vpc).await;
    assert_ne!(again, s.backend);
    point(again).await;
    elb.delete_target_group()
        .target_group_arn(&other)
        .send()
        .await
        .unwrap();
    let report = moto.check(0);
    assert_eq!(report["summary"]["modified"], 0, "{report:#}");
}

/// A state with the listener and its rule: in sync, the rule named `web/80/10` through its
/// listener's ARN. Then the rule deleted is missing, and what the state does not hold is
/// unmanaged, each with an import block by its ARN (what `terraform import` takes).
#[tokio::test]
async fn a_state_in_sync_then_missing_and_unmanaged_with_import_blocks_by_arn() {
    let moto = Moto::start();
    let s = stack(&moto).await;
    let elb = moto.elbv2().await;
    let forward = serde_json::json!([{"type": "forward", "order": 1,
        "target_group_arn": s.backend, "forward": [], "redirect": [], "fixed_response": [],
        "authenticate_cognito": [], "authenticate_oidc": []}]);
    let state = serde_json::json!({"version": 4, "terraform_version": "1.9.5", "serial": 1,
        "lineage": "lb", "outputs": {}, "resources": [
        {"mode": "managed", "type": "aws_lb_listener", "name": "http",
            "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
            "instances": [{"schema_version": 0, "attributes": {"arn": s.listener,
                "id": s.listener, "load_balancer_arn": s.lb, "port": 80, "protocol": "HTTP",
                "ssl_policy": "", "certificate_arn": null, "alpn_policy": null,
                "default_action": forward, "tags": {}, "tags_all": {}}}]},
        {"mode": "managed", "type": "aws_lb_listener_rule", "name": "api",
            "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
            "instances": [{"schema_version": 0, "attributes": {"arn": s.rule, "id": s.rule,
                "listener_arn": s.listener, "priority": 10,
                "condition": [{"path_pattern": [{"values": ["/api/*"]}]}],
                "action": forward, "tags": {}, "tags_all": {}}}]}
    ]});
    std::fs::write(moto.path("lb.tfstate"), state.to_string()).unwrap();
    let check = |code: i32| {
        moto.driftwatch(&[
            "check",
            "--no-checks",
            "--format",
            "json",
            "--state",
            "lb.tfstate",
            "--report",
            "terraform-import=imports.tf",
        ])
        .expect_code(code)
        .json()
    };
    let report = check(1);
    let status = |r: &serde_json::Value, kind: &str, id: &str| {
        crate::harness::entry(r, kind, id)["status"].clone()
    };
    assert_eq!(
        status(&report, "aws_lb_listener", "web/80"),
        "in_sync",
        "{report:#}"
    );
    assert_eq!(
        status(&report, "aws_lb_listener_rule", "web/80/10"),
        "in_sync"
    );
    assert_eq!(status(&report, "aws_lb", "web"), "unmanaged");

    elb.delete_rule().rule_arn(&s.rule).send().await.unwrap();
    let made = target_group(&elb, "made-by-hand", &s.vpc).await;
    let report = check(1);
    assert_eq!(
        status(&report, "aws_lb_listener_rule", "web/80/10"),
        "missing"
    );
    assert_eq!(
        status(&report, "aws_lb_target_group", "made-by-hand"),
        "unmanaged"
    );
    let imports = std::fs::read_to_string(moto.path("imports.tf")).unwrap();
    for arn in [&made, &s.lb] {
        assert!(imports.contains(&format!("id = \"{arn}\"")), "{imports}");
    }
}

/// 25 tagged target groups: `DescribeTags` takes 20 ARNs a call, so two calls; one
/// `DescribeTargetGroupAttributes` each; listeners and rules read once for both kinds.
#[tokio::test]
async fn tags_are_read_twenty_arns_a_call() {
    let moto = Moto::start();
    let s = stack(&moto).await;
    let elb = moto.elbv2().await;
    for i in 0..24 {
        target_group(&elb, &format!("tg-{i:02}"), &s.vpc).await;
    }
    let run = moto.driftwatch(&["-v", "snapshot"]).expect_code(0);
    let calls = run.api_calls();
    let n = |op: &str| calls.get(&format!("elasticloadbalancing:{op}")).copied();
    assert_eq!(n("DescribeTargetGroups"), Some(1), "{calls:?}");
    assert_eq!(n("DescribeTargetGroupAttributes"), Some(25), "{calls:?}");
    // 25 target groups → 2; 1 load balancer → 1; 1 rule → 1.
    assert_eq!(n("DescribeTags"), Some(4), "{calls:?}");
    assert_eq!(n("DescribeLoadBalancers"), Some(1), "{calls:?}");
    assert_eq!(n("DescribeListeners"), Some(1), "{calls:?}");
    assert_eq!(n("DescribeRules"), Some(1), "{calls:?}");
    assert_eq!(n("DescribeListenerCertificates"), None, "{calls:?}");
}
