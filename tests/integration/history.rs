//! History over several nightly runs: new → known → resolved against moto, the same resource
//! with a different change is new, `--fail-on new`, `--since` giving the database's answer,
//! two runs writing one database at once, retention, and `driftwatch history`.

use serde_json::Value;

use crate::harness::{driftwatch_command, Moto, Run};

const Q: &str = "aws_sqs_queue";

pub(crate) async fn create(sqs: &aws_sdk_sqs::Client, name: &str) {
    sqs.create_queue().queue_name(name).send().await.unwrap();
}

pub(crate) async fn set_visibility(sqs: &aws_sdk_sqs::Client, name: &str, seconds: &str) {
    let url = sqs.get_queue_url().queue_name(name).send().await.unwrap();
    sqs.set_queue_attributes()
        .queue_url(url.queue_url().unwrap())
        .attributes(
            aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
            seconds,
        )
        .send()
        .await
        .unwrap();
}

pub(crate) async fn delete(sqs: &aws_sdk_sqs::Client, name: &str) {
    let url = sqs.get_queue_url().queue_name(name).send().await.unwrap();
    sqs.delete_queue()
        .queue_url(url.queue_url().unwrap())
        .send()
        .await
        .unwrap();
}

/// One night: the same check twice, once remembering in the database and once against the
/// previous night's report (`--since`); both JSON reports.
fn night(moto: &Moto, n: usize, extra: &[&str]) -> (Run, Value, Value) {
    let now = format!("2026-11-{:02}T02:00:00Z", 20 + n);
    let env = [("DRIFTWATCH_NOW", now.as_str())];
    let mut db_args = vec!["check", "--kind", Q, "--history", "drift.db"];
    db_args.extend(["--format", "json"]);
    db_args.extend(extra);
    let db_run = moto.driftwatch_with_env(&db_args, &env);
    let since = format!("since-{}.json", n - 1);
    let out = format!("json=since-{n}.json");
    let mut since_args = vec!["check", "--kind", Q, "--since", &since, "--report", &out];
    since_args.extend(extra);
    let since_run = moto.driftwatch_with_env(&since_args, &env);
    assert_eq!(since_run.code, db_run.code, "{}", since_run.stderr);
    let since_report: Value =
        serde_json::from_slice(&std::fs::read(moto.path(&format!("since-{n}.json"))).unwrap())
            .unwrap();
    let db_report = db_run.json();
    (db_run, db_report, since_report)
}

/// A finding as history marks it: id, status, new, first seen.
type Marked = (String, String, bool, String);

