//! What a cron job, a CI step and a pipe see: `-q` is silent only when all is well; the report
//! goes to stdout and diagnostics to stderr in every format; a missing credential is said once;
//! a closed pipe is a normal end.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::harness::{driftwatch_command, Moto, Run};
use crate::seed::{backend, register};

const TD: &str = "aws_ecs_task_definition";

/// A moto account with the backend task definition, snapshotted into `golden/`.
async fn snapshotted() -> Moto {
    let moto = Moto::start();
    register(&moto.ecs().await, &backend()).await;
    moto.driftwatch(&["snapshot", "--kind", TD]).expect_code(0);
    moto
}

/// After [`snapshotted`]: the backend's environment changed and a queue created by hand.
async fn drifted() -> Moto {
    let moto = snapshotted().await;
    let mut td = backend();
    td.containers[0].env[0].1 = "false".into(); // ENABLE_SQS=false
    register(&moto.ecs().await, &td).await;
    moto.sqs()
        .await
        .create_queue()
        .queue_name("tmp-debug-queue")
        .send()
        .await
        .unwrap();
    moto
}

#[tokio::test]
async fn quiet_in_sync_prints_nothing_at_all() {
    let moto = snapshotted().await;
    let run = moto
        .driftwatch(&["-q", "check", "--no-checks"])
        .expect_code(0);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    let run = moto
        .driftwatch(&["-q", "check", "--no-checks", "--report", "json=drift.json"])
        .expect_code(0);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    assert!(
        moto.path("drift.json").is_file(),
        "the report is still written"
    );
    let run = moto.driftwatch(&["-q", "snapshot"]).expect_code(0);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
}

#[tokio::test]
async fn quiet_with_drift_prints_the_summary_and_a_line_per_finding() {
    let moto = drifted().await;
    // The README's cron line: the mail is these lines, the full report is in the file.
    let run = moto
        .driftwatch(&["-q", "check", "--no-checks", "--report", "json=drift.json"])
        .expect_code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "driftwatch: drift found: 1 modified, 1 unmanaged, 0 in sync \
             (1 expected resources compared with live (us-east-1))",
            "modified aws_ecs_task_definition retainwise-backend \
             (golden/aws_ecs_task_definition/retainwise-backend.json): 1 change",
            "unmanaged aws_sqs_queue tmp-debug-queue: found in live (us-east-1), not described \
             in golden/",
        ],
        "{}",
        run.stdout
    );
    assert_eq!(run.stderr, "");
    assert!(moto.path("drift.json").is_file());
    // The same lines when the report goes to a file with --output.
    let run = moto
        .driftwatch(&[
            "-q",
            "check",
            "--no-checks",
            "--format",
            "json",
            "--output",
            "d.json",
        ])
        .expect_code(1);
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), lines);
}

/// The harness's command without any AWS credentials (nor a way to find some).
fn without_credentials(dir: &std::path::Path) -> Command {
    let mut cmd = driftwatch_command(dir);
    for var in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

fn with_golden() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("golden")).unwrap();
    // As `snapshot` leaves it: with the record of its account (no warning about a missing one).
    std::fs::write(
        dir.path().join("golden/source.json"),
        "{\n  \"account\": \"123456789012\",\n  \"partition\": \"aws\",\n  \"region\": \"us-east-1\"\n}\n",
    )
    .unwrap();
    dir
}

const NO_CREDENTIALS: &str = "driftwatch: error: no AWS credentials found: set AWS_PROFILE";

#[test]
fn no_credentials_is_one_line_that_says_so_first_and_what_to_do() {
    let dir = with_golden();
    for args in [
        &["check"][..],
        &["-q", "check"],
        &["check", "--format", "json"],
        &["snapshot"],
        &["-q", "snapshot"],
    ] {
        let run = Run::of(without_credentials(dir.path()).args(args)).expect_code(2);
        assert_eq!(run.stdout, "", "{args:?}");
        assert_eq!(run.stderr.lines().count(), 1, "{args:?}: {}", run.stderr);
        assert!(run.stderr.starts_with(NO_CREDENTIALS), "{}", run.stderr);
        assert!(run.stderr.contains("AWS_ACCESS_KEY_ID"), "{}", run.stderr);
    }
}

#[test]
fn no_region_and_no_credentials_are_both_said_credentials_first() {
    let dir = with_golden();
    let mut cmd = without_credentials(dir.path());
    cmd.env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .arg("check");
    let run = Run::of(&mut cmd).expect_code(2);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.starts_with(NO_CREDENTIALS), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("; and no AWS region configured: pass --region"),
        "{}",
        run.stderr
    );
}

