//! `aws_ecr_repository` and `aws_cloudwatch_log_group` end to end against moto: a snapshot
//! that checks clean (log group names start with `/`), each compared setting changed by hand,
//! deleted and hand-made resources, and a Terraform state in sync, drifted and adopted.

use aws_sdk_cloudwatchlogs::Client as Logs;
use aws_sdk_ecr::types::{ImageScanningConfiguration, ImageTagMutability, Tag};
use aws_sdk_ecr::Client as Ecr;
use serde_json::{json, Value};

use crate::harness::{entry, Moto};

const REPO: &str = "retainwise-backend";
const BACKEND_LOGS: &str = "/ecs/retainwise-backend";
const WORKER_LOGS: &str = "/ecs/retainwise-worker";

/// Expire untagged images after 14 days; keep 50 tagged ones (written out of priority order).
const LIFECYCLE: &str = r#"{"rules":[{"rulePriority":2,"description":"untagged","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}},{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["v"],"countType":"imageCountMoreThan","countNumber":50},"action":{"type":"expire"}}]}"#;
const PULL_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"StagingPulls","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}"#;

struct Env {
    moto: Moto,
    ecr: Ecr,
    logs: Logs,
}

/// Two repositories (one with every setting, one at the defaults) and two log groups (one with
/// retention and tags, one never expiring), snapshotted into golden files.
async fn seeded_and_snapshotted() -> Env {
    let moto = Moto::start();
    let config = moto.sdk_config().await;
    let (ecr, logs) = (Ecr::new(&config), Logs::new(&config));
    ecr.create_repository()
        .repository_name(REPO)
        .image_tag_mutability(ImageTagMutability::Immutable)
        .image_scanning_configuration(
            ImageScanningConfiguration::builder()
                .scan_on_push(true)
                .build(),
        )
        .tags(Tag::builder().key("team").value("core").build().unwrap())
        .send()
        .await
        .unwrap();
    ecr.put_lifecycle_policy()
        .repository_name(REPO)
        .lifecycle_policy_text(LIFECYCLE)
        .send()
        .await
        .unwrap();
    ecr.set_repository_policy()
        .repository_name(REPO)
        .policy_text(PULL_POLICY)
        .send()
        .await
        .unwrap();
    ecr.create_repository()
        .repository_name("tools")
        .send()
        .await
        .unwrap();
    logs.create_log_group()
        .log_group_name(BACKEND_LOGS)
        .tags("app", "retainwise")
        .send()
        .await
        .unwrap();
    logs.put_retention_policy()
        .log_group_name(BACKEND_LOGS)
        .retention_in_days(30)
        .send()
        .await
        .unwrap();
    logs.create_log_group()
        .log_group_name(WORKER_LOGS)
        .send()
        .await
        .unwrap();
    moto.driftwatch(&["snapshot"]).expect_code(0);
    Env { moto, ecr, logs }
}

