//! The golden folder is never damaged and never misread: links are not followed, ids cannot
//! escape their folder, names that are not ours are errors, modes are kept, interrupted
//! snapshots leave no temp files, and a folder of another account or region is refused.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::harness::{driftwatch_command, Moto, Run};
use crate::seed::{backend, register};

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

async fn queue(moto: &Moto, name: &str) {
    moto.sqs()
        .await
        .create_queue()
        .queue_name(name)
        .send()
        .await
        .unwrap();
}

/// Every file under `dir`, relative, sorted (links listed, not followed).
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let t = e.file_type().unwrap();
            if t.is_dir() {
                stack.push(e.path());
            } else {
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                out.push(rel);
            }
        }
    }
    out.sort();
    out
}

#[tokio::test]
async fn snapshot_never_deletes_through_a_link_and_check_never_invents_missing() {
    let moto = Moto::start();
    queue(&moto, "jobs").await;
    moto.driftwatch(&["snapshot"]).expect_code(0);

    // A link to a folder outside, holding a file that looks like a golden file.
    let outside = moto.path("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("precious.json"), "{}").unwrap();
    std::os::unix::fs::symlink("../../outside", moto.path("golden/aws_sqs_queue/shared")).unwrap();
    let before = tree(&moto.path("golden"));

    let run = moto.driftwatch(&["snapshot"]).expect_code(2);
    assert!(
        run.stderr.contains("aws_sqs_queue/shared"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert!(
        outside.join("precious.json").exists(),
        "nothing outside is removed"
    );
    assert_eq!(
        tree(&moto.path("golden")),
        before,
        "nothing inside is changed"
    );

    // A loop: check names it instead of reporting invented `missing` resources.
    std::fs::remove_file(moto.path("golden/aws_sqs_queue/shared")).unwrap();
    std::os::unix::fs::symlink(".", moto.path("golden/aws_sqs_queue/loop")).unwrap();
    let run = moto
        .driftwatch(&["check", "--format", "json"])
        .expect_code(2);
    assert!(run.stderr.contains("aws_sqs_queue/loop"), "{}", run.stderr);
    assert!(!run.stdout.contains("missing\""), "{}", run.stdout);
}

#[tokio::test]
async fn hostile_ids_stay_in_their_folder_and_read_back() {
    // moto accepts names AWS rejects; an AWS-compatible server or a future kind may too.
    let moto = Moto::start();
    let iam = moto.iam().await;
    for name in ["../../../../escaped", "..", ".hidden", "100%"] {
        iam.create_role()
            .role_name(name)
            .assume_role_policy_document(TRUST)
            .send()
            .await
            .unwrap();
    }
    let ecs = moto.ecs().await;
    register(&ecs, &backend()).await;
    crate::seed::cluster(&ecs, "..").await;
    crate::seed::service(&ecs, "..", "api", "retainwise-backend").await;

    moto.driftwatch(&[
        "snapshot",
        "--kind",
        "aws_iam_role",
        "--kind",
        "aws_ecs_service",
    ])
    .expect_code(0);
    let files = tree(&moto.path("golden"));
    for f in [
        "aws_iam_role/%2E./%2E./%2E./%2E./escaped.json",
        "aws_iam_role/%2E..json",
        "aws_iam_role/%2Ehidden.json",
        "aws_iam_role/100%25.json",
        "aws_ecs_service/%2E./api.json",
    ] {
        assert!(files.contains(&f.to_string()), "{f} not in {files:#?}");
    }
    // The old layout wrote `golden/aws_iam_role/../../../../escaped.json`, i.e. `/escaped.json`.
    assert!(!Path::new("/escaped.json").exists());
    assert_eq!(
        tree(moto.dir.path())
            .iter()
            .filter(|f| !f.starts_with("golden/"))
            .count(),
        0
    );
    assert!(
        files
            .iter()
            .all(|f| !f.starts_with('.') && !f.contains("/.")),
        "{files:#?}"
    );

    // Read back: every id decodes to itself, so the account is in sync with its snapshot.
    let report = moto
        .driftwatch(&[
            "check",
            "--kind",
            "aws_iam_role",
            "--kind",
            "aws_ecs_service",
            "--format",
            "json",
        ])
        .expect_code(0)
        .json();
    let ids: Vec<&str> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for id in ["../../../../escaped", "..", ".hidden", "100%", "../api"] {
        assert!(ids.contains(&id), "{id} not in {ids:?}");
    }
}

#[test]
fn names_that_are_not_ours_and_kind_files_are_errors() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let kind = dir.path().join("golden/aws_sqs_queue");
    std::fs::create_dir_all(&kind).unwrap();
    let bad = kind.join(std::ffi::OsStr::from_bytes(b"jobs-\xff.json"));
    std::fs::write(&bad, "{}").unwrap();
    let mut cmd = driftwatch_command(dir.path());
    cmd.args(["check", "--actual", "golden"]);
    let run = Run::of(&mut cmd).expect_code(2);
    assert!(run.stderr.contains("aws_sqs_queue/jobs-"), "{}", run.stderr);
    assert!(run.stderr.contains("not UTF-8"), "{}", run.stderr);
    std::fs::remove_file(&bad).unwrap();

    std::fs::write(dir.path().join("golden/aws_iam_role"), "{}").unwrap();
    let mut cmd = driftwatch_command(dir.path());
    cmd.args(["check", "--actual", "golden"]);
    let run = Run::of(&mut cmd).expect_code(2);
    assert!(run.stderr.contains("golden/aws_iam_role"), "{}", run.stderr);
    assert!(run.stderr.contains("is a file"), "{}", run.stderr);
}

#[tokio::test]
async fn rewritten_files_keep_their_mode_and_new_ones_follow_the_umask() {
    let moto = Moto::start();
    queue(&moto, "jobs").await;
    moto.driftwatch(&["snapshot"]).expect_code(0);
    let jobs = moto.path("golden/aws_sqs_queue/jobs.json");
    std::fs::set_permissions(&jobs, std::fs::Permissions::from_mode(0o644)).unwrap();
    let sqs = moto.sqs().await;
    let url = sqs.get_queue_url().queue_name("jobs").send().await.unwrap();
    sqs.set_queue_attributes()
        .queue_url(url.queue_url().unwrap())
        .attributes(
            aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
            "99",
        )
        .send()
        .await
        .unwrap();
    queue(&moto, "fresh").await;
    moto.driftwatch(&["snapshot"]).expect_code(0);
    assert!(std::fs::read_to_string(&jobs).unwrap().contains("99"));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&jobs), 0o644, "a rewritten file keeps its mode");
    let reference = moto.path("reference");
    std::fs::File::create(&reference).unwrap();
    let fresh = moto.path("golden/aws_sqs_queue/fresh.json");
    assert_eq!(
        mode(&fresh),
        mode(&reference),
        "a new file follows the umask"
    );
}

