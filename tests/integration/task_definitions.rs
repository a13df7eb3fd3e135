//! `aws_ecs_task_definition` end to end: seed moto, snapshot, drift it, check.

use serde_json::{json, Value};

use crate::harness::{entry, Moto};

const TD: &str = "aws_ecs_task_definition";
use crate::seed::{self, backend, register, worker, Container};

/// A server seeded with the demo's two task definitions, and their golden files written by
/// `driftwatch snapshot`.
async fn seeded_and_snapshotted() -> (Moto, aws_sdk_ecs::Client) {
    let moto = Moto::start();
    let ecs = moto.ecs().await;
    register(&ecs, &backend()).await;
    register(&ecs, &worker()).await;
    moto.driftwatch(&["snapshot"]).expect_code(0);
    (moto, ecs)
}

fn golden(moto: &Moto, family: &str) -> Value {
    let path = moto.path(&format!("golden/aws_ecs_task_definition/{family}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

#[tokio::test]
async fn snapshot_writes_the_latest_active_revision_of_each_family() {
    let moto = Moto::start();
    let ecs = moto.ecs().await;
    let mut old = worker();
    old.containers[0].env[2].1 = "2".into();
    register(&ecs, &old).await; // worker:1, superseded
    register(&ecs, &worker()).await; // worker:2, the latest
    register(&ecs, &backend()).await;
    let mut newest_inactive = backend();
    newest_inactive.cpu = "4096".into();
    let rev = register(&ecs, &newest_inactive).await;
    ecs.deregister_task_definition()
        .task_definition(format!("retainwise-backend:{rev}"))
        .send()
        .await
        .unwrap();
    // A family whose every revision is INACTIVE (moto still lists it as a family).
    let mut gone = worker();
    gone.family = "retired-job".into();
    register(&ecs, &gone).await;
    seed::deregister_all(&ecs, "retired-job", 1).await;

    let run = moto.driftwatch(&["snapshot"]).expect_code(0);
    assert!(run.stdout.contains("2 written"), "{}", run.stdout);

    let mut files: Vec<String> = std::fs::read_dir(moto.path("golden/aws_ecs_task_definition"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    assert_eq!(files, ["retainwise-backend.json", "retainwise-worker.json"]);

    let w = golden(&moto, "retainwise-worker");
    assert_eq!(
        w["containerDefinitions"]["worker"]["environment"]["WORKER_CONCURRENCY"],
        "4"
    );
    let b = golden(&moto, "retainwise-backend");
    assert_eq!(
        b["cpu"], 512,
        "the INACTIVE newest revision must not be used"
    );
    assert_eq!(b["memory"], 1024);
    assert_eq!(b["tags"], json!({"app": "retainwise"}));
    assert_eq!(
        b["containerDefinitions"]["backend"]["secrets"],
        json!({"DATABASE_URL": seed::db_secret()})
    );
    assert_eq!(
        b["containerDefinitions"]["backend"]["portMappings"],
        json!([{"containerPort": 8000}])
    );
    for read_only in ["revision", "status", "taskDefinitionArn", "compatibilities"] {
        assert!(b.get(read_only).is_none(), "{read_only} in golden file");
    }
}

#[tokio::test]
async fn a_second_snapshot_of_an_unchanged_account_changes_no_byte() {
    let (moto, _ecs) = seeded_and_snapshotted().await;
    let path = moto.path("golden/aws_ecs_task_definition/retainwise-backend.json");
    let before = std::fs::read(&path).unwrap();
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    let run = moto.driftwatch(&["snapshot"]).expect_code(0);
    assert!(
        run.stdout.contains("0 written, 2 unchanged, 0 removed"),
        "{}",
        run.stdout
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), mtime);
    assert!(before.ends_with(b"}\n"), "golden files end with a newline");
}

#[tokio::test]
async fn check_right_after_snapshot_is_clean_and_quiet() {
    let (moto, _ecs) = seeded_and_snapshotted().await;
    let run = moto.driftwatch(&["check", "--no-checks"]).expect_code(0);
    assert_eq!(
        run.stdout.lines().count(),
        1,
        "only a summary:\n{}",
        run.stdout
    );
    assert!(
        run.stderr.is_empty(),
        "no progress or logs when not a terminal: {}",
        run.stderr
    );
    assert!(
        run.stdout.starts_with("driftwatch: in sync: 2 in sync"),
        "{}",
        run.stdout
    );
    let report = moto.check(0);
    assert_eq!(report["summary"]["in_sync"], 2);
}

#[tokio::test]
async fn a_changed_environment_variable_is_reported_with_both_values() {
    let (moto, ecs) = seeded_and_snapshotted().await;
    let mut td = worker();
    td.containers[0].env[0].1 = "false".into(); // ENABLE_SQS=false, drift 1 of the demo
    register(&ecs, &td).await;

    let report = moto.check(1);
    let w = entry(&report, TD, "retainwise-worker");
    assert_eq!(w["status"], "modified");
    assert_eq!(
        w["changes"],
        json!([{"path": "/containerDefinitions/worker/environment/ENABLE_SQS",
                "op": "changed", "expected": "true", "actual": "false"}])
    );
    assert_eq!(
        entry(&report, TD, "retainwise-backend")["status"],
        "in_sync"
    );

    let console = moto.driftwatch(&["check"]).expect_code(1).stdout;
    // The change in words, and in the diff one changed line (no line-end comma noise).
    assert!(
        console.contains("  · env ENABLE_SQS of container worker: \"true\" → \"false\"\n"),
        "{console}"
    );
    assert!(
        console
            .contains("\n-        \"ENABLE_SQS\": \"true\"\n+        \"ENABLE_SQS\": \"false\"\n "),
        "{console}"
    );
}

#[tokio::test]
async fn a_new_container_is_reported_as_added() {
    let (moto, ecs) = seeded_and_snapshotted().await;
    let mut td = backend();
    td.containers.push(
        Container::new("datadog-agent", "public.ecr.aws/datadog/agent:7")
            .env("DD_SITE", "datadoghq.eu"),
    );
    register(&ecs, &td).await;

    let report = moto.check(1);
    let changes = &entry(&report, TD, "retainwise-backend")["changes"];
    assert_eq!(changes.as_array().unwrap().len(), 1, "{changes:#}");
    assert_eq!(changes[0]["path"], "/containerDefinitions/datadog-agent");
    assert_eq!(changes[0]["op"], "added");
    assert_eq!(
        changes[0]["actual"]["image"],
        "public.ecr.aws/datadog/agent:7"
    );
    assert!(changes[0].get("expected").is_none());
}

#[tokio::test]
async fn a_removed_secret_is_reported_as_removed() {
    let (moto, ecs) = seeded_and_snapshotted().await;
    let mut td = backend();
    td.containers[0].secrets.clear();
    register(&ecs, &td).await;

    let report = moto.check(1);
    assert_eq!(
        entry(&report, TD, "retainwise-backend")["changes"],
        json!([{"path": "/containerDefinitions/backend/secrets",
                "op": "removed", "expected": {"DATABASE_URL": seed::db_secret()}}])
    );
}

#[tokio::test]
async fn a_changed_cpu_is_compared_as_a_number() {
    let (moto, ecs) = seeded_and_snapshotted().await;
    let mut td = worker();
    td.cpu = "1024".into();
    register(&ecs, &td).await;

    let report = moto.check(1);
    assert_eq!(
        entry(&report, TD, "retainwise-worker")["changes"],
        json!([{"path": "/cpu", "op": "changed", "expected": 512, "actual": 1024}])
    );
}

#[tokio::test]
async fn a_deleted_family_is_missing_and_a_new_one_unmanaged() {
    let (moto, ecs) = seeded_and_snapshotted().await;
    seed::deregister_all(&ecs, "retainwise-worker", 1).await;
    let mut td = backend();
    td.family = "hotfix-backend".into();
    register(&ecs, &td).await;

    let report = moto.check(1);
    assert_eq!(entry(&report, TD, "retainwise-worker")["status"], "missing");
    assert_eq!(entry(&report, TD, "hotfix-backend")["status"], "unmanaged");
    assert_eq!(
        entry(&report, TD, "retainwise-backend")["status"],
        "in_sync"
    );
    assert_eq!(
        report["summary"],
        json!({"in_sync": 1, "modified": 0, "missing": 1, "unmanaged": 1, "errors": 0})
    );
}

#[tokio::test]
async fn a_reordered_but_equal_definition_is_in_sync() {
    let moto = Moto::start();
    let ecs = moto.ecs().await;
    let sidecar = Container::new("envoy", "envoyproxy/envoy:v1.31").port(9901);
    let mut td = backend();
    td.containers.push(sidecar.clone());
    register(&ecs, &td).await;
    moto.driftwatch(&["snapshot"]).expect_code(0);

    // The same definition, registered with its containers and environment in another order.
    let mut shuffled = backend();
    shuffled.containers[0].env.reverse();
    shuffled.containers.insert(0, sidecar);
    register(&ecs, &shuffled).await;

    let run = moto.driftwatch(&["check", "--no-checks"]).expect_code(0);
    assert!(
        run.stdout.starts_with("driftwatch: in sync"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn check_against_a_snapshot_folder_needs_no_account() {
    let (moto, ecs) = seeded_and_snapshotted().await;
    let mut td = worker();
    td.memory = "2048".into();
    register(&ecs, &td).await;
    moto.driftwatch(&["snapshot", "--out", "after"])
        .expect_code(0);
    drop(ecs);

    let mut cmd = crate::harness::driftwatch_command(moto.dir.path());
    // No endpoint: nothing may be fetched.
    cmd.args(["check", "--actual", "after", "--format", "json"]);
    let report = crate::harness::Run::of(&mut cmd).expect_code(1).json();
    assert_eq!(
        entry(&report, TD, "retainwise-worker")["changes"],
        json!([{"path": "/memory", "op": "changed", "expected": 1024, "actual": 2048}])
    );
}

#[tokio::test]
async fn one_call_per_family_and_services_reuse_the_latest_revisions() {
    let (moto, ecs) = seeded_and_snapshotted().await;
    register(&ecs, &worker()).await; // worker:2: revisions do not add calls
    crate::seed::cluster(&ecs, "prod").await;
    crate::seed::service(&ecs, "prod", "api", "retainwise-backend").await;
    let both = ["-v", "check", "--kind", TD, "--kind", "aws_ecs_service"];
    let run = moto.driftwatch(&both);
    let c = run.api_calls();
    assert_eq!(c.get("ecs:DescribeTaskDefinition"), Some(&2), "{c:?}");
    assert_eq!(c.get("ecs:ListTaskDefinitions"), None, "{c:?}");
    // Services alone must still learn the latest revision: one call per family in use.
    let run = moto.driftwatch(&["-v", "check", "--kind", "aws_ecs_service"]);
    let c = run.api_calls();
    assert_eq!(c.get("ecs:ListTaskDefinitions"), Some(&1), "{c:?}");
}
