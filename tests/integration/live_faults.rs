//! Faults of the live side that must never give a wrong answer: an account that cannot be told
//! (nothing is compared, nothing enters the history), a host name that does not resolve (one
//! attempt, the host named), and EC2's `RequestExpired` (said as rejected credentials).

use serde_json::Value;

use crate::faults::seeded;
use crate::harness::{driftwatch_command, FaultProxy, Moto, Run};

/// `check --no-checks --format json --history drift.db` through `proxy` at `night`, with `extra`.
fn night(moto: &Moto, proxy: Option<&FaultProxy>, night: u32, extra: &[&str]) -> Run {
    let mut cmd = driftwatch_command(moto.dir.path());
    let endpoint = proxy.map_or(&moto.endpoint, |p| &p.endpoint);
    cmd.env("AWS_ENDPOINT_URL", endpoint)
        .env("DRIFTWATCH_NOW", format!("2026-11-{night:02}T02:00:00Z"))
        .args(["check", "--no-checks", "--format", "json"])
        .args(["--history", "drift.db"])
        .args(extra);
    Run::of(&mut cmd)
}

fn errors(report: &Value) -> &Vec<Value> {
    report["errors"].as_array().unwrap()
}

#[tokio::test]
async fn an_account_that_cannot_be_told_compares_nothing_and_records_nothing() {
    let moto = seeded().await;
    // A real finding, for the night after.
    let sqs = moto.sqs().await;
    let url = sqs.get_queue_url().queue_name("jobs").send().await.unwrap();
    let url = url.queue_url().unwrap();
    sqs.delete_queue().queue_url(url).send().await.unwrap();

    let proxy = FaultProxy::start(&moto, &["--fail", "GetCallerIdentity=AccessDenied"]);
    let report = night(&moto, Some(&proxy), 1, &[]).expect_code(2).json();
    assert!(proxy.stats()["failed"].as_u64().unwrap() >= 1);
    // No golden file reads as missing: nothing has a status, one error says why.
    assert_eq!(report["resources"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["summary"]["missing"], 0);
    let errors = errors(&report);
    assert_eq!(errors.len(), 1, "{report:#}");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        errors[0].get("kind").is_none_or(Value::is_null),
        "{report:#}"
    );
    for words in [
        "which account the credentials belong to cannot be told",
        "sts:GetCallerIdentity failed: AccessDenied",
        "nothing was compared",
        "--any-account",
    ] {
        assert!(message.contains(words), "{words}: {message}");
    }
    assert_eq!(report["summary"]["new"], 0, "{report:#}");

    // The next night can tell the account: the deleted queue is new (the night before
    // recorded nothing), and nothing is resolved (nothing was found missing before).
    let report = night(&moto, None, 2, &[]).expect_code(1).json();
    let missing: Vec<(&str, bool)> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "missing")
        .map(|r| (r["id"].as_str().unwrap(), r["new"].as_bool().unwrap()))
        .collect();
    assert_eq!(missing, [("jobs", true)], "{report:#}");
    assert_eq!(report["resolved"], serde_json::json!([]), "{report:#}");
}

#[tokio::test]
async fn without_a_recorded_account_too_nothing_is_compared_unless_any_account() {
    let moto = seeded().await;
    // A folder written by hand, or before folders recorded their account.
    std::fs::remove_file(moto.path("golden/source.json")).unwrap();
    let proxy = FaultProxy::start(&moto, &["--fail", "GetCallerIdentity=AccessDenied"]);
    let report = proxy
        .driftwatch(&moto, &["check", "--no-checks", "--format", "json"])
        .expect_code(2)
        .json();
    assert_eq!(report["resources"], serde_json::json!([]), "{report:#}");
    let message = errors(&report)[0]["message"].as_str().unwrap();
    assert!(message.contains("nothing was compared"), "{message}");

    // Said on purpose: compared.
    let args = ["check", "--no-checks", "--format", "json", "--any-account"];
    let report = proxy.driftwatch(&moto, &args).expect_code(0).json();
    assert!(
        report["summary"]["in_sync"].as_u64().unwrap() > 0,
        "{report:#}"
    );
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
    assert_eq!(errors.len(), 20, "one per kind: {report:#}");
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