/// The findings as marked, and the resolved ids.
fn marks(report: &Value) -> (Vec<Marked>, Vec<String>) {
    let findings = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] != "in_sync")
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
                r["new"].as_bool().unwrap(),
                r["first_seen"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let resolved = report["resolved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    (findings, resolved)
}

fn finding(id: &str, status: &str, new: bool, day: u32) -> Marked {
    let first_seen = format!("2026-11-{day}T02:00:00Z");
    (id.into(), status.into(), new, first_seen)
}

#[tokio::test]
async fn three_nights_new_then_known_then_resolved_and_since_agrees_with_the_database() {
    let moto = Moto::start();
    let sqs = moto.sqs().await;
    for q in ["jobs", "mail", "old"] {
        create(&sqs, q).await;
    }
    moto.driftwatch(&["snapshot", "--kind", Q]).expect_code(0);

    // Night 1: two drifts, both new; the first night's --since file does not exist yet.
    set_visibility(&sqs, "jobs", "60").await;
    delete(&sqs, "old").await;
    let (run, db, since) = night(&moto, 1, &[]);
    run.expect_code(1);
    let (found, resolved) = marks(&db);
    assert_eq!(
        found,
        [
            finding("jobs", "modified", true, 21),
            finding("old", "missing", true, 21)
        ]
    );
    assert!(resolved.is_empty());
    assert_eq!(marks(&since), marks(&db));

    // Night 2: nothing changed: all known, and `--fail-on new` passes.
    let (run, db, since) = night(&moto, 2, &["--fail-on", "new"]);
    run.expect_code(0);
    let (found, _) = marks(&db);
    assert_eq!(
        found,
        [
            finding("jobs", "modified", false, 21),
            finding("old", "missing", false, 21)
        ]
    );
    assert_eq!(db["summary"]["known"], 2);
    assert_eq!(marks(&since), marks(&db));

    // Night 3: `old` is back (resolved), `mail` drifted (new), `jobs` drifted differently:
    // the same resource with a different change is new, and is not resolved.
    create(&sqs, "old").await;
    set_visibility(&sqs, "mail", "45").await;
    set_visibility(&sqs, "jobs", "90").await;
    let (run, db, since) = night(&moto, 3, &["--fail-on", "new"]);
    run.expect_code(1);
    let (found, resolved) = marks(&db);
    assert_eq!(
        found,
        [
            finding("jobs", "modified", true, 23),
            finding("mail", "modified", true, 23)
        ]
    );
    assert_eq!(resolved, ["old"]);
    assert_eq!(db["resolved"][0]["first_seen"], "2026-11-21T02:00:00Z");
    assert_eq!(marks(&since), marks(&db));

    // The console says it in one line, and marks each finding.
    let run = moto
        .driftwatch_with_env(
            &["check", "--kind", Q, "--since", "since-2.json"],
            &[("DRIFTWATCH_NOW", "2026-11-23T02:00:00Z")],
        )
        .expect_code(1);
    assert!(
        run.stdout.contains("; 2 new, 0 known, 1 resolved\n"),
        "{}",
        run.stdout
    );
    assert!(run
        .stdout
        .contains("~ aws_sqs_queue mail: modified (1 change) [new]"));
    assert!(run
        .stdout
        .contains("✓ aws_sqs_queue old (was missing, first seen 2026-11-21)"));
    // Every format says it: Markdown and JUnit too.
    let night3 = [("DRIFTWATCH_NOW", "2026-11-23T02:00:00Z")];
    let since = ["check", "--kind", Q, "--since", "since-2.json", "--format"];
    let md = moto.driftwatch_with_env(&[&since[..], &["markdown"]].concat(), &night3);
    assert!(
        md.stdout
            .contains("| modified (new) | `aws_sqs_queue` | `mail` |"),
        "{}",
        md.stdout
    );
    assert!(md
        .stdout
        .contains("### Resolved since the previous run\n\n- aws_sqs_queue old"));
    let junit = moto.driftwatch_with_env(&[&since[..], &["junit"]].concat(), &night3);
    assert!(
        junit
            .stdout
            .contains("name=\"summary\" value=\"2 new, 0 known, 1 resolved\""),
        "{}",
        junit.stdout
    );

    // `driftwatch history`: the runs, the latest first, and a resource's timeline.
    let runs = moto
        .driftwatch(&["history", "--history", "drift.db", "--format", "json"])
        .expect_code(0)
        .json();
    let counts: Vec<_> = runs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["new"].as_i64(),
                r["known"].as_i64(),
                r["resolved"].as_i64(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            (Some(2), Some(0), Some(1)),
            (Some(0), Some(2), Some(0)),
            (Some(2), Some(0), Some(0))
        ]
    );
    let run = moto
        .driftwatch(&[
            "history",
            "--history",
            "drift.db",
            "--resource",
            "aws_sqs_queue:old",
        ])
        .expect_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert!(lines[1].contains("missing (new)"), "{}", run.stdout);
    assert!(
        lines[2].contains("missing (since 2026-11-21T02:00:00Z)"),
        "{}",
        run.stdout
    );
    assert!(lines[3].contains("resolved"), "{}", run.stdout);
}

/// A snapshot-folder pair where one queue drifted: `check --actual` works offline.
fn offline_folders() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (side, jobs) in [("golden", 30), ("actual", 60)] {
        let d = dir.path().join(side).join(Q);
        std::fs::create_dir_all(&d).unwrap();
        let doc = format!("{{\"QueueName\": \"jobs\", \"VisibilityTimeout\": {jobs}}}\n");
        std::fs::write(d.join("jobs.json"), doc).unwrap();
    }
    dir
}

fn offline(dir: &std::path::Path, now: &str, args: &[&str]) -> Run {
    let mut cmd = driftwatch_command(dir);
    cmd.args([
        "check", "--golden", "golden", "--actual", "actual", "--kind", Q,
    ])
    .args(args)
    .env("DRIFTWATCH_NOW", now);
    Run::of(&mut cmd)
}

