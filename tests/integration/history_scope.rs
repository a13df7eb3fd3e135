//! Whose memory history uses: a `--since` report or a database of another account is never
//! "known drift" for this one; a database of a newer driftwatch is refused untouched, one of
//! today's schema is migrated; a history that fails still leaves the reports written.
//!
//! A second account through moto: credentials from `AssumeRole` into `111122223333` reach that
//! account's resources (moto 5 is multi-account; the account follows the access key).

use serde_json::Value;

use crate::harness::{Moto, Run};

const Q: &str = "aws_sqs_queue";
const OTHER: &str = "111122223333";

/// Credentials for `account`, as driftwatch's environment and as an SDK config for seeding.
pub(crate) async fn account(
    moto: &Moto,
    account: &str,
) -> ([(&'static str, String); 3], aws_config::SdkConfig) {
    let sts = aws_sdk_sts::Client::new(&moto.sdk_config().await);
    let out = sts
        .assume_role()
        .role_arn(format!("arn:aws:iam::{account}:role/driftwatch"))
        .role_session_name("test")
        .send()
        .await
        .unwrap();
    let c = out.credentials().unwrap();
    let env = [
        ("AWS_ACCESS_KEY_ID", c.access_key_id().to_string()),
        ("AWS_SECRET_ACCESS_KEY", c.secret_access_key().to_string()),
        ("AWS_SESSION_TOKEN", c.session_token().to_string()),
    ];
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(&moto.endpoint)
        .credentials_provider(aws_sdk_sqs::config::Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_string()),
            None,
            "moto",
        ))
        .load()
        .await;
    (env, config)
}

/// A golden folder taken with `jobs` as created, then `jobs` drifted.
async fn snapshot_then_drift(moto: &Moto) {
    let sqs = moto.sqs().await;
    sqs.create_queue().queue_name("jobs").send().await.unwrap();
    moto.driftwatch(&["snapshot", "--kind", Q]).expect_code(0);
    set_visibility(&sqs).await;
}

/// A queue `jobs` whose visibility timeout drifted from the default (30) to 60.
async fn drifted_queue(sqs: &aws_sdk_sqs::Client) {
    sqs.create_queue().queue_name("jobs").send().await.unwrap();
    set_visibility(sqs).await;
}

async fn set_visibility(sqs: &aws_sdk_sqs::Client) {
    let url = sqs.get_queue_url().queue_name("jobs").send().await.unwrap();
    sqs.set_queue_attributes()
        .queue_url(url.queue_url().unwrap())
        .attributes(
            aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
            "60",
        )
        .send()
        .await
        .unwrap();
}

