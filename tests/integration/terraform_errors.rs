//! Bad Terraform input is exit 2 with the file named and what was expected. Nothing is guessed.

use crate::harness::{driftwatch_command, Run};

fn run_with(name: &str, content: &str, spec: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), content).unwrap();
    std::fs::create_dir_all(dir.path().join("golden")).unwrap();
    let mut cmd = driftwatch_command(dir.path());
    cmd.args(["diff", spec, "golden"]);
    Run::of(&mut cmd).expect_code(2)
}

#[test]
fn an_old_state_format_is_refused_with_the_file_named() {
    let run = run_with(
        "old.tfstate",
        r#"{"version": 2, "modules": []}"#,
        "old.tfstate",
    );
    assert!(run.stderr.contains("old.tfstate"), "{}", run.stderr);
    assert!(
        run.stderr.contains("version 2") && run.stderr.contains("expected version 3"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_truncated_state_names_file_and_line() {
    let run = run_with(
        "cut.tfstate",
        "{\n  \"version\": 4,\n  \"resources\": [\n",
        "cut.tfstate",
    );
    assert!(run.stderr.contains("cut.tfstate:4:"), "{}", run.stderr);
}

#[test]
fn an_unknown_backend_url_is_refused() {
    let run = run_with("x", "", "gs://bucket/prod.tfstate");
    assert!(
        run.stderr.contains("gs://") && run.stderr.contains("not supported"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_same_resource_in_two_states_names_both() {
    let dir = tempfile::tempdir().unwrap();
    let state = r#"{"version": 4, "resources": [{"mode": "managed", "type": "aws_sqs_queue", "name": "q",
        "instances": [{"attributes": {"name": "jobs"}}]}]}"#;
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::fs::create_dir_all(dir.path().join("b")).unwrap();
    std::fs::write(dir.path().join("a/x.tfstate"), state).unwrap();
    std::fs::write(dir.path().join("b/x.tfstate"), state).unwrap();
    std::fs::create_dir_all(dir.path().join("golden")).unwrap();
    let mut cmd = driftwatch_command(dir.path());
    cmd.args(["check", "--state", "**/*.tfstate", "--actual", "golden"]);
    let run = Run::of(&mut cmd).expect_code(2);
    assert!(
        run.stderr.contains("a/x.tfstate") && run.stderr.contains("b/x.tfstate"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_state_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("golden/aws_sqs_queue")).unwrap();
    std::fs::write(
        dir.path().join("golden/aws_sqs_queue/jobs.json"),
        r#"{"QueueName": "jobs"}"#,
    )
    .unwrap();
    let state = r#"{"version": 4, "resources": [{"mode": "managed", "type": "aws_sqs_queue", "name": "q",
        "instances": [{"attributes": {"name": "jobs", "visibility_timeout_seconds": 30}}]}]}"#;
    let mut cmd = driftwatch_command(dir.path());
    cmd.args(["diff", "-", "golden"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(state.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
