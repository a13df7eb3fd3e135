//! A check of an unchanged account after a first one: task definitions from the revision cache
//! (only new revisions described), tags in pages from the Tagging API (queues and cached
//! revisions), the same report as a cold check, and the fallbacks (`--no-cache`, a corrupt
//! cache, a Tagging API the credentials may not call). moto is a custom endpoint, where the
//! cache is used only with `cache = true` in driftwatch.toml: a server that is reset reuses
//! revision ARNs for other documents.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::harness::{entry, FaultProxy, Moto, Run};
use crate::queues_groups_services::seeded_and_snapshotted;
use crate::seed::{backend, register, worker};

const TD: &str = "aws_ecs_task_definition";

fn count(c: &BTreeMap<String, usize>, op: &str) -> usize {
    c.get(op).copied().unwrap_or(0)
}

/// `driftwatch ARGS` with the test's kept revision cache, used on moto's endpoint.
fn cached(moto: &Moto, args: &[&str]) -> Run {
    trust_cache(moto);
    let (k, v) = moto.cache_env();
    moto.driftwatch_with_env(args, &[(k, &v)])
}

/// `cache = true`: the revision cache on a custom endpoint, said explicitly.
fn trust_cache(moto: &Moto) {
    std::fs::write(moto.path("driftwatch.toml"), "cache = true\n").unwrap();
}

/// The report without the run's own source label, to compare two runs.
fn resources(report: &Value) -> Value {
    report["resources"].clone()
}

/// The demo's two task definitions, snapshotted with a cold cache (which fills it).
async fn warm() -> (Moto, aws_sdk_ecs::Client) {
    let moto = Moto::start();
    let ecs = moto.ecs().await;
    register(&ecs, &backend()).await;
    register(&ecs, &worker()).await;
    let run = cached(&moto, &["-v", "snapshot"]).expect_code(0);
    assert_eq!(count(&run.api_calls(), "ecs:DescribeTaskDefinition"), 2);
    (moto, ecs)
}

const CHECK: [&str; 6] = ["-v", "check", "--kind", TD, "--format", "json"];

#[tokio::test]
async fn a_second_check_describes_nothing_and_reports_the_same() {
    let (moto, _ecs) = warm().await;
    let cold = moto.driftwatch(&CHECK).expect_code(0);
    let run = cached(&moto, &CHECK).expect_code(0);
    let c = run.api_calls();
    assert_eq!(count(&c, "ecs:DescribeTaskDefinition"), 0, "{c:?}");
    assert_eq!(count(&c, "ecs:ListTaskDefinitions"), 1, "{c:?}");
    assert_eq!(count(&c, "tag:GetResources"), 1, "{c:?}");
    assert!(
        run.stderr
            .contains("ecs: 1 calls, 2 saved by the revision cache"),
        "{}",
        run.stderr
    );
    assert_eq!(resources(&run.json()), resources(&cold.json()));
    // Tags come from the Tagging API, not from the cache.
    assert_eq!(count(&cold.api_calls(), "ecs:DescribeTaskDefinition"), 2);
}

#[tokio::test]
async fn a_revision_registered_since_is_described_and_reported() {
    let (moto, ecs) = warm().await;
    let mut changed = worker();
    changed.containers[0].env[0].1 = "false".into(); // ENABLE_SQS
    register(&ecs, &changed).await;
    let run = cached(&moto, &CHECK).expect_code(1);
    assert_eq!(count(&run.api_calls(), "ecs:DescribeTaskDefinition"), 1);
    let report = run.json();
    assert_eq!(
        entry(&report, TD, "retainwise-worker")["changes"][0]["path"],
        "/containerDefinitions/worker/environment/ENABLE_SQS"
    );
    assert_eq!(
        entry(&report, TD, "retainwise-backend")["status"],
        "in_sync"
    );
    // Now cached too: a third check describes nothing.
    let run = cached(&moto, &CHECK).expect_code(1);
    assert_eq!(count(&run.api_calls(), "ecs:DescribeTaskDefinition"), 0);
}

