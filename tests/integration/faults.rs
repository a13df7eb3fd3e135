//! Faults between driftwatch and AWS, injected by `tests/fault_proxy.py` in front of moto:
//! throttling, 5xx bursts and resets are survived with the same report as a clean run; a body
//! cut short, a call that never answers and an answer that is not AWS are exit 2 naming the
//! operation, and never an in-sync result or a damaged golden folder.

use std::time::{Duration, Instant};

use crate::harness::{driftwatch_command, FaultProxy, Moto, Run};
use crate::seed::{backend, register, worker};

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const READ: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:ReceiveMessage","Resource":"*"}]}"#;

/// A little of every kind but services: two task definitions, two roles (one with an inline
/// policy), a customer policy, two queues and a security group; snapshotted into golden/.
pub(crate) async fn seeded() -> Moto {
    let moto = Moto::start();
    let ecs = moto.ecs().await;
    register(&ecs, &backend()).await;
    register(&ecs, &worker()).await;
    let iam = moto.iam().await;
    for role in ["api-task", "worker-task"] {
        iam.create_role()
            .role_name(role)
            .assume_role_policy_document(TRUST)
            .send()
            .await
            .unwrap();
    }
    iam.put_role_policy()
        .role_name("worker-task")
        .policy_name("read")
        .policy_document(READ)
        .send()
        .await
        .unwrap();
    iam.create_policy()
        .policy_name("deploy")
        .policy_document(READ)
        .send()
        .await
        .unwrap();
    let sqs = moto.sqs().await;
    for q in ["jobs", "jobs-dlq"] {
        sqs.create_queue().queue_name(q).send().await.unwrap();
    }
    let ec2 = moto.ec2().await;
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.7.0.0/16")
        .send()
        .await
        .unwrap();
    ec2.create_security_group()
        .group_name("api")
        .description("API tasks")
        .vpc_id(vpc.vpc().unwrap().vpc_id().unwrap())
        .send()
        .await
        .unwrap();
    moto.driftwatch(&["snapshot"]).expect_code(0);
    moto
}

/// Every golden file of `kind`, path and bytes.
fn files(moto: &Moto, kind: &str) -> Vec<(String, Vec<u8>)> {
    let dir = moto.path(&format!("golden/{kind}"));
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

fn check_json(proxy: &FaultProxy, moto: &Moto, extra: &[&str]) -> Run {
    let mut args = vec!["check", "--no-checks", "--format", "json"];
    args.extend_from_slice(extra);
    proxy.driftwatch(moto, &args)
}

/// The report's error messages, one string.
fn error_text(report: &serde_json::Value) -> String {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}: {}\n",
                e["kind"].as_str().unwrap(),
                e["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test]
async fn throttling_gives_the_same_report_as_a_clean_run() {
    let moto = seeded().await;
    let clean = moto
        .driftwatch(&["check", "--no-checks", "--format", "json"])
        .expect_code(0);
    let proxy = FaultProxy::start(&moto, &["--throttle-rate", "0.3", "--seed", "3"]);
    let run = check_json(&proxy, &moto, &["-v"]).expect_code(0);
    assert_eq!(run.stdout, clean.stdout, "byte for byte the clean report");
    let throttled = proxy.stats()["throttled"].as_u64().unwrap();
    assert!(throttled > 0, "the proxy throttled nothing");
    // -v says how many retries it took (at least one per throttled answer).
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("retried"))
        .unwrap_or_else(|| panic!("no retry count at -v:\n{}", run.stderr));
    let n: u64 = line
        .split("retried ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(n >= throttled, "{line} but {throttled} throttled");
}

#[tokio::test]
async fn a_burst_of_503s_and_reset_connections_are_survived() {
    let moto = seeded().await;
    let clean = moto
        .driftwatch(&["check", "--no-checks", "--format", "json"])
        .expect_code(0);
    let proxy = FaultProxy::start(&moto, &["--burst-5xx", "10"]);
    let run = check_json(&proxy, &moto, &[]).expect_code(0);
    assert_eq!(run.stdout, clean.stdout);
    assert_eq!(proxy.stats()["burst_5xx"], 10);

    let proxy = FaultProxy::start(&moto, &["--reset", "5"]);
    let run = check_json(&proxy, &moto, &[]).expect_code(0);
    assert_eq!(run.stdout, clean.stdout);
    assert_eq!(proxy.stats()["reset"], 5);
}

#[tokio::test]
async fn a_cut_iam_body_is_exit_2_and_snapshot_keeps_the_iam_files() {
    let moto = seeded().await;
    let iam = moto.iam().await;
    // Changes a snapshot would write: a role deleted, a queue added.
    iam.delete_role_policy()
        .role_name("worker-task")
        .policy_name("read")
        .send()
        .await
        .unwrap();
    iam.delete_role()
        .role_name("worker-task")
        .send()
        .await
        .unwrap();
    let sqs = moto.sqs().await;
    sqs.create_queue().queue_name("new").send().await.unwrap();
    let (roles, policies) = (files(&moto, "aws_iam_role"), files(&moto, "aws_iam_policy"));

    let proxy = FaultProxy::start(&moto, &["--truncate", "GetAccountAuthorizationDetails"]);
    let report = check_json(&proxy, &moto, &[]).expect_code(2).json();
    let errors = error_text(&report);
    assert!(
        errors.contains(
            "iam:GetAccountAuthorizationDetails: the response was cut short (\
             "
        ) && errors.contains("bytes, no closing </GetAccountAuthorizationDetailsResponse>)"),
        "{errors}"
    );
    assert!(errors.contains("aws_iam_role: ") && errors.contains("aws_iam_policy: "));

    let run = proxy.driftwatch(&moto, &["snapshot"]).expect_code(2);
    assert!(run.stderr.contains("cut short"), "{}", run.stderr);
    assert_eq!(
        files(&moto, "aws_iam_role"),
        roles,
        "IAM role files untouched"
    );
    assert_eq!(files(&moto, "aws_iam_policy"), policies);
    assert!(
        moto.path("golden/aws_sqs_queue/new.json").exists(),
        "the kinds that were read completely are written"
    );
    assert!(proxy.stats()["truncated"].as_u64().unwrap() >= 2);
}

/// Every name under `dir`, recursively, relative to it.
fn names_under(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path.clone());
            }
            out.push(path.strip_prefix(dir).unwrap().display().to_string());
        }
    }
    out.sort();
    out
}

