//! Every Terraform input driftwatch accepts — state format 3 (terraformer, Terraform before
//! 0.12), format 4 with `attributes` or legacy `attributes_flat`, `terraform show -json` of a
//! state and of a plan — is read into the same resources; anything else is exit 2 naming the
//! file. Against moto where an account is needed, offline otherwise.

use serde_json::{json, Value};

use crate::harness::{driftwatch_command, Run};

/// Runs driftwatch in a scratch folder holding `files`.
fn offline(files: &[(&str, &str)], args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        std::fs::write(dir.path().join(name), content).unwrap();
    }
    std::fs::create_dir_all(dir.path().join("golden")).unwrap();
    Run::of(driftwatch_command(dir.path()).args(args))
}

#[test]
fn diff_of_a_state_with_itself_counts_unmapped_types_once() {
    let state = json!({"version": 4, "resources": [
        {"mode": "managed", "type": "aws_ecs_cluster", "name": "prod",
         "instances": [{"attributes": {"name": "prod"}}]},
        {"mode": "managed", "type": "aws_sqs_queue", "name": "q",
         "instances": [{"attributes": {"name": "jobs"}}]}]});
    let run = offline(
        &[("a.tfstate", &state.to_string())],
        &["diff", "a.tfstate", "a.tfstate", "--format", "json"],
    )
    .expect_code(0);
    let report: Value = run.json();
    assert_eq!(
        report["not_checked"],
        json!([{"type": "aws_ecs_cluster", "count": 1}])
    );
}
