//! `lb-reference` and `db-reference` end to end: the demo environment (its backend service
//! behind the load balancer's rule, its task naming the Postgres instance; consistent, see
//! `checks.rs`) with one break made through boto3. `check` reads the account; `verify` on a
//! snapshot of it judges what a golden folder can tell.

use std::path::Path;

use serde_json::Value;

use crate::checks::{demo_with, findings, live_and_offline, one};
use crate::harness::{driftwatch_command, Run};

const SERVICE: &str = "aws_ecs_service";
const BACKEND: &str = "retainwise-prod/backend";

/// Python: the target group's ARN and the listener's, as `tg` and `listener`.
const LOOKUP: &str = "elbv2 = boto3.client('elbv2', region_name='us-east-1')\n\
     tg = elbv2.describe_target_groups(Names=[seed.TARGET_GROUP])['TargetGroups'][0]['TargetGroupArn']\n\
     lb = elbv2.describe_load_balancers(Names=[seed.LOAD_BALANCER])['LoadBalancers'][0]['LoadBalancerArn']\n\
     listener = elbv2.describe_listeners(LoadBalancerArn=lb)['Listeners'][0]['ListenerArn']\n\
     rule = [r for r in elbv2.describe_rules(ListenerArn=listener)['Rules'] if not r['IsDefault']][0]['RuleArn']\n";

#[test]
fn a_target_group_recreated_by_hand_is_found_live() {
    let moto = demo_with(&format!(
        "{LOOKUP}\
         elbv2.delete_rule(RuleArn=rule)\n\
         elbv2.delete_target_group(TargetGroupArn=tg)\n\
         new = elbv2.create_target_group(Name=seed.TARGET_GROUP, Protocol='HTTP', Port=8000, \
           VpcId=elbv2.describe_load_balancers(Names=[seed.LOAD_BALANCER])['LoadBalancers'][0]['VpcId'], \
           TargetType='ip', HealthCheckPath='/health')['TargetGroups'][0]['TargetGroupArn']\n\
         elbv2.create_rule(ListenerArn=listener, Priority=10, \
           Conditions=[{{'Field': 'path-pattern', 'Values': ['/api/*']}}], \
           Actions=[{{'Type': 'forward', 'TargetGroupArn': new}}])\n"
    ));
    let live = moto.check_all(1);
    assert_eq!(
        findings(&live),
        one("lb-reference", SERVICE, BACKEND, "retainwise-backend")
    );
    let message = live["checks"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("but the target group of that name is now arn:aws:elasticloadbalancing"),
        "{message}"
    );
    // A golden folder names target groups by name: the recreated one is the same one there.
    let offline = moto
        .driftwatch(&["verify", "golden", "--format", "json"])
        .expect_code(0)
        .json();
    assert_eq!(findings(&offline), vec![]);
}

#[test]
fn a_target_group_no_rule_forwards_to_is_found_live_and_offline() {
    let moto = demo_with(&format!("{LOOKUP}elbv2.delete_rule(RuleArn=rule)\n"));
    assert_eq!(
        live_and_offline(&moto, 1),
        one("lb-reference", SERVICE, BACKEND, "retainwise-backend")
    );
    let live = moto.check_all(1);
    let message = live["checks"][0]["message"].as_str().unwrap();
    assert!(
        message
            .ends_with("but no listener or listener rule forwards to it: its tasks get no traffic"),
        "{message}"
    );
}

#[test]
fn a_database_group_that_no_longer_admits_the_service_is_found_live_and_offline() {
    // Drift 12 of the demo: the database's group loses the backend's ingress rule.
    let moto = demo_with(
        "groups = {g['GroupName'].removeprefix('retainwise-'): g['GroupId'] for g in \
           ec2.describe_security_groups()['SecurityGroups']}\n\
         seed.drift_edge_and_database(ec2, boto3.client('elbv2', region_name='us-east-1'), groups)\n",
    );
    let found = live_and_offline(&moto, 1);
    assert_eq!(
        found,
        one("db-reference", SERVICE, BACKEND, "retainwise-prod")
    );
    let live = moto.check_all(1);
    let message = live["checks"][0]["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "reaches DB instance retainwise-prod (DATABASE_HOST of container backend), but none \
             of its security groups"
        ) && message.ends_with("on port 5432"),
        "{message}"
    );
}