#[test]
fn two_runs_writing_one_database_at_once_both_count_and_one_sees_the_other() {
    let dir = offline_folders();
    let spawn = || {
        let mut cmd = driftwatch_command(dir.path());
        cmd.args(["-q", "check", "--golden", "golden", "--actual", "actual"])
            .args(["--kind", Q, "--history", "drift.db"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let children: Vec<_> = (0..4).map(|_| spawn()).collect();
    for mut c in children {
        assert_eq!(c.wait().unwrap().code(), Some(1));
    }
    let mut cmd = driftwatch_command(dir.path());
    cmd.args(["history", "--history", "drift.db", "--format", "json"]);
    let runs = Run::of(&mut cmd).expect_code(0).json();
    let new: Vec<i64> = runs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["new"].as_i64().unwrap())
        .collect();
    // Every run recorded; only the first found the drift new, each other saw a previous run.
    assert_eq!(new.len(), 4, "{runs:#}");
    assert_eq!(new.iter().sum::<i64>(), 1, "{runs:#}");
}

#[test]
fn fail_on_new_needs_a_previous_run_and_a_bad_since_report_is_exit_2() {
    let dir = offline_folders();
    let run = offline(dir.path(), "2026-11-21T02:00:00Z", &["--fail-on", "new"]).expect_code(2);
    assert!(
        run.stderr.contains("--history PATH or --since"),
        "{}",
        run.stderr
    );
    std::fs::write(dir.path().join("driftwatch.toml"), "fail_on = [\"new\"]\n").unwrap();
    offline(
        dir.path(),
        "2026-11-21T02:00:00Z",
        &["--since", "none.json"],
    )
    .expect_code(1);
    std::fs::write(dir.path().join("bad.json"), "{\"schema\": \"other\"}").unwrap();
    let run = offline(dir.path(), "2026-11-21T02:00:00Z", &["--since", "bad.json"]);
    assert!(run.expect_code(2).stderr.contains("bad.json"));
}

#[test]
fn old_runs_are_pruned_but_the_latest_of_a_scope_stays() {
    let dir = offline_folders();
    std::fs::write(
        dir.path().join("driftwatch.toml"),
        "history = \"drift.db\"\nhistory_keep_days = 10\n",
    )
    .unwrap();
    offline(dir.path(), "2026-10-01T02:00:00Z", &[]).expect_code(1);
    offline(dir.path(), "2026-10-02T02:00:00Z", &[]).expect_code(1);
    // Another scope, long after: the first scope's runs are old, its latest is kept.
    let mut cmd = driftwatch_command(dir.path());
    cmd.args([
        "check",
        "--golden",
        "golden",
        "--actual",
        "actual",
        "--kind",
        "aws_iam_role",
    ])
    .env("DRIFTWATCH_NOW", "2026-11-29T02:00:00Z");
    Run::of(&mut cmd).expect_code(0);
    let mut cmd = driftwatch_command(dir.path());
    cmd.args(["history", "--format", "json"]);
    let runs = Run::of(&mut cmd).expect_code(0).json();
    let times: Vec<&str> = runs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["checked_at"].as_str().unwrap())
        .collect();
    assert_eq!(times, ["2026-11-29T02:00:00Z", "2026-10-02T02:00:00Z"]);
    // The kept run still makes the next run of its scope "known".
    let report = offline(dir.path(), "2026-11-30T02:00:00Z", &["--format", "json"]).json();
    assert_eq!(report["summary"]["known"], 1, "{report:#}");
    assert_eq!(report["resources"][0]["first_seen"], "2026-10-01T02:00:00Z");
}

#[tokio::test]
async fn a_history_in_s3_is_shared_by_jobs_that_run_at_once_and_none_is_lost() {
    let moto = Moto::start();
    let sqs = moto.sqs().await;
    create(&sqs, "jobs").await;
    moto.driftwatch(&["snapshot", "--kind", Q]).expect_code(0);
    set_visibility(&sqs, "jobs", "60").await;
    moto.s3()
        .await
        .create_bucket()
        .bucket("ci-history")
        .send()
        .await
        .unwrap();
    let history = "s3://ci-history/drift/history.db";
    let args = [
        "check",
        "--kind",
        Q,
        "--history",
        history,
        "--format",
        "json",
    ];
    // The first run creates the object; the next one finds the drift known.
    let first = moto.driftwatch(&args).expect_code(1).json();
    assert_eq!(first["summary"]["new"], 1, "{first:#}");
    let second = moto.driftwatch(&args).expect_code(1).json();
    assert_eq!(second["summary"]["known"], 1, "{second:#}");

    // Four jobs at once: each conditional put that loses the race (412) reads again, so every
    // run lands. moto honours If-Match and If-None-Match on PutObject as S3 does (412
    // PreconditionFailed); the 409 shape is unit-tested in aws::s3.
    let children: Vec<_> = (0..4)
        .map(|_| {
            let mut cmd = driftwatch_command(moto.dir.path());
            cmd.env("AWS_ENDPOINT_URL", &moto.endpoint)
                .args(["-q", "check", "--kind", Q, "--history", history])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert_eq!(c.wait().unwrap().code(), Some(1));
    }
    let runs = moto
        .driftwatch(&["history", "--history", history, "--format", "json"])
        .expect_code(0)
        .json();
    assert_eq!(runs.as_array().unwrap().len(), 6, "{runs:#}");

    // `driftwatch policy` grants reading and writing that object when it is configured.
    std::fs::write(
        moto.path("driftwatch.toml"),
        format!("history = \"{history}\"\n"),
    )
    .unwrap();
    let policy = moto.driftwatch(&["policy"]).expect_code(0).json();
    let statement = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Sid"] == "DriftwatchHistory")
        .unwrap_or_else(|| panic!("{policy:#}"));
    assert_eq!(
        statement["Resource"],
        "arn:aws:s3:::ci-history/drift/history.db"
    );
    assert_eq!(
        statement["Action"],
        serde_json::json!(["s3:GetObject", "s3:PutObject"])
    );
}

/// A run killed at any moment (here: at points spread over a run that records 3,000 findings)
/// leaves a valid database holding whole runs only: SQLite's transaction and WAL, not luck.
/// Where each kill lands varies with the machine; what is asserted holds wherever it lands.
#[test]
fn a_run_killed_at_any_moment_leaves_a_valid_database_of_whole_runs() {
    let dir = tempfile::tempdir().unwrap();
    const N: usize = 3000;
    for (side, seconds) in [("golden", 30), ("actual", 60)] {
        let d = dir.path().join(side).join(Q);
        std::fs::create_dir_all(&d).unwrap();
        for i in 0..N {
            let doc = format!("{{\"QueueName\": \"q{i}\", \"VisibilityTimeout\": {seconds}}}\n");
            std::fs::write(d.join(format!("q{i}.json")), doc).unwrap();
        }
    }
    let run = || {
        let mut cmd = driftwatch_command(dir.path());
        cmd.args(["-q", "check", "--golden", "golden", "--actual", "actual"])
            .args(["--kind", Q, "--history", "drift.db"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        cmd
    };
    // One whole run first, so later kills can land while a previous run is read too; its
    // length places the kills: the database is written at the end of a run, so most land in
    // its last quarter (measured here: a run of 0.6 s is recorded only when killed after 0.5 s).
    let started = std::time::Instant::now();
    assert_eq!(run().status().unwrap().code(), Some(1));
    let whole = started.elapsed();
    for percent in [10, 50, 70, 78, 84, 88, 91, 94, 97, 100, 105] {
        let mut child = run().spawn().unwrap();
        std::thread::sleep(whole * percent / 100);
        let _ = child.kill();
        let _ = child.wait();
    }
    let db = rusqlite::Connection::open(dir.path().join("drift.db")).unwrap();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    drop(db);
    let mut cmd = driftwatch_command(dir.path());
    cmd.args(["history", "--history", "drift.db", "--format", "json"]);
    let before = Run::of(&mut cmd).expect_code(0).json();
    let before = before.as_array().unwrap().clone();
    for r in &before {
        assert_eq!(
            r["findings"].as_u64(),
            Some(N as u64),
            "a partial run: {r:#}"
        );
    }
    // The next run works and sees a previous run: nothing is new.
    assert_eq!(run().status().unwrap().code(), Some(1));
    let mut cmd = driftwatch_command(dir.path());
    cmd.args(["history", "--history", "drift.db", "--format", "json"]);
    let after = Run::of(&mut cmd).expect_code(0).json();
    let after = after.as_array().unwrap();
    assert_eq!(after.len(), before.len() + 1, "{after:#?}");
    let last = after.iter().max_by_key(|r| r["run"].as_u64()).unwrap();
    assert_eq!(last["new"].as_u64(), Some(0), "{last:#}");
}