#[test]
fn targets_without_credentials_say_each_cause_once() {
    let dir = with_golden();
    std::fs::write(
        dir.path().join("driftwatch.toml"),
        "[[targets]]\nname = \"us\"\nregion = \"us-east-1\"\n\
         [[targets]]\nname = \"eu\"\nregion = \"eu-west-1\"\n\
         [[targets]]\nname = \"staging\"\nprofile = \"staging\"\n",
    )
    .unwrap();
    // An AWS config file without the `staging` profile.
    let aws_config = dir.path().join("aws-config");
    std::fs::write(&aws_config, "[profile other]\nregion = us-east-1\n").unwrap();
    let mut cmd = without_credentials(dir.path());
    cmd.env("AWS_CONFIG_FILE", &aws_config).arg("check");
    let run = Run::of(&mut cmd).expect_code(2);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert!(
        lines[0].starts_with(
            "driftwatch: error: targets us, eu: no AWS credentials found: set AWS_PROFILE"
        ),
        "{}",
        run.stderr
    );
    assert!(
        lines[1].starts_with(
            "driftwatch: error: target staging: no AWS credentials found: profile `staging`"
        ),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn on_github_actions_stdout_is_the_json_report_and_annotations_go_to_stderr() {
    let moto = drifted().await;
    let run = moto
        .driftwatch_with_env(
            &["check", "--no-checks", "--format", "json"],
            &[("GITHUB_ACTIONS", "true")],
        )
        .expect_code(1);
    assert_eq!(run.json()["summary"]["modified"], 1);
    let annotations: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(annotations.len(), 2, "{}", run.stderr);
    assert!(
        annotations[0]
            .starts_with("::error file=golden/aws_ecs_task_definition/retainwise-backend.json,"),
        "{}",
        run.stderr
    );
}

#[test]
fn errors_go_to_stderr_and_the_console_report_to_stdout() {
    let dir = with_golden();
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", l.local_addr().unwrap());
    drop(l);
    let mut cmd = driftwatch_command(dir.path());
    cmd.args(["check", "--kind", TD, "--kind", "aws_sqs_queue"])
        .args(["--endpoint-url", &endpoint]);
    let run = Run::of(&mut cmd).expect_code(2);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(
        run.stdout
            .starts_with("driftwatch: could not check everything"),
        "{}",
        run.stdout
    );
    let errors: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(
        errors[0].starts_with("driftwatch: error: could not check aws_ecs_task_definition: "),
        "{}",
        run.stderr
    );
    assert!(
        errors.iter().all(|e| e.contains("check the network")),
        "each says what to do: {}",
        run.stderr
    );
}

/// Two snapshot folders with one difference: `diff a b` drifts offline.
fn folders() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (side, cpu) in [("a", "256"), ("b", "512")] {
        let kind = dir.path().join(side).join(TD);
        std::fs::create_dir_all(&kind).unwrap();
        let doc = serde_json::json!({"family": "web", "cpu": cpu,
            "containerDefinitions": [{"name": "web", "image": "nginx"}]});
        std::fs::write(kind.join("web.json"), doc.to_string()).unwrap();
    }
    dir
}

/// Runs `args` with stdout a pipe whose reader is gone, or (with `read`) one that reads that
/// many bytes and then closes, as `| head -c N` does. Returns the exit code and stderr.
fn closed_stdout(dir: &std::path::Path, args: &[&str], read: Option<usize>) -> (i32, String) {
    let mut cmd = driftwatch_command(dir);
    cmd.args(args).stderr(Stdio::piped());
    let mut child = match read {
        None => {
            let (reader, writer) = std::io::pipe().unwrap();
            drop(reader);
            cmd.stdout(writer).spawn().unwrap()
        }
        Some(n) => {
            let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
            let mut stdout = child.stdout.take().unwrap();
            let _ = stdout.read_exact(&mut vec![0; n]);
            child
        }
    };
    drop(cmd);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    let code = status
        .code()
        .unwrap_or_else(|| panic!("{args:?} killed by a signal: {status:?}\n{stderr}"));
    (code, stderr)
}

#[test]
fn a_closed_pipe_is_a_quiet_end_never_a_panic() {
    let dir = folders();
    let cases: [(&[&str], i32); 6] = [
        (&["completions", "bash"], 0),
        (&["completions", "zsh"], 0),
        (&["policy"], 0),
        (&["diff", "a", "b"], 1),
        (&["diff", "a", "b", "--format", "json"], 1),
        (&["-q", "diff", "a", "b"], 1),
    ];
    for i in 0..20 {
        for (args, expected) in cases {
            let read = [None, Some(1), Some(64)][i % 3];
            let (code, stderr) = closed_stdout(dir.path(), args, read);
            assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
            assert_eq!(stderr, "", "{args:?}: nothing to say about a closed pipe");
            // The exit code still tells what was found: drift never passes for a clean run.
            assert_eq!(code, expected, "{args:?}");
        }
    }
}

#[test]
fn a_role_that_cannot_be_assumed_says_why_and_what_to_do() {
    let dir = with_golden();
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", l.local_addr().unwrap());
    drop(l);
    std::fs::write(
        dir.path().join("driftwatch.toml"),
        format!(
            "[[targets]]\nname = \"prod\"\nrole_arn = \"arn:aws:iam::123456789012:role/ro\"\n\
             endpoint_url = \"{endpoint}\"\n"
        ),
    )
    .unwrap();
    // No credentials to assume it with.
    let run = Run::of(without_credentials(dir.path()).arg("check")).expect_code(2);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "driftwatch: error: target prod: no AWS credentials found to assume \
             arn:aws:iam::123456789012:role/ro with: set AWS_PROFILE"
        ),
        "{}",
        run.stderr
    );
    // Credentials, but STS does not answer.
    let run = Run::of(driftwatch_command(dir.path()).arg("check")).expect_code(2);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "driftwatch: error: target prod: could not assume arn:aws:iam::123456789012:role/ro: "
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did not answer: check the network"),
        "{}",
        run.stderr
    );
}