/// Runs a snapshot through `proxy`, waits until a temp file is staged under `golden/KIND`, then
/// sends SIGTERM; asserts the run stopped and left the golden folder exactly as it was.
fn stop_once_staged(moto: &Moto, proxy: &FaultProxy, kind: &str) {
    let before = names_under(&moto.path("golden"));
    let kind_files = files(moto, kind);
    let mut cmd = driftwatch_command(moto.dir.path());
    cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .args(["snapshot"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().unwrap();
    let give_up = Instant::now() + Duration::from_secs(60);
    let temp_seen = loop {
        let names = names_under(&moto.path(&format!("golden/{kind}")));
        if names.iter().any(|n| n.starts_with(".driftwatch-")) {
            break true;
        }
        if Instant::now() > give_up {
            break false;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        temp_seen,
        "{kind} was staged while the fetch waited\n{stderr}"
    );
    assert_eq!(out.status.code(), Some(143), "{stderr}");
    assert!(stderr.contains("interrupted by SIGTERM"), "{stderr}");
    assert_eq!(
        names_under(&moto.path("golden")),
        before,
        "no temp file left, no file added"
    );
    assert_eq!(files(moto, kind), kind_files, "{kind} files old");
}

#[tokio::test]
async fn a_snapshot_stopped_while_iam_is_still_on_the_way_leaves_the_staged_kinds_untouched() {
    let moto = seeded().await;
    // Queue changes a snapshot stages while IAM has not answered.
    let sqs = moto.sqs().await;
    sqs.create_queue().queue_name("new").send().await.unwrap();
    let proxy = FaultProxy::start(&moto, &["--hang", "GetAccountAuthorizationDetails"]);
    stop_once_staged(&moto, &proxy, "aws_sqs_queue");
}

#[tokio::test]
async fn roles_are_staged_while_the_policy_tags_are_still_on_the_way() {
    let moto = seeded().await;
    moto.iam()
        .await
        .update_role()
        .role_name("api-task")
        .description("changed")
        .send()
        .await
        .unwrap();
    let proxy = FaultProxy::start(&moto, &["--hang", "ListPolicyTags"]);
    stop_once_staged(&moto, &proxy, "aws_iam_role");
}

#[tokio::test]
async fn a_cut_policy_tag_answer_fails_the_policies_only() {
    let moto = seeded().await;
    let iam = moto.iam().await;
    // A role change a snapshot writes although the policies cannot be read.
    iam.update_role()
        .role_name("api-task")
        .description("changed")
        .send()
        .await
        .unwrap();
    let policies = files(&moto, "aws_iam_policy");
    let proxy = FaultProxy::start(&moto, &["--truncate", "ListPolicyTags"]);
    let report = check_json(&proxy, &moto, &[]).expect_code(2).json();
    let errors = error_text(&report);
    assert!(
        errors.contains("aws_iam_policy: ") && errors.contains("iam:ListPolicyTags"),
        "{errors}"
    );
    assert!(
        !errors.contains("aws_iam_role"),
        "roles were read: {errors}"
    );
    let modified: Vec<&str> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "modified")
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(modified, ["api-task"], "{report:#}");

    proxy.driftwatch(&moto, &["snapshot"]).expect_code(2);
    assert_eq!(
        files(&moto, "aws_iam_policy"),
        policies,
        "policy files untouched"
    );
    let role = std::fs::read_to_string(moto.path("golden/aws_iam_role/api-task.json")).unwrap();
    assert!(role.contains("changed"), "{role}");
}

#[tokio::test]
async fn a_cut_ec2_or_json_body_is_exit_2_naming_the_operation() {
    let moto = seeded().await;
    let groups = files(&moto, "aws_security_group");
    let proxy = FaultProxy::start(&moto, &["--truncate", "DescribeSecurityGroups"]);
    let report = check_json(&proxy, &moto, &[]).expect_code(2).json();
    let errors = error_text(&report);
    assert!(
        errors.contains("ec2:DescribeSecurityGroups: the response was cut short")
            && errors.contains("no closing </DescribeSecurityGroupsResponse>"),
        "{errors}"
    );
    assert_eq!(
        report["summary"]["missing"], 0,
        "a cut answer deletes nothing"
    );
    proxy.driftwatch(&moto, &["snapshot"]).expect_code(2);
    assert_eq!(files(&moto, "aws_security_group"), groups);

    // JSON protocols: the SDK's own parser refuses half a document.
    let definitions = files(&moto, "aws_ecs_task_definition");
    let proxy = FaultProxy::start(&moto, &["--truncate", "DescribeTaskDefinition"]);
    let report = check_json(&proxy, &moto, &["--kind", "aws_ecs_task_definition"])
        .expect_code(2)
        .json();
    let errors = error_text(&report);
    assert!(errors.contains("ecs:DescribeTaskDefinition"), "{errors}");
    assert_eq!(report["summary"]["in_sync"], 0);
    proxy.driftwatch(&moto, &["snapshot"]).expect_code(2);
    assert_eq!(files(&moto, "aws_ecs_task_definition"), definitions);
}

#[tokio::test]
async fn a_call_that_never_answers_times_out_naming_the_operation() {
    let moto = seeded().await;
    // The attempts come from driftwatch.toml, the timeout from the flag.
    std::fs::write(
        moto.path("driftwatch.toml"),
        "max_attempts = 2\ntimeout = 30\n",
    )
    .unwrap();
    let proxy = FaultProxy::start(&moto, &["--hang", "DescribeSecurityGroups"]);
    let started = Instant::now();
    let report = check_json(&proxy, &moto, &["--timeout", "1"])
        .expect_code(2)
        .json();
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    let errors = error_text(&report);
    assert!(
        errors.contains("ec2:DescribeSecurityGroups timed out after 1 s (per-attempt timeout"),
        "{errors}"
    );
    assert!(errors.contains("--timeout"), "{errors}");
    assert_eq!(proxy.stats()["hung"], 2, "two attempts, as configured");
    // The other kinds were checked.
    assert!(report["summary"]["in_sync"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn the_deadline_bounds_the_whole_run() {
    let moto = seeded().await;
    let proxy = FaultProxy::start(&moto, &["--hang", "ListQueues"]);
    let started = Instant::now();
    let report = check_json(&proxy, &moto, &["--deadline", "3"])
        .expect_code(2)
        .json();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    let errors = error_text(&report);
    assert!(
        errors.contains("aws_sqs_queue: timed out: not fetched within the run's deadline of 3 s")
            && errors.contains("still waiting for sqs:ListQueues (1)"),
        "{errors}"
    );
    assert_eq!(report["errors"].as_array().unwrap().len(), 1, "{errors}");
}

#[test]
fn an_answer_that_is_not_aws_says_so() {
    let moto = Moto::start();
    let proxy = FaultProxy::start(&moto, &["--not-aws"]);
    let host = proxy.endpoint.trim_start_matches("http://").to_string();
    let run = proxy
        .driftwatch(
            &moto,
            &[
                "snapshot",
                "--max-attempts",
                "1",
                "--kind",
                "aws_sqs_queue",
                "--kind",
                "aws_iam_role",
                "--kind",
                "aws_security_group",
            ],
        )
        .expect_code(2);
    // JSON (SQS) and both XML flavours (IAM, EC2).
    for op in [
        "sqs:ListQueues",
        "iam:GetAccountAuthorizationDetails",
        "ec2:DescribeSecurityGroups",
    ] {
        assert!(
            run.stderr.contains(&format!(
                "{op} failed: HTTP 502 from {host}: the answer (text/html) is not an AWS API \
                 response"
            )),
            "{op}: {}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains("no message"), "{}", run.stderr);
}
