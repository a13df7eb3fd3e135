//! `image-reference`, `log-reference` and `secret-reference` end to end: the demo environment
//! (consistent: its checks find nothing, see `checks.rs`) with one break made through boto3.
//! `check` reads the account; `verify` on a snapshot of it judges what a golden folder can tell
//! (a repository, a log group, a secret's deletion date) and says what it cannot (an image tag,
//! a policy it does not hold) is not judged.

use serde_json::Value;

use crate::checks::{demo_with, findings, live_and_offline, one};

const TD: &str = "aws_ecs_task_definition";
const REGISTRY: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
const DB_SECRET: &str =
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:retainwise/prod/database-url-Q1w2E3";

/// `(check, subject, reason)` of each reference not judged by `check`.
fn not_judged(report: &Value, check: &str) -> Vec<(String, String, String)> {
    let none = Vec::new();
    let list = report["not_judged"].as_array().unwrap_or(&none);
    list.iter()
        .filter(|n| n["check"] == check)
        .map(|n| {
            let s = |k: &str| n[k].as_str().unwrap_or_default().to_string();
            (s("check"), s("subject"), s("reason"))
        })
        .collect()
}

#[test]
fn an_image_tag_never_pushed_is_found_live_and_not_judged_offline() {
    let moto = demo_with(
        "ecs.register_task_definition(**seed.backend_task_definition(image_tag='deadbee'))",
    );
    let image = format!("{REGISTRY}/retainwise-backend:deadbee");
    let live = moto.check_all(1);
    assert_eq!(
        findings(&live),
        one("image-reference", TD, "retainwise-backend", &image)
    );
    let message = live["checks"][0]["message"].as_str().unwrap();
    assert!(
        message.ends_with("but repository retainwise-backend holds no image with tag deadbee"),
        "{message}"
    );
    // A golden folder holds no images: the tag is not judged, never "fine" (nor the
    // execution role's pull, whose AWS-managed policy a golden folder does not hold).
    let offline = moto
        .driftwatch(&["verify", "golden", "--format", "json"])
        .expect_code(0)
        .json();
    assert_eq!(findings(&offline), vec![]);
    let tags: Vec<&str> = offline["not_judged"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| {
            n["message"]
                .as_str()
                .unwrap()
                .contains("does not describe the images")
        })
        .map(|n| n["subject"].as_str().unwrap())
        .collect();
    let pushed = format!("{REGISTRY}/retainwise-backend:3f2c1a9");
    assert_eq!(tags, [image.as_str(), pushed.as_str()], "{offline:#}");
    assert!(not_judged(&offline, "image-reference")
        .iter()
        .all(|n| n.2 == "not-described"));
}

#[test]
fn a_deleted_repository_is_found_live_and_offline() {
    let moto = demo_with("ecr.delete_repository(repositoryName='retainwise-backend', force=True)");
    let image = format!("{REGISTRY}/retainwise-backend:3f2c1a9");
    // Both task definitions run the backend image.
    let mut expected = one("image-reference", TD, "retainwise-backend", &image);
    expected.extend(one("image-reference", TD, "retainwise-worker", &image));
    assert_eq!(live_and_offline(&moto, 1), expected);
}

#[test]
fn a_deleted_log_group_is_found_live_and_offline() {
    let moto = demo_with("logs.delete_log_group(logGroupName='/ecs/retainwise-worker')");
    assert_eq!(
        live_and_offline(&moto, 1),
        one(
            "log-reference",
            TD,
            "retainwise-worker",
            "/ecs/retainwise-worker"
        )
    );
}

#[test]
fn a_log_group_without_retention_is_a_warning() {
    let moto = demo_with("logs.delete_retention_policy(logGroupName='/ecs/retainwise-backend')");
    let live = moto.check_all(0);
    assert_eq!(
        findings(&live),
        one(
            "log-reference",
            TD,
            "retainwise-backend",
            "/ecs/retainwise-backend"
        )
    );
    assert_eq!(live["checks"][0]["severity"], "warning");
    let message = live["checks"][0]["message"].as_str().unwrap();
    assert!(message.contains("never expires"), "{message}");
}

#[test]
fn a_secret_scheduled_for_deletion_is_found_live_and_offline() {
    let moto =
        demo_with("secrets.delete_secret(SecretId=seed.DB_SECRET_NAME, RecoveryWindowInDays=7)");
    let mut expected = one("secret-reference", TD, "retainwise-backend", DB_SECRET);
    expected.extend(one("secret-reference", TD, "retainwise-worker", DB_SECRET));
    assert_eq!(live_and_offline(&moto, 1), expected);
    let live = moto.check_all(1);
    let message = live["checks"][0]["message"].as_str().unwrap();
    assert!(message.contains("scheduled for deletion"), "{message}");
}

