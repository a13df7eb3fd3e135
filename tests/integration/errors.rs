//! What "could not check" looks like: exit 2, a message naming what and where, nothing lost.

use crate::harness::{driftwatch_command, Moto, Run};
use crate::seed::{backend, register};

#[test]
fn malformed_golden_json_is_exit_2_naming_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let kind_dir = dir.path().join("golden/aws_ecs_task_definition");
    std::fs::create_dir_all(&kind_dir).unwrap();
    std::fs::write(
        kind_dir.join("web.json"),
        "{\n  \"family\": \"web\",\n  \"cpu\": 256,,\n}\n",
    )
    .unwrap();
    let mut cmd = driftwatch_command(dir.path());
    cmd.args(["check", "--actual", "golden"]);
    let run = Run::of(&mut cmd).expect_code(2);
    assert!(
        run.stderr
            .contains("golden/aws_ecs_task_definition/web.json:3:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.is_empty(),
        "no report for input that could not be read"
    );
}

#[test]
fn an_unknown_kind_folder_is_exit_2_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("golden/aws_ecs_taskdefinition")).unwrap();
    let mut cmd = driftwatch_command(dir.path());
    cmd.args(["diff", "golden", "golden"]);
    let run = Run::of(&mut cmd).expect_code(2);
    assert!(
        run.stderr.contains("aws_ecs_taskdefinition"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("unknown kind"), "{}", run.stderr);
}

#[test]
fn a_missing_golden_folder_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = driftwatch_command(dir.path());
    cmd.args(["check", "--golden", "nope", "--actual", "nope"]);
    let run = Run::of(&mut cmd).expect_code(2);
    assert!(run.stderr.contains("nope"), "{}", run.stderr);
}

/// A port nothing listens on: every call fails to connect.
fn unreachable_endpoint() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    format!("http://127.0.0.1:{port}")
}

#[tokio::test]
async fn an_unreachable_endpoint_is_exit_2_and_never_in_sync() {
    let moto = Moto::start();
    register(&moto.ecs().await, &backend()).await;
    moto.driftwatch(&["snapshot"]).expect_code(0);
    let endpoint = unreachable_endpoint();

    let mut cmd = driftwatch_command(moto.dir.path());
    cmd.args(["check", "--endpoint-url", &endpoint, "--format", "json"])
        .args(["--report", "junit=errors.xml"]);
    let report = Run::of(&mut cmd).expect_code(2).json();
    assert_eq!(report["summary"]["in_sync"], 0);
    assert_eq!(
        report["summary"]["missing"], 0,
        "a failed fetch is not a deletion"
    );
    assert!(report["resources"].as_array().unwrap().is_empty());
    // Every kind in scope says it could not be checked, and why.
    let errors = report["errors"].as_array().unwrap();
    let mut kinds: Vec<&str> = errors.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            "aws_cloudwatch_log_group",
            "aws_db_instance",
            "aws_db_parameter_group",
            "aws_db_subnet_group",
            "aws_dynamodb_table",
            "aws_ecr_repository",
            "aws_ecs_service",
            "aws_ecs_task_definition",
            "aws_iam_policy",
            "aws_iam_role",
            "aws_lb",
            "aws_lb_listener",
            "aws_lb_listener_rule",
            "aws_lb_target_group",
            "aws_rds_cluster",
            "aws_s3_bucket",
            "aws_secretsmanager_secret",
            "aws_security_group",
            "aws_sqs_queue",
            "aws_ssm_parameter"
        ]
    );
    assert_eq!(report["summary"]["errors"], 20);
    for e in errors {
        let message = e["message"].as_str().unwrap();
        assert!(
            message.contains("could not reach the AWS endpoint"),
            "{message}"
        );
    }

    // CI dashboards show each kind that could not be checked as an error, with the reason.
    let xml = std::fs::read_to_string(moto.dir.path().join("errors.xml")).unwrap();
    assert!(
        xml.contains("<testsuites name=\"driftwatch\" tests=\"20\" skipped=\"0\" failures=\"0\" errors=\"20\">"),
        "{xml}"
    );
    assert!(
        xml.contains(
            "<testcase name=\"aws_iam_role\" classname=\"driftwatch\">\n            <error message=\"iam:GetAccountAuthorizationDetails failed: "
        ),
        "{xml}"
    );

    let mut cmd = driftwatch_command(moto.dir.path());
    cmd.args(["check", "--endpoint-url", &endpoint]);
    let run = Run::of(&mut cmd).expect_code(2);
    assert!(
        run.stdout
            .starts_with("driftwatch: could not check everything"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn a_failed_snapshot_keeps_the_golden_files() {
    let moto = Moto::start();
    register(&moto.ecs().await, &backend()).await;
    moto.driftwatch(&["snapshot"]).expect_code(0);
    let path = moto.path("golden/aws_ecs_task_definition/retainwise-backend.json");
    let before = std::fs::read(&path).unwrap();

    let mut cmd = driftwatch_command(moto.dir.path());
    cmd.args(["snapshot", "--endpoint-url", &unreachable_endpoint()]);
    let run = Run::of(&mut cmd).expect_code(2);
    assert!(run.stderr.contains("could not snapshot"), "{}", run.stderr);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}
