//! The load balancer and database kinds under faults, through the fault proxy in front of moto:
//! ELBv2 and RDS speak the query protocol (XML), throttle with `Throttling`, and a cut answer
//! must be an error for its kind, never a shorter list.

use serde_json::Value;

use crate::checks::demo_with;
use crate::harness::{FaultProxy, Moto, Run};

const KINDS: [&str; 8] = [
    "aws_lb",
    "aws_lb_target_group",
    "aws_lb_listener",
    "aws_lb_listener_rule",
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_db_parameter_group",
    "aws_db_subnet_group",
];

fn kinds_args(extra: &[&'static str]) -> Vec<&'static str> {
    let mut args = vec!["check", "--no-checks", "--format", "json"];
    for k in KINDS {
        args.extend(["--kind", k]);
    }
    args.extend_from_slice(extra);
    args
}

fn through(proxy: &FaultProxy, moto: &Moto, extra: &[&'static str]) -> Run {
    proxy.driftwatch(moto, &kinds_args(extra))
}

fn error_text(report: &Value) -> String {
    let errors = report["errors"].as_array().unwrap();
    errors
        .iter()
        .map(|e| format!("{}: {}\n", e["kind"], e["message"].as_str().unwrap()))
        .collect()
}

#[test]
fn throttled_and_5xx_answers_give_the_clean_report() {
    // The demo: a load balancer, its target group, listener and rule, a database and its
    // subnet group, snapshotted as they are.
    let moto = demo_with("");
    let clean = moto.driftwatch(&kinds_args(&[])).expect_code(0);
    let proxy = FaultProxy::start(&moto, &["--throttle-rate", "0.3", "--seed", "5"]);
    let run = through(&proxy, &moto, &[]).expect_code(0);
    assert_eq!(run.stdout, clean.stdout, "byte for byte the clean report");
    assert!(proxy.stats()["throttled"].as_u64().unwrap() > 0);

    let proxy = FaultProxy::start(&moto, &["--burst-5xx", "6"]);
    let run = through(&proxy, &moto, &[]).expect_code(0);
    assert_eq!(run.stdout, clean.stdout);
    assert_eq!(proxy.stats()["burst_5xx"], 6);
}

#[test]
fn a_cut_answer_is_an_error_for_its_kind_and_deletes_nothing() {
    let moto = demo_with("");
    for (operation, kind) in [
        ("DescribeTargetGroups", "aws_lb_target_group"),
        ("DescribeRules", "aws_lb_listener_rule"),
        ("DescribeDBInstances", "aws_db_instance"),
        ("DescribeDBSubnetGroups", "aws_db_subnet_group"),
    ] {
        let proxy = FaultProxy::start(&moto, &["--truncate", operation]);
        let report = through(&proxy, &moto, &[]).expect_code(2).json();
        let errors = error_text(&report);
        assert!(
            errors.contains(&format!("\"{kind}\": "))
                && errors.contains(operation)
                && errors.contains("the response was cut short"),
            "{operation}: {errors}"
        );
        assert_eq!(report["summary"]["missing"], 0, "{operation}: {report:#}");
    }
}