#[test]
fn a_parameter_that_does_not_exist_is_found_live_and_offline() {
    let moto = demo_with(
        "boto3.client('ssm', region_name='us-east-1').delete_parameter(Name=seed.SENTRY_PARAMETER)",
    );
    assert_eq!(
        live_and_offline(&moto, 1),
        one(
            "secret-reference",
            TD,
            "retainwise-worker",
            "/retainwise/prod/sentry-dsn"
        )
    );
}

#[test]
fn an_execution_role_that_may_no_longer_read_secrets_is_found_live() {
    let moto = demo_with(
        "iam.delete_role_policy(RoleName='retainwise-ecs-execution', PolicyName='read-app-secrets')",
    );
    let live = moto.check_all(1);
    let mut expected = one("secret-reference", TD, "retainwise-backend", DB_SECRET);
    expected.extend(one(
        "secret-reference",
        TD,
        "retainwise-worker",
        "/retainwise/prod/sentry-dsn",
    ));
    expected.extend(one("secret-reference", TD, "retainwise-worker", DB_SECRET));
    assert_eq!(findings(&live), expected);
    let message = live["checks"][0]["message"].as_str().unwrap();
    assert!(
        message.contains(
            "execution role retainwise-ecs-execution may not: secretsmanager:GetSecretValue"
        ),
        "{message}"
    );
    // Offline the role's AWS-managed policy is not held: "no statement allows it" is not
    // judged rather than reported.
    let offline = moto
        .driftwatch(&["verify", "golden", "--format", "json"])
        .expect_code(0)
        .json();
    assert_eq!(findings(&offline), vec![]);
    assert_eq!(
        not_judged(&offline, "secret-reference").len(),
        3,
        "{offline:#}"
    );
}

#[test]
fn the_image_check_asks_each_repository_once_with_batch_get_image() {
    let moto = demo_with("");
    let run = moto
        .driftwatch(&["check", "-v", "--format", "json"])
        .expect_code(0);
    // Two task definitions run one image: one BatchGetImage for it.
    assert!(
        run.stderr
            .contains("1 AWS API calls for the image check: {\"ecr:BatchGetImage\": 1}"),
        "{}",
        run.stderr
    );
}

#[test]
fn images_that_cannot_be_asked_about_are_not_judged_never_missing() {
    let moto = demo_with(
        "ecs.register_task_definition(**seed.backend_task_definition(image_tag='deadbee'))",
    );
    let proxy = crate::harness::FaultProxy::start(&moto, &["--deny", "BatchGetImage"]);
    let mut cmd = crate::harness::driftwatch_command(moto.dir.path());
    cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .args(["check", "--format", "json"]);
    let report = crate::harness::Run::of(&mut cmd).expect_code(0).json();
    assert_eq!(findings(&report), vec![], "{report:#}");
    let unread: Vec<&Value> = report["not_judged"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["reason"] == "not-read")
        .collect();
    // The two families' latest revisions, and the older one the backend service still runs.
    assert_eq!(unread.len(), 3, "{report:#}");
    let message = unread[0]["message"].as_str().unwrap();
    assert!(
        message.contains(
            "the images of repository retainwise-backend could not be read: ecr:BatchGetImage"
        ),
        "{message}"
    );
}

/// A service still running an older revision (a deploy that has not finished, a rollback
/// target) pulls that revision's image: its tag is judged too, on the service.
#[test]
fn the_images_of_revisions_services_still_run_are_judged_on_the_service() {
    let moto = demo_with(
        "ecs.register_task_definition(**seed.backend_task_definition(image_tag='9e8d7c6'))\n\
         ecr.batch_delete_image(repositoryName='retainwise-backend', imageIds=[{'imageTag': '3f2c1a9'}])",
    );
    let old = format!("{REGISTRY}/retainwise-backend:3f2c1a9");
    let new = format!("{REGISTRY}/retainwise-backend:9e8d7c6");
    let mut expected = one("image-reference", TD, "retainwise-backend", &new);
    expected.extend(one("image-reference", TD, "retainwise-worker", &old));
    let service = "retainwise-prod/backend";
    expected.extend(one("image-reference", "aws_ecs_service", service, &old));
    assert_eq!(findings(&moto.check_all(1)), expected);
}