#[tokio::test]
async fn a_tag_changed_on_a_cached_revision_is_seen() {
    let (moto, ecs) = warm().await;
    let arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/retainwise-backend:1";
    ecs.tag_resource()
        .resource_arn(arn)
        .tags(
            aws_sdk_ecs::types::Tag::builder()
                .key("app")
                .value("other")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let run = cached(&moto, &CHECK).expect_code(1);
    assert_eq!(count(&run.api_calls(), "ecs:DescribeTaskDefinition"), 0);
    let report = run.json();
    let changes = &entry(&report, TD, "retainwise-backend")["changes"];
    assert_eq!(changes[0]["path"], "/tags/app", "{changes}");
    assert_eq!(changes[0]["actual"], "other");
}

#[tokio::test]
async fn corrupt_and_misplaced_entries_are_ignored_and_replaced() {
    let (moto, _ecs) = warm().await;
    let files: Vec<_> = walk(&moto.path(".driftwatch-cache/kept"));
    assert_eq!(files.len(), 2, "{files:?}");
    // One cut short, the other holding the first one's document (a misplaced entry).
    let first = std::fs::read(&files[0]).unwrap();
    std::fs::write(&files[0], &first[..first.len() / 2]).unwrap();
    std::fs::write(&files[1], &first).unwrap();
    let run = cached(&moto, &CHECK).expect_code(0);
    assert_eq!(count(&run.api_calls(), "ecs:DescribeTaskDefinition"), 2);
    let run = cached(&moto, &CHECK).expect_code(0);
    assert_eq!(count(&run.api_calls(), "ecs:DescribeTaskDefinition"), 0);
}

#[tokio::test]
async fn no_cache_makes_the_first_hand_calls() {
    let (moto, _ecs) = warm().await;
    let mut args = vec!["--no-cache"];
    args.extend(CHECK);
    let run = cached(&moto, &args).expect_code(0);
    let c = run.api_calls();
    assert_eq!(count(&c, "ecs:DescribeTaskDefinition"), 2, "{c:?}");
    assert_eq!(count(&c, "ecs:ListTaskDefinitionFamilies"), 1, "{c:?}");
    assert_eq!(count(&c, "tag:GetResources"), 0, "{c:?}");
}

#[tokio::test]
async fn queue_tags_from_pages_equal_those_of_list_queue_tags() {
    let env = seeded_and_snapshotted().await; // golden files from pages
    let check = ["-v", "check", "--kind", "aws_sqs_queue", "--format", "json"];
    let pages = env.moto.driftwatch(&check).expect_code(0);
    let c = pages.api_calls();
    assert_eq!(count(&c, "sqs:ListQueueTags"), 0, "{c:?}");
    assert_eq!(count(&c, "tag:GetResources"), 1, "{c:?}");
    assert!(
        pages.stderr.contains("2 saved by the Tagging API"),
        "{}",
        pages.stderr
    );
    let mut first_hand = vec!["--no-cache"];
    first_hand.extend(check);
    let one_by_one = env.moto.driftwatch(&first_hand).expect_code(0);
    assert_eq!(count(&one_by_one.api_calls(), "sqs:ListQueueTags"), 2);
    assert_eq!(resources(&pages.json()), resources(&one_by_one.json()));
    assert_eq!(
        entry(&pages.json(), "aws_sqs_queue", "jobs")["status"],
        "in_sync"
    );
}

#[tokio::test]
async fn a_denied_tagging_api_falls_back_to_calls_per_resource() {
    let env = seeded_and_snapshotted().await;
    let moto = &env.moto;
    cached(moto, &["snapshot"]).expect_code(0); // warm the cache
    let proxy = FaultProxy::start(moto, &["--deny", "GetResources"]);
    trust_cache(moto);
    let (k, v) = moto.cache_env();
    let mut cmd = crate::harness::driftwatch_command(moto.dir.path());
    cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint).env(k, &v);
    cmd.args(["-v", "check", "--no-checks", "--format", "json"]);
    let run = Run::of(&mut cmd).expect_code(0);
    assert!(
        run.stderr.contains("tag:GetResources is not available"),
        "{}",
        run.stderr
    );
    let c = run.api_calls();
    assert_eq!(count(&c, "sqs:ListQueueTags"), 2, "{c:?}");
    // The cached revision is described for its tags, as without a cache.
    assert_eq!(count(&c, "ecs:DescribeTaskDefinition"), 1, "{c:?}");
    // One page asked per resource type (queues, task definitions, log groups, parameters,
    // buckets, tables), then no more.
    assert!(count(&c, "tag:GetResources") <= 6, "{c:?}");
    assert_eq!(resources(&run.json()), resources(&env.moto.check(0)));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn a_revision_with_a_secret_in_clear_is_never_cached() {
    const SECRET: &str = "hunter2-in-clear";
    let moto = Moto::start();
    let ecs = moto.ecs().await;
    let mut leaky = worker();
    leaky.containers[0]
        .env
        .push(("DB_PASSWORD".into(), SECRET.into()));
    register(&ecs, &leaky).await;
    register(&ecs, &backend()).await;
    cached(&moto, &["snapshot"]).expect_code(0);
    let files = walk(&moto.path(".driftwatch-cache/kept"));
    assert_eq!(files.len(), 1, "only the backend is cached: {files:?}");
    for f in &files {
        assert!(!std::fs::read_to_string(f).unwrap().contains(SECRET));
    }
    // The worker is described again, every run; the report is unchanged.
    let run = cached(&moto, &CHECK).expect_code(0);
    assert_eq!(count(&run.api_calls(), "ecs:DescribeTaskDefinition"), 1);
}

#[tokio::test]
async fn tags_of_more_cached_revisions_than_a_page_all_come_back() {
    // moto answers 50 ARNs a page even when asked for 100 by ARN; AWS answers all 100.
    let moto = Moto::start();
    let ecs = moto.ecs().await;
    let mut td = worker();
    for i in 0..120 {
        td.family = format!("job-{i:03}");
        register(&ecs, &td).await;
    }
    cached(&moto, &["snapshot"]).expect_code(0);
    let run = cached(&moto, &CHECK).expect_code(0);
    let c = run.api_calls();
    assert_eq!(count(&c, "ecs:DescribeTaskDefinition"), 0, "{c:?}");
    assert!(count(&c, "tag:GetResources") >= 2, "{c:?}");
    assert_eq!(run.json()["summary"]["in_sync"], 120);
}

/// `POST /moto-api/reset`: moto forgets everything, as a LocalStack restart does.
fn reset(moto: &Moto) {
    let port: u16 = moto.endpoint.rsplit(':').next().unwrap().parse().unwrap();
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    use std::io::{Read, Write};
    write!(
        s,
        "POST /moto-api/reset HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200"),
        "{answer}"
    );
}