fn golden(env: &Env, rel: &str) -> Value {
    let text = std::fs::read_to_string(env.moto.path(&format!("golden/{rel}")))
        .unwrap_or_else(|e| panic!("golden/{rel}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn log_group_arn(name: &str) -> String {
    format!(
        "arn:aws:logs:us-east-1:{}:log-group:{name}",
        crate::seed::ACCOUNT
    )
}

#[tokio::test]
async fn a_snapshot_of_repositories_and_log_groups_checks_clean() {
    let env = seeded_and_snapshotted().await;
    let repo = golden(&env, "aws_ecr_repository/retainwise-backend.json");
    assert_eq!(
        repo,
        json!({
            "repositoryName": REPO,
            "imageTagMutability": "IMMUTABLE",
            "imageScanningConfiguration": {"scanOnPush": true},
            "lifecyclePolicy": {"rules": [
                {"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPrefixList": ["v"],
                    "countType": "imageCountMoreThan", "countNumber": 50}, "action": {"type": "expire"}},
                {"rulePriority": 2, "description": "untagged", "selection": {"tagStatus": "untagged",
                    "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
                    "action": {"type": "expire"}}]},
            "repositoryPolicy": {"Version": "2012-10-17", "Statement": [{"Sid": "StagingPulls",
                "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::210987654321:root"]},
                "Action": ["ecr:batchgetimage", "ecr:getdownloadurlforlayer"]}]},
            "tags": {"team": "core"}
        })
    );
    // MUTABLE, AES256 and scan on push off are AWS's defaults: nothing but the name.
    assert_eq!(
        golden(&env, "aws_ecr_repository/tools.json"),
        json!({"repositoryName": "tools"})
    );
    // A name that starts with `/` is one file, `%2F` for each `/`, and reads back as the name.
    assert_eq!(
        golden(
            &env,
            "aws_cloudwatch_log_group/%2Fecs%2Fretainwise-backend.json"
        ),
        json!({"logGroupName": BACKEND_LOGS, "retentionInDays": 30, "tags": {"app": "retainwise"}})
    );
    assert_eq!(
        golden(
            &env,
            "aws_cloudwatch_log_group/%2Fecs%2Fretainwise-worker.json"
        ),
        json!({"logGroupName": WORKER_LOGS})
    );
    let report = env.moto.check(0);
    assert_eq!(report["summary"]["in_sync"], 4, "{report:#}");
    assert_eq!(
        entry(&report, "aws_cloudwatch_log_group", BACKEND_LOGS)["status"],
        "in_sync"
    );
}

/// Tags from the Tagging API's pages (the default) and from one `ListTagsForResource` per
/// group (`--no-cache`) are the same tags; no run asks for a registry credential.
#[tokio::test]
async fn log_group_tags_read_either_way_agree_and_no_token_is_asked_for() {
    let env = seeded_and_snapshotted().await;
    let paged = env
        .moto
        .driftwatch(&["-v", "check", "--no-checks"])
        .expect_code(0);
    let calls = paged.api_calls();
    assert!(calls.contains_key("tag:GetResources"), "{calls:?}");
    assert!(!calls.contains_key("logs:ListTagsForResource"), "{calls:?}");
    assert_eq!(calls.get("ecr:ListTagsForResource"), Some(&2), "{calls:?}");
    let one_by_one = env
        .moto
        .driftwatch(&["-v", "check", "--no-checks", "--no-cache"])
        .expect_code(0);
    let calls = one_by_one.api_calls();
    assert_eq!(calls.get("logs:ListTagsForResource"), Some(&2), "{calls:?}");
    for run in [&paged, &one_by_one] {
        assert!(
            !run.stderr.contains("GetAuthorizationToken"),
            "{}",
            run.stderr
        );
    }
}

