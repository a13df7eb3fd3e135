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
