//! The three report formats, pinned with insta on an offline `diff` of two snapshot folders
//! (deterministic: no server, relative paths).

use serde_json::{json, Value};

use crate::harness::{driftwatch_command, Run};

fn write(dir: &std::path::Path, rel: &str, doc: Value) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
}

fn worker(enable_sqs: &str) -> Value {
    json!({
        "family": "retainwise-worker", "networkMode": "awsvpc", "cpu": "512", "memory": "1024",
        "requiresCompatibilities": ["FARGATE"],
        "containerDefinitions": [{"name": "worker", "image": "retainwise-backend:3f2c1a9",
            "environment": [{"name": "ENABLE_SQS", "value": enable_sqs},
                            {"name": "WORKER_CONCURRENCY", "value": "4"}]}]
    })
}

/// expected: worker, backend, old-cron; actual: worker (ENABLE_SQS=false), backend, debug-shell.
fn folders() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let backend = json!({"family": "retainwise-backend", "cpu": "256", "memory": "512",
        "containerDefinitions": [{"name": "backend", "image": "b:1"}]});
    let td = "aws_ecs_task_definition";
    write(
        dir.path(),
        &format!("expected/{td}/retainwise-worker.json"),
        worker("true"),
    );
    write(
        dir.path(),
        &format!("expected/{td}/retainwise-backend.json"),
        backend.clone(),
    );
    write(
        dir.path(),
        &format!("expected/{td}/old-cron.json"),
        json!({"family": "old-cron", "containerDefinitions": [{"name": "cron", "image": "c:1"}]}),
    );
    write(
        dir.path(),
        &format!("actual/{td}/retainwise-worker.json"),
        worker("false"),
    );
    write(
        dir.path(),
        &format!("actual/{td}/retainwise-backend.json"),
        backend,
    );
    write(
        dir.path(),
        &format!("actual/{td}/debug-shell.json"),
        json!({"family": "debug-shell", "containerDefinitions": [{"name": "sh", "image": "busybox"}]}),
    );
    dir
}

fn diff(format: &str) -> Run {
    let dir = folders();
    let mut cmd = driftwatch_command(dir.path());
    cmd.args(["diff", "expected", "actual", "--format", format]);
    Run::of(&mut cmd).expect_code(1)
}

#[test]
fn console_report() {
    insta::assert_snapshot!(diff("console").stdout);
}

#[test]
fn json_report() {
    insta::assert_snapshot!(diff("json").stdout);
}

#[test]
fn markdown_report() {
    insta::assert_snapshot!(diff("markdown").stdout);
}

#[test]
fn output_file_gets_the_report_and_stdout_the_summary() {
    let dir = folders();
    let mut cmd = driftwatch_command(dir.path());
    cmd.args([
        "diff",
        "expected",
        "actual",
        "--format",
        "json",
        "--output",
        "out/drift.json",
    ]);
    let run = Run::of(&mut cmd).expect_code(1);
    assert_eq!(run.stdout.lines().count(), 1);
    assert!(run.stdout.starts_with("driftwatch: drift found"));
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/drift.json")).unwrap()).unwrap();
    assert_eq!(report["schema"], "driftwatch.report/v1");
}

#[test]
fn equal_folders_are_exit_0_with_one_line() {
    let dir = folders();
    let mut cmd = driftwatch_command(dir.path());
    cmd.args(["diff", "expected", "expected"]);
    let run = Run::of(&mut cmd).expect_code(0);
    assert_eq!(
        run.stdout,
        "driftwatch: in sync: 3 in sync (3 expected resources compared with expected)\n"
    );
}

#[test]
fn junit_report() {
    insta::assert_snapshot!(diff("junit").stdout);
}

#[test]
fn several_reports_from_one_run() {
    let dir = folders();
    let mut cmd = driftwatch_command(dir.path());
    cmd.args([
        "diff",
        "expected",
        "actual",
        "--report",
        "json=out/drift.json",
        "--report",
        "markdown=out/summary.md",
        "--report",
        "junit=out/junit.xml",
    ]);
    let run = Run::of(&mut cmd).expect_code(1);
    assert!(
        run.stdout
            .contains("~ aws_ecs_task_definition retainwise-worker"),
        "console still on stdout"
    );
    let json: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/drift.json")).unwrap()).unwrap();
    assert_eq!(json["summary"]["modified"], 1);
    let md = std::fs::read_to_string(dir.path().join("out/summary.md")).unwrap();
    assert!(md.contains("| modified | `aws_ecs_task_definition` | `retainwise-worker` |"));
    let xml = std::fs::read_to_string(dir.path().join("out/junit.xml")).unwrap();
    assert!(
        xml.contains(
            "<testsuites name=\"driftwatch\" tests=\"4\" skipped=\"0\" failures=\"3\" errors=\"0\">"
        ),
        "{xml}"
    );

    let mut bad = driftwatch_command(dir.path());
    bad.args(["diff", "expected", "actual", "--report", "yaml=x.yaml"]);
    assert!(Run::of(&mut bad)
        .expect_code(2)
        .stderr
        .contains("unknown format"));
}

#[test]
fn github_actions_get_an_annotation_per_drifted_resource() {
    let dir = folders();
    let mut cmd = driftwatch_command(dir.path());
    cmd.env("GITHUB_ACTIONS", "true")
        .args(["diff", "expected", "actual", "--format", "json"]);
    let run = Run::of(&mut cmd).expect_code(1);
    // Annotations go to stderr (the runner reads both streams); stdout stays the JSON report.
    assert_eq!(run.json()["summary"]["modified"], 1);
    let annotations: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("::error"))
        .collect();
    assert_eq!(annotations.len(), 3, "{}", run.stderr);
    assert!(annotations.contains(
        &"::error file=expected/aws_ecs_task_definition/retainwise-worker.json,title=driftwatch%3A aws_ecs_task_definition retainwise-worker modified::retainwise-worker differs from expected/aws_ecs_task_definition/retainwise-worker.json: env ENABLE_SQS of container worker: \"true\" → \"false\""
    ), "{annotations:#?}");
}

#[test]
fn completions_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = driftwatch_command(dir.path());
        cmd.args(["completions", shell]);
        let run = Run::of(&mut cmd).expect_code(0);
        assert!(
            run.stdout.contains("snapshot") && run.stdout.contains("--state"),
            "{shell}"
        );
    }
}

#[test]
fn every_command_has_help_with_an_example() {
    for command in [
        "snapshot",
        "check",
        "diff",
        "policy",
        "history",
        "completions",
        "plan",
        "merge",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = driftwatch_command(dir.path());
        cmd.args([command, "--help"]);
        let run = Run::of(&mut cmd).expect_code(0);
        assert!(
            run.stdout.contains("Example: driftwatch "),
            "{command}:\n{}",
            run.stdout
        );
    }
}
