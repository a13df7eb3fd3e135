//! The golden folder's writer lock: a second `snapshot` or `accept` into a folder being written
//! waits for the first (or exits 2 naming it), so the folder is always one run's output; `check`
//! reads on; a writer killed with SIGKILL leaves no lock behind.

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{driftwatch_command, files, FaultProxy, Moto};

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// A role and a queue, snapshotted into golden/ (the file keeps every run to these two kinds).
async fn seeded() -> Moto {
    let moto = Moto::start();
    std::fs::write(
        moto.path("driftwatch.toml"),
        "kinds = [\"aws_sqs_queue\", \"aws_iam_role\"]\n",
    )
    .unwrap();
    moto.iam()
        .await
        .create_role()
        .role_name("app")
        .assume_role_policy_document(TRUST)
        .send()
        .await
        .unwrap();
    let sqs = moto.sqs().await;
    sqs.create_queue().queue_name("jobs").send().await.unwrap();
    moto.driftwatch(&["snapshot"]).expect_code(0);
    moto
}

/// Starts `snapshot` through `proxy` (where IAM never answers) and returns once it has staged
/// the queues: it then holds golden/ and is in the middle of writing it.
fn snapshot_in_the_middle(moto: &Moto, proxy: &FaultProxy, extra: &[&str]) -> Child {
    let mut cmd = driftwatch_command(moto.dir.path());
    cmd.env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .args(extra)
        .arg("snapshot")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let child = cmd.spawn().unwrap();
    let give_up = Instant::now() + Duration::from_secs(60);
    let queues = moto.path("golden/aws_sqs_queue");
    while !files(&queues).keys().any(|n| n.starts_with(".driftwatch-")) {
        assert!(
            Instant::now() < give_up,
            "the snapshot never staged a queue"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

#[tokio::test]
async fn a_second_writer_waits_for_the_first_and_the_folder_is_one_runs_output() {
    let moto = seeded().await;
    let sqs = moto.sqs().await;
    let jobs = sqs.get_queue_url().queue_name("jobs").send().await.unwrap();
    let jobs = jobs.queue_url().unwrap();
    sqs.set_queue_attributes()
        .queue_url(jobs)
        .attributes(
            aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
            "60",
        )
        .send()
        .await
        .unwrap();
    // The first snapshot stages the changed queue, then waits 5 s for IAM, which never answers: it
    // then puts what it has in place (the roles fail: exit 2).
    let proxy = FaultProxy::start(&moto, &["--hang", "GetAccountAuthorizationDetails"]);
    let first = snapshot_in_the_middle(&moto, &proxy, &["--timeout", "5", "--max-attempts", "1"]);
    let holder = format!("driftwatch pid {} (snapshot)", first.id());
    // Meanwhile the account changes: what the first run staged is already out of date (without
    // the lock, the first run's late commit put the deleted queue's file back).
    sqs.delete_queue().queue_url(jobs).send().await.unwrap();
    sqs.create_queue().queue_name("later").send().await.unwrap();

    // A writer that does not wait is told who holds the folder; so is `accept`.
    let refused = moto
        .driftwatch(&["snapshot", "--lock-timeout", "0"])
        .expect_code(2);
    assert!(
        refused
            .stderr
            .contains("golden folder golden is being written by")
            && refused.stderr.contains(&holder),
        "{}",
        refused.stderr
    );
    let refused = moto
        .driftwatch(&["accept", "--lock-timeout", "0", "aws_sqs_queue:*"])
        .expect_code(2);
    assert!(refused.stderr.contains(&holder), "{}", refused.stderr);
    // A reader takes no lock.
    let check = moto.driftwatch(&["check", "--no-checks", "--kind", "aws_sqs_queue"]);
    assert_eq!(check.code, 1, "{}", check.stderr);

    // A writer that waits (10 s by default) starts once the first is done, and its output is
    // the whole folder: no queue file of the first run's is left.
    let second = moto.driftwatch(&["snapshot"]).expect_code(0);
    assert!(
        second.stderr.contains(&holder) && second.stderr.contains("waiting up to 10 s"),
        "{}",
        second.stderr
    );
    let out = first.wait_with_output().unwrap();
    let first_stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{first_stderr}");
    assert!(
        first_stderr.contains("could not snapshot aws_iam_role"),
        "{first_stderr}"
    );
    assert!(
        !moto.path("golden/aws_sqs_queue/jobs.json").exists(),
        "the first run's late commit brought the deleted queue back"
    );
    moto.driftwatch(&["snapshot", "--out", "fresh"])
        .expect_code(0);
    assert_eq!(files(&moto.path("golden")), files(&moto.path("fresh")));
    assert!(!moto.path("golden/.driftwatch.lock").exists());
}

#[tokio::test]
async fn a_writer_killed_with_sigkill_leaves_no_lock_behind() {
    let moto = seeded().await;
    moto.sqs()
        .await
        .create_queue()
        .queue_name("new")
        .send()
        .await
        .unwrap();
    let proxy = FaultProxy::start(&moto, &["--hang", "GetAccountAuthorizationDetails"]);
    let mut killed = snapshot_in_the_middle(&moto, &proxy, &[]);
    let pid = killed.id();
    let _ = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status();
    killed.wait().unwrap();
    // The crash leaves the lock file (and its temp files), not the lock: the kernel released it.
    let lock = std::fs::read_to_string(moto.path("golden/.driftwatch.lock")).unwrap();
    assert!(
        lock.contains(&format!("driftwatch pid {pid} (snapshot)")),
        "{lock}"
    );
    let started = Instant::now();
    let next = moto.driftwatch(&["snapshot"]).expect_code(0);
    assert!(!next.stderr.contains("waiting"), "{}", next.stderr);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(moto.path("golden/aws_sqs_queue/new.json").exists());
    assert!(!moto.path("golden/.driftwatch.lock").exists());
    moto.driftwatch(&["check", "--no-checks"]).expect_code(0);
}