#[tokio::test]
async fn a_reset_server_registering_family_1_again_is_not_answered_from_the_cache() {
    let moto = Moto::start();
    let ecs = moto.ecs().await;
    register(&ecs, &worker()).await;
    // A cache kept from run to run, as on a developer's machine, without `cache = true`.
    let (k, v) = moto.cache_env();
    let env = [(k, v.as_str())];
    moto.driftwatch_with_env(&["snapshot"], &env).expect_code(0);
    moto.driftwatch_with_env(&CHECK, &env).expect_code(0);

    // The server is reset and the same family registered again: `retainwise-worker:1`, the
    // same ARN, another document.
    reset(&moto);
    let mut changed = worker();
    changed.containers[0].env[0].1 = "false".into(); // ENABLE_SQS
    assert_eq!(register(&ecs, &changed).await, 1);
    let run = moto.driftwatch_with_env(&CHECK, &env).expect_code(1);
    assert_eq!(count(&run.api_calls(), "ecs:DescribeTaskDefinition"), 1);
    assert!(
        run.stderr
            .contains("no revision cache on the custom endpoint"),
        "{}",
        run.stderr
    );
    let report = run.json();
    assert_eq!(
        entry(&report, TD, "retainwise-worker")["changes"][0]["path"],
        "/containerDefinitions/worker/environment/ENABLE_SQS"
    );
}