#[tokio::test]
async fn a_folder_of_another_region_or_account_is_refused() {
    let moto = Moto::start();
    queue(&moto, "jobs").await;
    moto.driftwatch(&["snapshot"]).expect_code(0);
    let record = moto.path("golden/source.json");
    let text = std::fs::read_to_string(&record).unwrap();
    // The account and region, and the kinds the folder now holds whole (every kind was
    // snapshotted): a resource of them with no file does not exist there.
    assert_eq!(
        text,
        "{\n  \"account\": \"123456789012\",\n  \"kinds\": [\n    \"aws_ecs_task_definition\",\n    \
         \"aws_ecs_service\",\n    \"aws_iam_role\",\n    \"aws_iam_policy\",\n    \"aws_sqs_queue\",\n    \
         \"aws_security_group\",\n    \"aws_ecr_repository\",\n    \"aws_cloudwatch_log_group\",\n    \"aws_secretsmanager_secret\",\n    \"aws_ssm_parameter\",\n    \"aws_s3_bucket\",\n    \"aws_dynamodb_table\",\n    \"aws_lb\",\n    \
         \"aws_lb_target_group\",\n    \"aws_lb_listener\",\n    \"aws_lb_listener_rule\",\n    \
         \"aws_db_instance\",\n    \"aws_rds_cluster\",\n    \"aws_db_parameter_group\",\n    \
         \"aws_db_subnet_group\"\n  ],\n  \"partition\": \"aws\",\n  \"region\": \"us-east-1\"\n}\n"
    );
    let before = tree(&moto.path("golden"));

    // Another region: snapshot would have emptied the folder; now it refuses and writes nothing.
    let run = moto
        .driftwatch(&["snapshot", "--region", "eu-west-1"])
        .expect_code(2);
    assert!(run.stderr.contains("region us-east-1"), "{}", run.stderr);
    assert!(run.stderr.contains("region eu-west-1"), "{}", run.stderr);
    assert_eq!(tree(&moto.path("golden")), before);
    assert_eq!(std::fs::read_to_string(&record).unwrap(), text);
    let run = moto
        .driftwatch(&["check", "--region", "eu-west-1"])
        .expect_code(2);
    assert!(run.stderr.contains("--any-account"), "{}", run.stderr);
    // Intended: compare anyway (the queue is missing in eu-west-1).
    moto.driftwatch(&["check", "--region", "eu-west-1", "--any-account"])
        .expect_code(1);
    // IAM is global: another region is the same IAM.
    moto.driftwatch(&["check", "--region", "eu-west-1", "--kind", "aws_iam_role"])
        .expect_code(0);

    // Another account: the folder says it was taken elsewhere.
    std::fs::write(&record, text.replace("123456789012", "111122223333")).unwrap();
    let run = moto.driftwatch(&["check"]).expect_code(2);
    assert!(
        run.stderr.contains("account 111122223333"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("account 123456789012"),
        "{}",
        run.stderr
    );

    // A folder without a record still works, with a warning.
    std::fs::remove_file(&record).unwrap();
    let run = moto.driftwatch(&["check"]).expect_code(0);
    assert!(run.stderr.contains("source.json"), "{}", run.stderr);
    // An unchanged account changes no byte of the record.
    moto.driftwatch(&["snapshot"]).expect_code(0);
    moto.driftwatch(&["snapshot"]).expect_code(0);
    assert_eq!(std::fs::read_to_string(&record).unwrap(), text);
}

#[tokio::test]
async fn an_interrupted_snapshot_leaves_no_temp_files_and_every_file_old_or_new() {
    let moto = Moto::start();
    for i in 0..60 {
        queue(&moto, &format!("q{i:03}")).await;
    }
    moto.driftwatch(&["snapshot"]).expect_code(0);
    let sqs = moto.sqs().await;
    for i in 0..60 {
        let url = sqs
            .get_queue_url()
            .queue_name(format!("q{i:03}"))
            .send()
            .await
            .unwrap();
        sqs.set_queue_attributes()
            .queue_url(url.queue_url().unwrap())
            .attributes(aws_sdk_sqs::types::QueueAttributeName::DelaySeconds, "7")
            .send()
            .await
            .unwrap();
    }
    // Signals at increasing delays: early ones land in the fetch, later ones in the writes.
    let mut interrupted = 0;
    for step in 0..40u64 {
        let mut cmd = driftwatch_command(moto.dir.path());
        cmd.env("AWS_ENDPOINT_URL", &moto.endpoint)
            .args(["snapshot", "--kind", "aws_sqs_queue"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        let child = cmd.spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20 * step));
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let out = child.wait_with_output().unwrap();
        let code = out.status.code();
        let stderr = String::from_utf8_lossy(&out.stderr);
        // None: the signal came before the handlers were installed (nothing written yet).
        assert!(
            matches!(code, Some(143) | Some(0) | None),
            "exit {code:?}\n{stderr}"
        );
        let files = tree(&moto.path("golden"));
        assert!(
            files.iter().all(|f| !f.contains(".driftwatch-")),
            "temp files left: {files:#?}"
        );
        for f in files.iter().filter(|f| f.ends_with(".json")) {
            let text = std::fs::read_to_string(moto.path(&format!("golden/{f}"))).unwrap();
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("{f} is not whole: {e}"));
        }
        match code {
            Some(143) => {
                interrupted += 1;
                assert!(stderr.contains("interrupted by SIGTERM"), "{stderr}");
            }
            Some(0) => break,
            _ => {}
        }
    }
    assert!(interrupted > 0, "no run was interrupted");
}

