//! `verify` on small Terraform states in the shapes real states have (`tests/fixtures/open-world/`,
//! written for these tests): a state describes its own resources, not the account, so what it
//! refers to and does not hold, another account's or region's resources, and the parts of a
//! resource a partial reference does not state are listed as not judged, never errors; what it
//! does hold is still judged. A snapshot folder is whole for the kinds it records.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::harness::{driftwatch_command, Run};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/open-world")
        .join(name)
}

/// `driftwatch ARGS` in `cwd`, offline.
fn run(cwd: &Path, args: &[&str]) -> Run {
    let mut cmd = driftwatch_command(cwd);
    cmd.args(args);
    Run::of(&mut cmd)
}

/// `verify FIXTURE --format json` with its exit code checked.
fn verify(name: &str, code: i32) -> Value {
    let path = fixture(name);
    run(
        path.parent().unwrap(),
        &["verify", name, "--format", "json"],
    )
    .expect_code(code)
    .json()
}

/// `(check, id, subject, severity)` of each finding.
fn findings(report: &Value) -> Vec<(String, String, String, String)> {
    list(report, "checks", "severity")
}

/// The checks of the app's own dependencies: these fixtures' images are in repositories the
/// states do not hold, which `app_dependencies.rs` covers; here they would only repeat it.
const DEPENDENCY_CHECKS: [&str; 3] = ["image-reference", "log-reference", "secret-reference"];

/// `(check, id, subject, reason)` of each reference not judged, but for the dependency checks.
fn not_judged(report: &Value) -> Vec<(String, String, String, String)> {
    let mut all = list(report, "not_judged", "reason");
    all.retain(|n| !DEPENDENCY_CHECKS.contains(&n.0.as_str()));
    all
}

/// How many references of the dependency checks were not judged.
fn dependency_not_judged(report: &Value) -> usize {
    list(report, "not_judged", "reason")
        .iter()
        .filter(|n| DEPENDENCY_CHECKS.contains(&n.0.as_str()))
        .count()
}

fn list(report: &Value, field: &str, last: &str) -> Vec<(String, String, String, String)> {
    let none = Vec::new();
    let items = report.get(field).and_then(Value::as_array).unwrap_or(&none);
    items
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("check"), s("id"), s("subject"), s(last))
        })
        .collect()
}

fn t(a: &str, b: &str, c: &str, d: &str) -> (String, String, String, String) {
    (a.into(), b.into(), c.into(), d.into())
}

const A: &str = "111122223333";

#[test]
fn references_a_state_does_not_hold_are_not_judged_and_no_error() {
    let exec_role = format!("arn:aws:iam::{A}:role/ecsTaskExecutionRole");
    let cases: Vec<(&str, Vec<_>)> = vec![
        (
            // A hard-coded execution role ARN and a literal security group id: neither kind is
            // in the state; the service's own task definition is, and is judged.
            "hardcoded-role-and-group.tfstate",
            vec![
                t("task-role", "web", &exec_role, "not-described"),
                t(
                    "service-reference",
                    "main/web",
                    "sg-0bastion0000000001",
                    "not-described",
                ),
            ],
        ),
        (
            "rule-to-another-stack.tfstate",
            vec![t(
                "group-reference",
                "sg-0app00000000000001",
                "sg-0otherstack000001",
                "not-described",
            )],
        ),
        (
            "peer-group.tfstate",
            vec![t(
                "group-reference",
                "sg-0app00000000000001",
                "sg-0peer000000000001",
                "other-account",
            )],
        ),
        (
            // The state holds a queue `jobs` in us-east-1; the URL names eu-west-1's.
            "queue-in-another-region.tfstate",
            vec![
                t(
                    "env-reference",
                    "worker",
                    &format!("https://sqs.eu-west-1.amazonaws.com/{A}/jobs"),
                    "other-region",
                ),
                t(
                    "queue-access",
                    "worker",
                    &format!("arn:aws:sqs:eu-west-1:{A}:jobs"),
                    "other-region",
                ),
            ],
        ),
        (
            // Only `aws_iam_role_policy_attachment { role = "app-task" }`: the state says
            // nothing of the role's trust policy, nor of its other policies.
            "attachment-only-role.tfstate",
            vec![
                t(
                    "task-role",
                    "worker",
                    &format!("arn:aws:iam::{A}:role/app-task"),
                    "partial",
                ),
                t(
                    "queue-access",
                    "worker",
                    &format!("arn:aws:sqs:us-east-1:{A}:jobs"),
                    "partial",
                ),
            ],
        ),
    ];
    for (name, expected) in cases {
        let report = verify(name, 0);
        assert_eq!(findings(&report), vec![], "{name}: {report:#}");
        assert_eq!(not_judged(&report), expected, "{name}: {report:#}");
        let references = &report["summary"]["references"];
        let all = expected.len() + dependency_not_judged(&report);
        assert_eq!(references["not_judged"], json!(all), "{name}");
    }
}

