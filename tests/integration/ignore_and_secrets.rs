//! Ignore rules and secret redaction, as a user meets them.

use serde_json::json;

use crate::harness::{driftwatch_command, Moto, Run};
use crate::seed::{backend, register};

/// expected/ and actual/ differ in one container image and one unmanaged queue.
fn folders() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let td = |image: &str| {
        json!({"family": "api", "containerDefinitions": [{"name": "web", "image": image, "cpu": 256}]})
            .to_string()
    };
    for (side, image) in [("expected", "app:1"), ("actual", "app:2")] {
        let d = dir.path().join(side).join("aws_ecs_task_definition");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("api.json"), td(image)).unwrap();
    }
    let q = dir.path().join("actual/aws_sqs_queue");
    std::fs::create_dir_all(&q).unwrap();
    std::fs::write(q.join("tmp-debug.json"), r#"{"QueueName": "tmp-debug"}"#).unwrap();
    dir
}

fn diff(dir: &tempfile::TempDir, extra: &[&str]) -> Run {
    let mut cmd = driftwatch_command(dir.path());
    cmd.args(["diff", "expected", "actual"]).args(extra);
    Run::of(&mut cmd)
}

#[test]
fn ignore_rules_from_flags_and_from_driftignore_silence_accepted_drift() {
    let dir = folders();
    diff(&dir, &[]).expect_code(1);
    diff(
        &dir,
        &[
            "--ignore",
            "aws_ecs_task_definition:*:/containerDefinitions/*/image",
            "--ignore",
            "aws_sqs_queue:tmp-*",
        ],
    )
    .expect_code(0);

    std::fs::write(
        dir.path().join(".driftignore"),
        "# images change on every deploy\naws_ecs_task_definition:*:/containerDefinitions/*/image\n\
         aws_sqs_queue:tmp-*\n",
    )
    .unwrap();
    let run = diff(&dir, &[]).expect_code(0);
    assert!(
        run.stdout.starts_with("driftwatch: in sync: 1 in sync"),
        "{}",
        run.stdout
    );
    // `!` brings one back.
    let run = diff(
        &dir,
        &["--ignore", "!aws_sqs_queue:tmp-debug", "--format", "json"],
    )
    .expect_code(1);
    assert_eq!(run.json()["summary"]["unmanaged"], 1);
    assert_eq!(run.json()["summary"]["modified"], 0);
}

#[test]
fn format_ignore_prints_rules_that_silence_the_findings() {
    let dir = folders();
    let rules = diff(&dir, &["--format", "ignore"]).expect_code(1).stdout;
    assert!(
        rules.contains("aws_ecs_task_definition:api:/containerDefinitions/web/image\n"),
        "{rules}"
    );
    assert!(rules.contains("aws_sqs_queue:tmp-debug\n"), "{rules}");
    std::fs::write(dir.path().join("accepted.driftignore"), rules).unwrap();
    diff(&dir, &["--ignore-file", "accepted.driftignore"]).expect_code(0);
}

#[test]
fn a_bad_ignore_file_is_exit_2_naming_file_and_line() {
    let dir = folders();
    std::fs::write(
        dir.path().join(".driftignore"),
        "# fine\naws_ecs_taskdef:*\n",
    )
    .unwrap();
    let run = diff(&dir, &[]).expect_code(2);
    assert!(
        run.stderr.contains(".driftignore: line 2:"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn a_secret_environment_value_is_never_written_or_printed() {
    const SECRET: &str = "s3cr3t-pa55w0rd-8d1f";
    let moto = Moto::start();
    let ecs = moto.ecs().await;
    let mut td = backend();
    td.containers[0]
        .env
        .push(("DB_PASSWORD".into(), SECRET.into()));
    register(&ecs, &td).await;
    let snap = moto.driftwatch(&["snapshot"]).expect_code(0);
    let mut printed = snap.stdout + &snap.stderr;

    // The secret is rotated by hand: still drift, still never in clear.
    let mut rotated = td.clone();
    rotated.containers[0].env.last_mut().unwrap().1 = format!("{SECRET}-rotated");
    register(&ecs, &rotated).await;
    for format in ["console", "json", "markdown", "ignore", "junit"] {
        let run = moto
            .driftwatch(&["-v", "check", "--format", format])
            .expect_code(1);
        printed += &run.stdout;
        printed += &run.stderr;
    }
    let run = moto
        .driftwatch(&["check", "--format", "json"])
        .expect_code(1);
    let change = &run.json()["resources"][0]["changes"][0];
    assert_eq!(
        change["path"],
        "/containerDefinitions/backend/environment/DB_PASSWORD"
    );
    assert!(change["expected"].as_str().unwrap().starts_with("sha256:"));
    moto.driftwatch(&["check", "--format", "markdown", "--output", "report.md"])
        .expect_code(1);

    assert!(!printed.contains(SECRET), "secret printed:\n{printed}");
    for entry in walk(moto.dir.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(SECRET),
            "secret written to {}",
            entry.display()
        );
    }
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
    out
}

#[tokio::test]
async fn an_ignore_rule_that_matches_nothing_is_named_once_at_verbose() {
    let moto = Moto::start();
    let sqs = moto.sqs().await;
    sqs.create_queue().queue_name("jobs").send().await.unwrap();
    moto.driftwatch(&["snapshot", "--kind", "aws_sqs_queue"])
        .expect_code(0);
    // A typo in a kind name parses (it is a glob) and silently ignores nothing.
    std::fs::write(
        moto.path(".driftignore"),
        "# a typo below\naws_sqs_queue:jobs\naws_ecs_task_defintion*:*\n",
    )
    .unwrap();
    let args = [
        "check",
        "--kind",
        "aws_sqs_queue",
        "--ignore",
        "aws_sqs_queue:nobody-*",
        "--ignore",
        "check:*:aws_iam_rol*:nobody",
    ];
    let run = moto
        .driftwatch(&[&["-v"][..], &args[..]].concat())
        .expect_code(0);
    let said = |rule: &str| {
        run.stderr
            .lines()
            .filter(|l| l.contains(&format!("ignore rule '{rule}' (")))
            .collect::<Vec<_>>()
    };
    let typo = said("aws_ecs_task_defintion*:*");
    assert_eq!(typo.len(), 1, "{}", run.stderr);
    assert!(
        typo[0].contains(".driftignore:3) matched nothing in this run"),
        "{}",
        typo[0]
    );
    for rule in ["aws_sqs_queue:nobody-*", "check:*:aws_iam_rol*:nobody"] {
        let lines = said(rule);
        assert!(
            lines.len() == 1 && lines[0].contains("(--ignore)"),
            "{}",
            run.stderr
        );
    }
    assert!(said("aws_sqs_queue:jobs").is_empty(), "{}", run.stderr);
    let quiet = moto.driftwatch(&args).expect_code(0);
    assert!(
        !quiet.stderr.contains("matched nothing"),
        "{}",
        quiet.stderr
    );
}