#[test]
fn ctrl_c_stops_a_run_waiting_for_a_state_on_stdin() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("golden")).unwrap();
    let mut child = waiting_for_stdin(dir.path(), &["-v"]);
    // Synchronised on what the run says just before it waits (its handlers are installed by
    // then), not on a sleep: a signal parked in the flag must still end the wait.
    wait_until_said(&mut child, "reading a Terraform state from stdin");
    interrupt(&child);
    assert_eq!(exit_within(&mut child, 10), Some(130));
}

#[test]
fn ctrl_c_as_early_as_possible_always_ends_a_run_reading_stdin() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("golden")).unwrap();
    for _ in 0..8 {
        let mut child = waiting_for_stdin(dir.path(), &[]);
        interrupt(&child);
        // 130: seen by the handler; none (killed by SIGINT): it came before the handler.
        let code = exit_within(&mut child, 10);
        assert!(matches!(code, Some(130) | None), "exit {code:?}");
    }
}

#[test]
fn ctrl_c_stops_a_run_waiting_for_the_history_database() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("golden")).unwrap();
    let run = |extra: &[&str]| {
        let mut cmd = driftwatch_command(dir.path());
        cmd.args([
            "check",
            "--state",
            "-",
            "--actual",
            "golden",
            "--history",
            "h.db",
        ])
        .args(extra)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(br#"{"version": 4, "resources": []}"#)
            .unwrap();
        drop(stdin);
        child
    };
    let mut first = run(&[]);
    assert_eq!(exit_within(&mut first, 60), Some(0));
    // Another run holds the write lock for as long as this test needs.
    let other = rusqlite::Connection::open(dir.path().join("h.db")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut child = run(&["-v"]);
    // Synchronised on what the run says as it starts waiting for the lock.
    wait_until_said(&mut child, "history database is busy");
    interrupt(&child);
    assert_eq!(exit_within(&mut child, 10), Some(130));
}

/// Returns once the child's stderr has a line holding `what` (it reads the rest on a thread);
/// kills it and fails the test when 30 s pass without one.
fn wait_until_said(child: &mut std::process::Child, what: &str) {
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    loop {
        match rx.recv_timeout(std::time::Duration::from_secs(30)) {
            Ok(line) if line.contains(what) => return,
            Ok(_) => {}
            Err(_) => {
                let _ = child.kill();
                panic!("the run never said {what:?}");
            }
        }
    }
}

/// `check --state -` with nothing ever written to its stdin (held open).
fn waiting_for_stdin(dir: &std::path::Path, extra: &[&str]) -> std::process::Child {
    let mut cmd = driftwatch_command(dir);
    cmd.args(["check", "--state", "-", "--actual", "golden"])
        .args(extra)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    cmd.spawn().unwrap()
}

fn interrupt(child: &std::process::Child) {
    let _ = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
}

/// The exit code (`None` when killed by a signal); fails if the run is still going after
/// `secs` seconds.
fn exit_within(child: &mut std::process::Child, secs: u64) -> Option<i32> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        if std::time::Instant::now() >= deadline {
            let _ = child.kill();
            panic!("still running after SIGINT");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