#[test]
fn references_between_resources_the_state_holds_are_still_judged() {
    let report = verify("held-task-role-without-access.tfstate", 1);
    assert_eq!(
        findings(&report),
        [t(
            "queue-access",
            "worker",
            &format!("arn:aws:sqs:us-east-1:{A}:jobs"),
            "error"
        )]
    );
    assert_eq!(
        not_judged(&report),
        [t(
            "task-role",
            "worker",
            &format!("arn:aws:iam::{A}:role/ecsTaskExecutionRole"),
            "not-described"
        )]
    );
    // The queue named in the environment (exists), the task role's trust (sound) and its
    // access to the queue (broken): all judged.
    let references = &report["summary"]["references"];
    assert_eq!(references["judged"], json!(3), "{references}");
    assert_eq!(
        references["not_judged"],
        json!(1 + dependency_not_judged(&report))
    );
}

/// Each resource's account comes from its own ARN: a task definition of account B naming a role
/// `app-task` of B is not judged by A's `app-task`, and A's queue is another account's to it.
#[test]
fn a_state_of_two_accounts_judges_each_reference_against_its_own() {
    let report = verify("two-accounts.tfstate", 0);
    let b = "444455556666";
    assert_eq!(
        not_judged(&report),
        [
            t(
                "env-reference",
                "b-web",
                &format!("https://sqs.us-east-1.amazonaws.com/{A}/jobs"),
                "other-account"
            ),
            t(
                "task-role",
                "b-web",
                &format!("arn:aws:iam::{b}:role/app-task"),
                "not-described"
            ),
            t(
                "queue-access",
                "b-web",
                &format!("arn:aws:sqs:us-east-1:{A}:jobs"),
                "not-described"
            ),
        ],
        "{report:#}"
    );
    let message = report["not_judged"][1]["message"].as_str().unwrap();
    assert!(
        message.ends_with(&format!("describes only the role app-task of account {A}")),
        "{message}"
    );
    // a-web's own role is in the state: judged.
    assert_eq!(report["summary"]["references"]["judged"], 1);
}

#[test]
fn a_trust_policy_with_a_condition_is_a_warning_that_says_so() {
    let report = verify("conditional-trust.tfstate", 0);
    assert_eq!(report["checks"][0]["severity"], "warning");
    assert_eq!(
        report["checks"][0]["message"],
        format!(
            "taskRoleArn names role web-task, which allows ECS tasks (ecs-tasks.amazonaws.com) \
             only under a condition (aws:SourceAccount StringEquals {A}; statement `EcsTasks` of \
             the trust policy of role web-task)"
        )
    );
}

/// Every format says what was not judged: the console lists it after the summary's counts,
/// Markdown in a collapsed section, JUnit as skipped cases, annotations as notices.
#[test]
fn every_format_lists_what_was_not_judged() {
    let dir = fixture("hardcoded-role-and-group.tfstate");
    let dir = dir.parent().unwrap();
    let name = "hardcoded-role-and-group.tfstate";
    let console = run(dir, &["verify", name]).expect_code(0).stdout;
    assert!(
        console.starts_with(&format!(
            "driftwatch: consistent: no broken references, 1 reference judged, 3 not judged \
             (cross-resource checks on {name})\n"
        )),
        "{console}"
    );
    assert!(
        console.contains(&format!(
            "\n  task-role aws_ecs_task_definition web (not-described): executionRoleArn names \
             role ecsTaskExecutionRole: {name} does not describe role ecsTaskExecutionRole\n"
        )),
        "{console}"
    );
    // The image of a repository the state does not hold: not judged, never fine.
    assert!(
        console.contains(&format!(
            "\n  image-reference aws_ecs_task_definition web (not-described): container app runs \
             {A}.dkr.ecr.us-east-1.amazonaws.com/web:1: {name} does not describe repository web\n"
        )),
        "{console}"
    );
    let markdown = run(dir, &["verify", name, "--format", "markdown"])
        .expect_code(0)
        .stdout;
    assert!(
        markdown.contains("<details><summary>3 references not judged"),
        "{markdown}"
    );
    let junit = run(dir, &["verify", name, "--format", "junit"])
        .expect_code(0)
        .stdout;
    assert_eq!(junit.matches("<skipped").count(), 3, "{junit}");
    let mut cmd = driftwatch_command(dir);
    cmd.args(["verify", name, "-q"])
        .env("GITHUB_ACTIONS", "true");
    let github = Run::of(&mut cmd).expect_code(0).stderr;
    assert_eq!(github.matches("::notice ").count(), 3, "{github}");
}