#[test]
fn a_task_naming_a_database_that_is_gone_and_a_public_one() {
    let moto = demo_with(
        "rds = boto3.client('rds', region_name='us-east-1')\n\
         rds.modify_db_instance(DBInstanceIdentifier=seed.DB_INSTANCE, DeletionProtection=False, \
           PubliclyAccessible=True, ApplyImmediately=True)\n",
    );
    let live = moto.check_all(0);
    let mut warnings = findings(&live);
    warnings.sort();
    assert_eq!(
        warnings,
        vec![
            (
                "db-reference".to_string(),
                "aws_db_instance".to_string(),
                "retainwise-prod".to_string(),
                "DeletionProtection".to_string()
            ),
            (
                "db-reference".to_string(),
                "aws_db_instance".to_string(),
                "retainwise-prod".to_string(),
                "PubliclyAccessible".to_string()
            ),
        ]
    );
    assert!(live["checks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["severity"] == "warning"));

    let moto = demo_with(
        "rds = boto3.client('rds', region_name='us-east-1')\n\
         rds.modify_db_instance(DBInstanceIdentifier=seed.DB_INSTANCE, DeletionProtection=False, \
           ApplyImmediately=True)\n\
         rds.delete_db_instance(DBInstanceIdentifier=seed.DB_INSTANCE, SkipFinalSnapshot=True)\n",
    );
    let host = "retainwise-prod.aaaaaaaaaa.us-east-1.rds.amazonaws.com";
    assert_eq!(
        live_and_offline(&moto, 1),
        one(
            "db-reference",
            "aws_ecs_task_definition",
            "retainwise-backend",
            host
        )
    );
}

/// `verify` on the demo's Terraform state with the resources `drop` names (`type.name`) taken
/// out, as a JSON report.
fn verify_demo_state_without(drop: &str, code: i32) -> Value {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(repo.join("demo/terraform.tfstate")).unwrap();
    let mut state: Value = serde_json::from_str(&text).unwrap();
    let (ty, name) = drop.split_once('.').unwrap();
    let resources = state["resources"].as_array_mut().unwrap();
    let before = resources.len();
    resources.retain(|r| !(r["type"] == ty && r["name"] == name));
    assert_eq!(resources.len(), before - 1, "the demo state has {drop}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prod.tfstate");
    std::fs::write(&path, state.to_string()).unwrap();
    let mut cmd = driftwatch_command(dir.path());
    cmd.args(["verify", path.to_str().unwrap(), "--format", "json"]);
    Run::of(&mut cmd).expect_code(code).json()
}

#[test]
fn verify_on_a_state_finds_the_database_rule_gone_but_not_a_rule_another_stack_may_hold() {
    // The state holds the database's group whole (its rules are resources of the same state).
    let report = verify_demo_state_without("aws_security_group_rule.db_from_backend", 1);
    assert_eq!(
        findings(&report),
        one("db-reference", SERVICE, BACKEND, "retainwise-prod")
    );
    // A state holds its own listener rules, not every one of the account: a target group no
    // rule of it forwards to may be forwarded to by another stack's. Not judged, and said.
    let report = verify_demo_state_without("aws_lb_listener_rule.api", 0);
    assert_eq!(findings(&report), vec![]);
    let lb: Vec<&Value> = report["not_judged"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["check"] == "lb-reference")
        .collect();
    assert_eq!(lb.len(), 1, "{report:#}");
    assert_eq!(lb[0]["reason"], "not-described");
    assert_eq!(lb[0]["id"], BACKEND);
}