#[tokio::test]
async fn each_compared_setting_changed_by_hand_is_reported() {
    let env = seeded_and_snapshotted().await;
    env.logs
        .put_retention_policy()
        .log_group_name(BACKEND_LOGS)
        .retention_in_days(7)
        .send()
        .await
        .unwrap();
    env.logs
        .tag_resource()
        .resource_arn(log_group_arn(BACKEND_LOGS))
        .tags("app", "retainwise-v2")
        .send()
        .await
        .unwrap();
    env.ecr
        .put_image_tag_mutability()
        .repository_name(REPO)
        .image_tag_mutability(ImageTagMutability::Mutable)
        .send()
        .await
        .unwrap();
    // Scan on push turned on where it was off: the SDK leaves `scanOnPush: false` out of the
    // request (it is the member's default), which AWS reads as off and moto as "no change", so
    // turning it off cannot be seeded here (normalize.rs's unit tests cover `false`).
    env.ecr
        .put_image_scanning_configuration()
        .repository_name("tools")
        .image_scanning_configuration(
            ImageScanningConfiguration::builder()
                .scan_on_push(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    env.ecr
        .put_lifecycle_policy()
        .repository_name(REPO)
        .lifecycle_policy_text(LIFECYCLE.replace("\"countNumber\":14", "\"countNumber\":1"))
        .send()
        .await
        .unwrap();
    env.ecr
        .set_repository_policy()
        .repository_name(REPO)
        .policy_text(PULL_POLICY.replace("210987654321", "111122223333"))
        .send()
        .await
        .unwrap();
    env.ecr
        .tag_resource()
        .resource_arn(format!(
            "arn:aws:ecr:us-east-1:{}:repository/{REPO}",
            crate::seed::ACCOUNT
        ))
        .tags(Tag::builder().key("owner").value("ops").build().unwrap())
        .send()
        .await
        .unwrap();

    let report = env.moto.check(1);
    assert_eq!(
        entry(&report, "aws_cloudwatch_log_group", BACKEND_LOGS)["changes"],
        json!([
            {"path": "/retentionInDays", "op": "changed", "expected": 30, "actual": 7},
            {"path": "/tags/app", "op": "changed", "expected": "retainwise", "actual": "retainwise-v2"}
        ])
    );
    let principal = "/repositoryPolicy/Statement/0/Principal/AWS/0";
    assert_eq!(
        entry(&report, "aws_ecr_repository", REPO)["changes"],
        json!([
            {"path": "/imageTagMutability", "op": "removed", "expected": "IMMUTABLE"},
            {"path": "/lifecyclePolicy/rules/1/selection/countNumber", "op": "changed",
             "expected": 14, "actual": 1},
            {"path": principal, "op": "removed", "expected": "arn:aws:iam::210987654321:root"},
            {"path": principal, "op": "added", "actual": "arn:aws:iam::111122223333:root"},
            {"path": "/tags/owner", "op": "added", "actual": "ops"}
        ])
    );
    assert_eq!(
        entry(&report, "aws_ecr_repository", "tools")["changes"],
        json!([{"path": "/imageScanningConfiguration", "op": "added",
                "actual": {"scanOnPush": true}}])
    );
    assert_eq!(
        entry(&report, "aws_cloudwatch_log_group", WORKER_LOGS)["status"],
        "in_sync"
    );
}

#[tokio::test]
async fn deleted_ones_are_missing_and_hand_made_ones_unmanaged() {
    let env = seeded_and_snapshotted().await;
    env.ecr
        .delete_repository()
        .repository_name("tools")
        .send()
        .await
        .unwrap();
    env.logs
        .delete_log_group()
        .log_group_name(WORKER_LOGS)
        .send()
        .await
        .unwrap();
    env.ecr
        .create_repository()
        .repository_name("scratch")
        .send()
        .await
        .unwrap();
    env.logs
        .create_log_group()
        .log_group_name("/aws/lambda/debug")
        .send()
        .await
        .unwrap();
    let report = env.moto.check(1);
    assert_eq!(
        entry(&report, "aws_ecr_repository", "tools")["status"],
        "missing"
    );
    assert_eq!(
        entry(&report, "aws_cloudwatch_log_group", WORKER_LOGS)["status"],
        "missing"
    );
    assert_eq!(
        entry(&report, "aws_ecr_repository", "scratch")["status"],
        "unmanaged"
    );
    assert_eq!(
        entry(&report, "aws_cloudwatch_log_group", "/aws/lambda/debug")["status"],
        "unmanaged"
    );
    assert_eq!(report["summary"]["in_sync"], 2, "{report:#}");
}

fn instance(ty: &str, name: &str, attributes: Value) -> Value {
    json!({"mode": "managed", "type": ty, "name": name,
           "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
           "instances": [{"schema_version": 0, "attributes": attributes}]})
}

/// A provider-5.x state of what `seeded_and_snapshotted` created, the policies written as
/// resources of their own (the only way Terraform writes them).
fn write_state(env: &Env) {
    let repo = |name: &str, mutability: &str, scan: bool, tags: Value| {
        json!({"name": name, "id": name, "image_tag_mutability": mutability,
            "image_scanning_configuration": [{"scan_on_push": scan}],
            "encryption_configuration": [{"encryption_type": "AES256", "kms_key": ""}],
            "force_delete": false, "registry_id": crate::seed::ACCOUNT,
            "tags": tags, "tags_all": tags})
    };
    let group = |name: &str, days: u32, tags: Value| {
        json!({"name": name, "id": name, "retention_in_days": days, "kms_key_id": "",
            "log_group_class": "STANDARD", "skip_destroy": false, "name_prefix": "",
            "tags": tags, "tags_all": tags})
    };
    let state = json!({"version": 4, "terraform_version": "1.9.5", "serial": 1, "lineage": "t",
        "outputs": {}, "resources": [
        instance("aws_ecr_repository", "backend", repo(REPO, "IMMUTABLE", true, json!({"team": "core"}))),
        instance("aws_ecr_repository", "tools", repo("tools", "MUTABLE", false, json!({}))),
        instance("aws_ecr_lifecycle_policy", "backend", json!({"repository": REPO, "policy": LIFECYCLE})),
        instance("aws_ecr_repository_policy", "backend", json!({"repository": REPO, "policy": PULL_POLICY})),
        instance("aws_cloudwatch_log_group", "backend", group(BACKEND_LOGS, 30, json!({"app": "retainwise"}))),
        instance("aws_cloudwatch_log_group", "worker", group(WORKER_LOGS, 0, json!({}))),
    ]});
    std::fs::write(env.moto.path("prod.tfstate"), state.to_string()).unwrap();
}

#[tokio::test]
async fn a_terraform_state_in_sync_then_drifted_and_what_it_lacks_gets_import_blocks() {
    let env = seeded_and_snapshotted().await;
    write_state(&env);
    let against_state = |code| {
        let args = [
            "check",
            "--no-checks",
            "--state",
            "prod.tfstate",
            "--format",
            "json",
        ];
        env.moto.driftwatch(&args).expect_code(code).json()
    };
    let report = against_state(0);
    assert_eq!(report["summary"]["in_sync"], 4, "{report:#}");
    assert_eq!(report["coverage"]["percent"], 100.0);

    env.logs
        .delete_retention_policy()
        .log_group_name(BACKEND_LOGS)
        .send()
        .await
        .unwrap();
    env.ecr
        .delete_lifecycle_policy()
        .repository_name(REPO)
        .send()
        .await
        .unwrap();
    env.ecr
        .create_repository()
        .repository_name("scratch")
        .send()
        .await
        .unwrap();
    env.logs
        .create_log_group()
        .log_group_name("/aws/lambda/debug")
        .send()
        .await
        .unwrap();
    let report = against_state(1);
    assert_eq!(
        entry(&report, "aws_cloudwatch_log_group", BACKEND_LOGS)["changes"],
        json!([{"path": "/retentionInDays", "op": "removed", "expected": 30}])
    );
    let repo = entry(&report, "aws_ecr_repository", REPO);
    assert_eq!(repo["changes"].as_array().unwrap().len(), 1, "{repo:#}");
    assert_eq!(repo["changes"][0]["path"], "/lifecyclePolicy");
    assert_eq!(repo["changes"][0]["op"], "removed");

    let imports = env
        .moto
        .driftwatch(&[
            "check",
            "--no-checks",
            "--state",
            "prod.tfstate",
            "--format",
            "terraform-import",
        ])
        .expect_code(1)
        .stdout;
    for block in [
        "import {\n  to = aws_ecr_repository.scratch\n  id = \"scratch\"\n}",
        "import {\n  to = aws_cloudwatch_log_group.aws_lambda_debug\n  id = \"/aws/lambda/debug\"\n}",
    ] {
        assert!(imports.contains(block), "{block}\nnot in\n{imports}");
    }
    assert_eq!(imports.matches("import {").count(), 2, "{imports}");
}