/// A state whose resources carry no ARN says nothing of its account: `--account` (and
/// `--region`) name it, and a reference elsewhere is then not judged as another account's.
#[test]
fn account_and_region_flags_place_a_state_without_arns() {
    let dir = tempfile::tempdir().unwrap();
    let container = json!([{"name": "app", "image": "app:1", "environment": [
        {"name": "Q", "value": "https://sqs.us-east-1.amazonaws.com/999999999999/jobs"}]}]);
    let state = json!({"version": 4, "terraform_version": "1.9.5", "serial": 1,
        "lineage": "no-arns", "outputs": {}, "resources": [{"mode": "managed",
        "type": "aws_ecs_task_definition", "name": "app",
        "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
        "instances": [{"schema_version": 0, "attributes": {"family": "app", "id": "app",
            "container_definitions": container.to_string()}}]}]});
    std::fs::write(dir.path().join("s.tfstate"), state.to_string()).unwrap();
    let reasons = |args: &[&str]| {
        let mut all = vec!["verify", "s.tfstate", "--format", "json"];
        all.extend(args);
        let report = run(dir.path(), &all).expect_code(0).json();
        not_judged(&report)
            .into_iter()
            .map(|(_, _, _, reason)| reason)
            .collect::<Vec<_>>()
    };
    assert_eq!(reasons(&[]), ["not-described"]);
    assert_eq!(reasons(&["--account", A]), ["other-account"]);
    assert_eq!(
        reasons(&["--account", "999999999999", "--region", "eu-west-1"]),
        ["other-region"]
    );
    let bad = run(dir.path(), &["verify", "s.tfstate", "--account", "12345"]).expect_code(2);
    assert!(bad.stderr.contains("twelve digits"), "{}", bad.stderr);
}

/// A snapshot folder holds every resource of the kinds its `source.json` records: a queue
/// missing there does not exist (an error, as before). A kind it does not record is open.
#[test]
fn a_snapshot_folder_is_whole_for_the_kinds_it_records() {
    let dir = tempfile::tempdir().unwrap();
    let golden = dir.path().join("golden");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&repo.join("golden"), &golden);
    std::fs::remove_file(golden.join("aws_sqs_queue/prod-retainwise-predictions-dlq.json"))
        .unwrap();
    let record = |kinds: &[&str]| {
        let r = json!({"account": "123456789012", "partition": "aws", "region": "us-east-1",
            "kinds": kinds});
        std::fs::write(golden.join("source.json"), r.to_string()).unwrap();
    };
    let all = [
        "aws_ecs_task_definition",
        "aws_ecs_service",
        "aws_iam_role",
        "aws_iam_policy",
        "aws_sqs_queue",
        "aws_security_group",
    ];
    record(&all);
    let report = run(dir.path(), &["verify", "golden", "--format", "json"])
        .expect_code(1)
        .json();
    let dlq = "arn:aws:sqs:us-east-1:123456789012:prod-retainwise-predictions-dlq";
    assert_eq!(
        findings(&report),
        [t(
            "redrive",
            "prod-retainwise-predictions-queue",
            dlq,
            "error"
        )]
    );
    record(&all[..4]);
    let report = run(dir.path(), &["verify", "golden", "--format", "json"])
        .expect_code(0)
        .json();
    let reasons: Vec<_> = not_judged(&report).into_iter().map(|n| n.3).collect();
    assert!(
        !reasons.is_empty() && reasons.iter().all(|r| r == "not-described"),
        "{report:#}"
    );
    assert!(not_judged(&report)
        .iter()
        .any(|n| n.0 == "redrive" && n.2 == dlq));
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).unwrap();
        }
    }
}

/// `check --actual` on a snapshot folder that does not record holding queues: the checks over
/// it do not call the queue it lacks missing (the comparison still shows it, as drift).
#[test]
fn check_on_a_partial_snapshot_folder_does_not_judge_what_it_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&repo.join("golden"), &dir.path().join("golden"));
    let snap = dir.path().join("snap");
    copy_tree(&repo.join("golden"), &snap);
    std::fs::remove_file(snap.join("aws_sqs_queue/prod-retainwise-predictions-dlq.json")).unwrap();
    let r = json!({"account": "123456789012", "partition": "aws", "region": "us-east-1",
        "kinds": ["aws_iam_role"]});
    std::fs::write(snap.join("source.json"), r.to_string()).unwrap();
    let report = run(
        dir.path(),
        &["check", "--actual", "snap", "--format", "json"],
    )
    .expect_code(1)
    .json();
    assert_eq!(report["summary"]["missing"], 1, "{report:#}");
    assert_eq!(findings(&report), vec![], "{report:#}");
    let dlq = "arn:aws:sqs:us-east-1:123456789012:prod-retainwise-predictions-dlq";
    assert!(
        not_judged(&report)
            .iter()
            .any(|n| n.0 == "redrive" && n.2 == dlq && n.3 == "not-described"),
        "{report:#}"
    );
}
