//! `driftwatch accept` and the scoped `snapshot --kind K --id GLOB`: after a reviewed deploy,
//! exactly the named golden files change, ignored paths keep their golden value, and every other
//! file keeps its bytes.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::harness::{driftwatch_command, files, Moto, Run};
use crate::seed::{backend, register, worker};

const IMAGES: &str = "aws_ecs_task_definition:*:/containerDefinitions/*/image";

/// The paths whose bytes differ between two listings (added and removed files included).
fn changed(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

fn golden(moto: &Moto, family: &str) -> Value {
    let path = moto.path(&format!("golden/aws_ecs_task_definition/{family}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Both task definitions and a queue, snapshotted.
async fn deployed() -> (Moto, aws_sdk_ecs::Client) {
    let moto = Moto::start();
    let ecs = moto.ecs().await;
    register(&ecs, &backend()).await;
    register(&ecs, &worker()).await;
    let sqs = moto.sqs().await;
    sqs.create_queue().queue_name("jobs").send().await.unwrap();
    moto.driftwatch(&["snapshot"]).expect_code(0);
    (moto, ecs)
}

#[tokio::test]
async fn accepting_one_task_definition_after_a_deploy_changes_only_its_file() {
    let (moto, ecs) = deployed().await;
    let before = files(&moto.path("golden"));
    // The deploy: a new image (ignored: it changes every deploy) and a reviewed setting.
    let mut td = backend();
    td.containers[0].image = "backend:new-build".into();
    td.containers[0].env[0].1 = "false".into();
    register(&ecs, &td).await;
    let mut other = worker();
    other.containers[0].env[2].1 = "8".into();
    register(&ecs, &other).await; // drift in another family: not accepted

    let run = moto
        .driftwatch(&[
            "accept",
            "aws_ecs_task_definition:retainwise-backend",
            "--ignore",
            IMAGES,
        ])
        .expect_code(0);
    // The same diff `check` prints, for the commit's review; the ignored image is not in it.
    assert!(
        run.stdout
            .contains("~ aws_ecs_task_definition retainwise-backend"),
        "{}",
        run.stdout
    );
    let added = run
        .stdout
        .lines()
        .find(|l| l.starts_with('+') && l.contains("ENABLE_SQS"));
    assert_eq!(
        added.map(str::trim),
        Some("+        \"ENABLE_SQS\": \"false\"")
    );
    assert!(!run.stdout.contains("new-build"), "{}", run.stdout);
    assert!(!run.stdout.contains("retainwise-worker"), "{}", run.stdout);
    assert!(
        run.stdout.contains("1 written, 0 removed, 0 unchanged"),
        "{}",
        run.stdout
    );

    let after = files(&moto.path("golden"));
    assert_eq!(
        changed(&before, &after),
        ["aws_ecs_task_definition/retainwise-backend.json"]
    );
    let b = golden(&moto, "retainwise-backend");
    let c = &b["containerDefinitions"]["backend"];
    assert_eq!(c["environment"]["ENABLE_SQS"], "false");
    assert_eq!(
        c["image"], "123456789012.dkr.ecr.us-east-1.amazonaws.com/retainwise-backend:3f2c1a9",
        "an ignored path keeps its golden value"
    );

    // Now in sync for what was accepted; the worker still drifts.
    let td = "aws_ecs_task_definition";
    moto.driftwatch(&[
        "check",
        "--kind",
        td,
        "--ignore",
        IMAGES,
        "--ignore",
        &format!("{td}:retainwise-worker"),
    ])
    .expect_code(0);
    // Accepting again has nothing to do and touches nothing.
    let again = moto
        .driftwatch(&[
            "accept",
            "aws_ecs_task_definition:retainwise-backend",
            "--ignore",
            IMAGES,
        ])
        .expect_code(0);
    assert!(
        again.stdout.contains("0 written, 0 removed, 1 unchanged"),
        "{}",
        again.stdout
    );
    assert_eq!(files(&moto.path("golden")), after);
}

#[tokio::test]
async fn a_glob_accepts_every_resource_it_names_and_dry_run_writes_nothing() {
    let (moto, ecs) = deployed().await;
    let before = files(&moto.path("golden"));
    let mut b = backend();
    b.cpu = "1024".into();
    register(&ecs, &b).await;
    let mut w = worker();
    w.containers[0].env[2].1 = "8".into();
    register(&ecs, &w).await;
    let sqs = moto.sqs().await;
    sqs.create_queue()
        .queue_name("tmp-debug")
        .send()
        .await
        .unwrap();

    let dry = moto
        .driftwatch(&[
            "accept",
            "--dry-run",
            "aws_ecs_task_definition:retainwise-*",
        ])
        .expect_code(0);
    assert!(
        dry.stdout
            .contains("~ aws_ecs_task_definition retainwise-backend"),
        "{}",
        dry.stdout
    );
    assert!(
        dry.stdout
            .contains("~ aws_ecs_task_definition retainwise-worker"),
        "{}",
        dry.stdout
    );
    assert!(dry.stdout.contains("would accept"), "{}", dry.stdout);
    assert!(dry.stdout.contains("2 written"), "{}", dry.stdout);
    assert!(dry.stdout.contains("nothing written"), "{}", dry.stdout);
    assert_eq!(files(&moto.path("golden")), before, "--dry-run wrote");

    // A glob that names nothing is an error, and nothing is written, not even the good ones.
    let none = moto
        .driftwatch(&[
            "accept",
            "aws_ecs_task_definition:retainwise-*",
            "aws_sqs_queue:nope-*",
        ])
        .expect_code(2);
    assert!(
        none.stderr
            .contains("aws_sqs_queue:nope-* names no resource"),
        "{}",
        none.stderr
    );
    assert_eq!(files(&moto.path("golden")), before);

    moto.driftwatch(&[
        "accept",
        "aws_ecs_task_definition:retainwise-*",
        "aws_sqs_queue:tmp-*",
    ])
    .expect_code(0);
    let after = files(&moto.path("golden"));
    assert_eq!(
        changed(&before, &after),
        [
            "aws_ecs_task_definition/retainwise-backend.json",
            "aws_ecs_task_definition/retainwise-worker.json",
            "aws_sqs_queue/tmp-debug.json",
        ]
    );
    assert_eq!(golden(&moto, "retainwise-backend")["cpu"], 1024);
}

#[tokio::test]
async fn accept_removes_a_named_file_whose_resource_is_gone_and_reads_actual_folders() {
    let (moto, _ecs) = deployed().await;
    // A snapshot folder taken elsewhere (here: the same account, then a queue deleted from it).
    moto.driftwatch(&["snapshot", "--out", "after"])
        .expect_code(0);
    std::fs::remove_file(moto.path("after/aws_sqs_queue/jobs.json")).unwrap();
    let before = files(&moto.path("golden"));
    moto.driftwatch(&["accept", "--actual", "after", "aws_sqs_queue:*"])
        .expect_code(0);
    assert_eq!(
        changed(&before, &files(&moto.path("golden"))),
        ["aws_sqs_queue/jobs.json"]
    );
    assert!(!moto.path("golden/aws_sqs_queue/jobs.json").exists());
}

#[tokio::test]
async fn a_scoped_snapshot_never_removes_files_outside_its_scope() {
    let (moto, ecs) = deployed().await;
    crate::seed::deregister_all(&ecs, "retainwise-worker", 1).await;
    let mut b = backend();
    b.cpu = "1024".into();
    register(&ecs, &b).await;
    let before = files(&moto.path("golden"));

    let run = moto
        .driftwatch(&[
            "snapshot",
            "--kind",
            "aws_ecs_task_definition",
            "--id",
            "retainwise-backend",
        ])
        .expect_code(0);
    assert!(
        run.stdout.contains("1 written, 0 unchanged, 0 removed"),
        "{}",
        run.stdout
    );
    assert_eq!(
        changed(&before, &files(&moto.path("golden"))),
        ["aws_ecs_task_definition/retainwise-backend.json"],
        "the worker's file is outside the scope: kept although its family is gone"
    );
    moto.driftwatch(&[
        "snapshot",
        "--kind",
        "aws_ecs_task_definition",
        "--id",
        "*-worker",
    ])
    .expect_code(0);
    assert!(!moto
        .path("golden/aws_ecs_task_definition/retainwise-worker.json")
        .exists());
    assert!(moto.path("golden/aws_sqs_queue/jobs.json").exists());
}

async fn sqs_in(moto: &Moto, region: &'static str) -> aws_sdk_sqs::Client {
    let conf = aws_sdk_sqs::config::Builder::from(&moto.sdk_config().await)
        .region(aws_config::Region::new(region))
        .build();
    aws_sdk_sqs::Client::from_conf(conf)
}

#[tokio::test]
async fn accept_with_targets_writes_the_named_targets_folder_from_its_own_account() {
    let moto = Moto::start();
    let (us, eu) = (
        sqs_in(&moto, "us-east-1").await,
        sqs_in(&moto, "eu-west-1").await,
    );
    us.create_queue().queue_name("jobs").send().await.unwrap();
    let eu_jobs = eu.create_queue().queue_name("jobs").send().await.unwrap();
    for (region, dir) in [("us-east-1", "golden-us"), ("eu-west-1", "golden-eu")] {
        moto.driftwatch(&["snapshot", "--region", region, "--out", dir])
            .expect_code(0);
    }
    // Each target reaches its account through its own endpoint; the environment's points
    // nowhere, so a run that ignored the targets could not read anything.
    let config = format!(
        "kinds = [\"aws_sqs_queue\"]\n\
         [[targets]]\nname = \"us\"\nregion = \"us-east-1\"\nendpoint_url = \"{e}\"\ngolden = \"golden-us\"\n\
         [[targets]]\nname = \"eu\"\nregion = \"eu-west-1\"\nendpoint_url = \"{e}\"\ngolden = \"golden-eu\"\n",
        e = moto.endpoint
    );
    std::fs::write(moto.path("driftwatch.toml"), config).unwrap();
    let run = |args: &[&str]| {
        let mut cmd = driftwatch_command(moto.dir.path());
        cmd.env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
            .args(["--max-attempts", "1"])
            .args(args);
        Run::of(&mut cmd)
    };
    // The eu queue changes and a queue is added there; eu's folder has no record yet.
    eu.set_queue_attributes()
        .queue_url(eu_jobs.queue_url().unwrap())
        .attributes(
            aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
            "5",
        )
        .send()
        .await
        .unwrap();
    eu.create_queue().queue_name("eu-new").send().await.unwrap();
    std::fs::remove_file(moto.path("golden-eu/source.json")).unwrap();
    let us_before = files(&moto.path("golden-us"));

    // `jobs` is in both folders: which one is meant must be said.
    let ambiguous = run(&["accept", "aws_sqs_queue:jobs"]).expect_code(2);
    assert!(
        ambiguous
            .stderr
            .contains("several targets: us (golden-us), eu (golden-eu)")
            && ambiguous.stderr.contains("`us:aws_sqs_queue:jobs`"),
        "{}",
        ambiguous.stderr
    );
    // One snapshot folder is one account's: never accepted into two targets at once.
    let two = run(&[
        "accept",
        "--actual",
        "golden-us",
        "us:aws_sqs_queue:jobs",
        "eu:aws_sqs_queue:jobs",
    ])
    .expect_code(2);
    assert!(
        two.stderr.contains("one account's snapshot") && two.stderr.contains("2 targets"),
        "{}",
        two.stderr
    );
    // A resource new to every folder, the same.
    let unknown = run(&["accept", "aws_sqs_queue:eu-*"]).expect_code(2);
    assert!(
        unknown.stderr.contains("name its target"),
        "{}",
        unknown.stderr
    );

    let accepted =
        run(&["accept", "eu:aws_sqs_queue:jobs", "eu:aws_sqs_queue:eu-*"]).expect_code(0);
    assert!(
        accepted
            .stdout
            .contains("accepted from live (eu-west-1) into golden-eu (target eu): 2 written"),
        "{}",
        accepted.stdout
    );
    let jobs: Value = serde_json::from_str(
        &std::fs::read_to_string(moto.path("golden-eu/aws_sqs_queue/jobs.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(jobs["VisibilityTimeout"], 5);
    assert!(moto.path("golden-eu/aws_sqs_queue/eu-new.json").exists());
    // The account is recorded as a snapshot records it.
    let record = std::fs::read_to_string(moto.path("golden-eu/source.json")).unwrap();
    assert!(record.contains("\"region\": \"eu-west-1\""), "{record}");
    assert_eq!(files(&moto.path("golden-us")), us_before);
    assert!(!moto.path("golden").exists(), "nothing written to ./golden");
    // One selector found in one folder needs no name.
    run(&["accept", "aws_sqs_queue:eu-new"]).expect_code(0);
    run(&["check", "--no-checks"]).expect_code(0);
}