/// Account A (moto's default) with a golden folder taken before `jobs` drifted, and account B
/// with the very same drift: the same finding, fingerprint and all, in two accounts.
async fn two_accounts_with_the_same_drift(moto: &Moto) -> Vec<(&'static str, String)> {
    let sqs = moto.sqs().await;
    sqs.create_queue().queue_name("jobs").send().await.unwrap();
    moto.driftwatch(&["snapshot", "--kind", Q]).expect_code(0);
    sqs.delete_queue()
        .queue_url(
            sqs.get_queue_url()
                .queue_name("jobs")
                .send()
                .await
                .unwrap()
                .queue_url()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    drifted_queue(&sqs).await;
    let (env, config) = account(moto, OTHER).await;
    drifted_queue(&aws_sdk_sqs::Client::new(&config)).await;
    env.into_iter().collect()
}

fn as_env(env: &[(&'static str, String)], more: &[(&'static str, &str)]) -> Vec<(String, String)> {
    env.iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .chain(more.iter().map(|(k, v)| (k.to_string(), v.to_string())))
        .collect()
}

fn run_as(moto: &Moto, env: &[(String, String)], args: &[&str]) -> Run {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    moto.driftwatch_with_env(args, &env)
}

fn read_json(moto: &Moto, file: &str) -> Value {
    serde_json::from_slice(&std::fs::read(moto.path(file)).unwrap()).unwrap()
}

#[tokio::test]
async fn a_since_report_of_another_account_is_an_error_not_known_drift() {
    let moto = Moto::start();
    let b = two_accounts_with_the_same_drift(&moto).await;
    // Account A's nightly report: `jobs` drifted, new.
    let a_night = [("DRIFTWATCH_NOW", "2026-11-21T02:00:00Z")];
    moto.driftwatch_with_env(
        &[
            "check",
            "--kind",
            Q,
            "--since",
            "none.json",
            "--report",
            "json=a.json",
        ],
        &a_night,
    )
    .expect_code(1);
    assert_eq!(
        read_json(&moto, "a.json")["accounts"][0]["account"],
        "123456789012"
    );

    // Account B checked against A's report (one golden folder for both: --any-account): its
    // drift is not "known" from another account's memory. Exit 2, naming both, and the report
    // is still written with the error in it.
    let env = as_env(&b, &[("DRIFTWATCH_NOW", "2026-11-22T02:00:00Z")]);
    let args = [
        "check",
        "--kind",
        Q,
        "--any-account",
        "--since",
        "a.json",
        "--fail-on",
        "new",
        "--report",
        "json=b.json",
    ];
    let run = run_as(&moto, &env, &args).expect_code(2);
    assert!(run.stderr.contains("a.json"), "{}", run.stderr);
    assert!(
        run.stderr.contains("account 123456789012"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("account {OTHER}")),
        "{}",
        run.stderr
    );
    let report = read_json(&moto, "b.json");
    assert_eq!(report["accounts"][0]["account"], OTHER, "{report:#}");
    let errors = report["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e["message"].as_str().unwrap().contains("a.json")),
        "{report:#}"
    );

    // A's own report still makes A's drift known.
    let run = moto
        .driftwatch_with_env(
            &[
                "check",
                "--kind",
                Q,
                "--since",
                "a.json",
                "--fail-on",
                "new",
                "--format",
                "json",
            ],
            &[("DRIFTWATCH_NOW", "2026-11-22T02:00:00Z")],
        )
        .expect_code(0);
    assert_eq!(run.json()["summary"]["known"], 1);
}

#[tokio::test]
async fn a_database_used_for_two_accounts_keeps_each_accounts_memory_apart() {
    let moto = Moto::start();
    let b = two_accounts_with_the_same_drift(&moto).await;
    let args = [
        "check",
        "--kind",
        Q,
        "--any-account",
        "--history",
        "drift.db",
        "--fail-on",
        "new",
        "--format",
        "json",
    ];
    let a = moto.driftwatch(&args).expect_code(1).json();
    assert_eq!(a["summary"]["new"], 1, "{a:#}");
    // B's drift is new to B, whatever A found.
    let env = as_env(&b, &[]);
    let report = run_as(&moto, &env, &args).expect_code(1).json();
    assert_eq!(report["summary"]["new"], 1, "{report:#}");
    assert_eq!(report["resources"][0]["new"], true, "{report:#}");
    // And A's memory is A's own: B's run in between changes nothing for A.
    let a = moto.driftwatch(&args).expect_code(0).json();
    assert_eq!(a["summary"]["known"], 1, "{a:#}");
    let b_again = run_as(&moto, &env, &args).expect_code(0).json();
    assert_eq!(b_again["summary"]["known"], 1, "{b_again:#}");
    // The rows say whose they are.
    let db = rusqlite::Connection::open(moto.path("drift.db")).unwrap();
    let accounts: Vec<String> = db
        .prepare("SELECT DISTINCT account FROM findings ORDER BY account")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(accounts, ["111122223333", "123456789012"]);
}

fn user_version(path: &std::path::Path) -> i64 {
    let db = rusqlite::Connection::open(path).unwrap();
    db.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[tokio::test]
async fn a_database_of_a_newer_driftwatch_is_refused_untouched_and_the_report_still_written() {
    let moto = Moto::start();
    snapshot_then_drift(&moto).await;
    let args = [
        "check",
        "--kind",
        Q,
        "--history",
        "drift.db",
        "--format",
        "json",
    ];
    moto.driftwatch(&args).expect_code(1);
    let path = moto.path("drift.db");
    {
        let db = rusqlite::Connection::open(&path).unwrap();
        db.pragma_update(None, "user_version", 9).unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();
    let run = moto
        .driftwatch(&[
            "check",
            "--kind",
            Q,
            "--history",
            "drift.db",
            "--report",
            "json=r.json",
        ])
        .expect_code(2);
    for said in ["drift.db", "version 9", "version 2"] {
        assert!(run.stderr.contains(said), "{said}: {}", run.stderr);
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "the database was changed"
    );
    assert_eq!(user_version(&path), 9);
    // The report is written all the same, the history error among its errors.
    let report = read_json(&moto, "r.json");
    assert_eq!(report["summary"]["modified"], 1, "{report:#}");
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("version 9"), "{report:#}");

    // The read-only `history` command refuses it too, and leaves it alone.
    let run = moto
        .driftwatch(&["history", "--history", "drift.db"])
        .expect_code(2);
    assert!(run.stderr.contains("version 9"), "{}", run.stderr);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "the database was changed"
    );
}

#[tokio::test]
async fn a_history_in_s3_that_cannot_be_read_still_leaves_the_reports() {
    let moto = Moto::start();
    snapshot_then_drift(&moto).await;
    let run = moto
        .driftwatch(&[
            "check",
            "--kind",
            Q,
            "--history",
            "s3://no-such-bucket/drift.db",
            "--report",
            "json=r.json",
            "--report",
            "markdown=r.md",
        ])
        .expect_code(2);
    assert!(run.stderr.contains("no-such-bucket"), "{}", run.stderr);
    let report = read_json(&moto, "r.json");
    assert_eq!(report["summary"]["modified"], 1, "{report:#}");
    assert_eq!(report["summary"]["errors"], 1, "{report:#}");
    assert!(
        report["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no-such-bucket"),
        "{report:#}"
    );
    assert!(std::fs::read_to_string(moto.path("r.md"))
        .unwrap()
        .contains("no-such-bucket"));
}

/// `tests/fixtures/history/v1.db` was written by driftwatch 34947e8 (schema version 1):
/// `check --golden golden --actual actual --kind aws_sqs_queue --history v1.db` at
/// 2026-11-01T02:00:00Z, `jobs` with a visibility timeout of 60 against the default.
#[tokio::test]
async fn a_database_of_todays_schema_is_migrated_and_its_runs_still_count() {
    let moto = Moto::start();
    snapshot_then_drift(&moto).await;
    let path = moto.path("drift.db");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/history/v1.db"),
        &path,
    )
    .unwrap();
    assert_eq!(user_version(&path), 1);
    let run = moto
        .driftwatch_with_env(
            &[
                "check",
                "--kind",
                Q,
                "--history",
                "drift.db",
                "--fail-on",
                "new",
                "--format",
                "json",
            ],
            &[("DRIFTWATCH_NOW", "2026-11-02T02:00:00Z")],
        )
        .expect_code(0);
    // The run recorded before the upgrade is the previous run (it records no account: a warning).
    let report = run.json();
    assert_eq!(report["summary"]["known"], 1, "{report:#}");
    assert_eq!(report["resources"][0]["first_seen"], "2026-11-01T02:00:00Z");
    assert!(run.stderr.contains("records no account"), "{}", run.stderr);
    assert_eq!(user_version(&path), 2);
    let db = rusqlite::Connection::open(&path).unwrap();
    let rows: Vec<(String, Option<String>)> = db
        .prepare("SELECT checked_at, owner FROM runs ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0].1, None);
    assert!(
        rows[1].1.as_deref().unwrap().contains("123456789012"),
        "{rows:?}"
    );
    drop(db);
    // `driftwatch history` reads both runs.
    let runs = moto
        .driftwatch(&["history", "--history", "drift.db", "--format", "json"])
        .expect_code(0)
        .json();
    assert_eq!(runs.as_array().unwrap().len(), 2, "{runs:#}");
}
