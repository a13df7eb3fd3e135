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
