//! Faults of the live side that must never give a wrong answer: an account that cannot be told
//! (nothing is compared, nothing enters the history), a host name that does not resolve (one
//! attempt, the host named), and EC2's `RequestExpired` (said as rejected credentials).

use serde_json::Value;

use crate::faults::seeded;
use crate::harness::{driftwatch_command, FaultProxy, Moto, Run};

fn errors(report: &Value) -> &Vec<Value> {
    report["errors"].as_array().unwrap()
}

#[tokio::test]
async fn a_host_that_does_not_resolve_is_tried_once_and_named() {
    let moto = Moto::start();
    moto.driftwatch(&["snapshot"]).expect_code(0);
    // `.invalid` never resolves (RFC 6761): the local resolver answers, nothing leaves the
    // machine.
    let mut cmd = driftwatch_command(moto.dir.path());
    cmd.args(["-v", "check", "--no-checks", "--format", "json"])
        .args(["--endpoint-url", "http://nonexistent.invalid:4566"]);
    let run = Run::of(&mut cmd).expect_code(2);
    let report = run.json();
    assert_eq!(report["resources"], serde_json::json!([]), "{report:#}");
    let errors = errors(&report);
    assert_eq!(errors.len(), 6, "one per kind: {report:#}");
    for e in errors {
        let message = e["message"].as_str().unwrap();
        assert!(
            message.contains("could not connect to nonexistent.invalid:4566")
                && message.contains("its host name does not resolve"),
            "{message}"
        );
    }
    // One attempt per call, none retried.
    assert!(
        run.stderr.contains("retried 0 throttled or failed calls"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn ec2_request_expired_says_the_credentials_were_rejected() {
    let moto = seeded().await;
    let proxy = FaultProxy::start(&moto, &["--fail", "DescribeSecurityGroups=RequestExpired"]);
    let args = ["check", "--no-checks", "--format", "json", "--kind"];
    let report = proxy
        .driftwatch(&moto, &[&args[..], &["aws_security_group"]].concat())
        .expect_code(2)
        .json();
    let message = errors(&report)[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("ec2:DescribeSecurityGroups failed: RequestExpired: ")
            && message.contains("AWS rejected the credentials as expired or invalid: refresh them"),
        "{message}"
    );
}
