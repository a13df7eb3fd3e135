//! `[[notify]]`: webhooks told after a run, against a local HTTP server the test starts and that
//! records what it receives. Offline (`--actual`): no AWS involved.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::harness::{driftwatch_command, Run};

/// How the test server answers.
#[derive(Clone, Copy)]
pub(crate) enum Answer {
    Status(u16),
    /// Reads the request and never answers.
    Silence,
}

/// A webhook receiver on a free loopback port: each request's path and body, in order.
pub(crate) struct Receiver {
    pub(crate) url: String,
    got: Arc<Mutex<Vec<(String, String)>>>,
}

impl Receiver {
    pub(crate) fn start(answer: Answer) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!(
            "http://{}/services/T000/B000/SECRETPATH",
            listener.local_addr().unwrap()
        );
        let got = Arc::new(Mutex::new(Vec::new()));
        let record = got.clone();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in listener.incoming() {
                let mut stream = stream.unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
                let mut length = 0;
                loop {
                    let mut header = String::new();
                    reader.read_line(&mut header).unwrap();
                    if header.trim().is_empty() {
                        break;
                    }
                    if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                record
                    .lock()
                    .unwrap()
                    .push((path, String::from_utf8(body).unwrap()));
                match answer {
                    Answer::Status(code) => {
                        let reply = format!(
                            "HTTP/1.1 {code} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
                        );
                        let _ = stream.write_all(reply.as_bytes());
                    }
                    Answer::Silence => held.push(stream),
                }
            }
        });
        Receiver { url, got }
    }

    pub(crate) fn bodies(&self) -> Vec<String> {
        self.got
            .lock()
            .unwrap()
            .iter()
            .map(|(_, b)| b.clone())
            .collect()
    }
}

/// Folders where the queue `jobs` drifted (VisibilityTimeout 30 → `actual`).
fn folders(actual: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    set(dir.path(), actual);
    dir
}

fn set(dir: &std::path::Path, actual: u32) {
    for (side, v) in [("golden", 30), ("actual", actual)] {
        let d = dir.join(side).join("aws_sqs_queue");
        std::fs::create_dir_all(&d).unwrap();
        let doc = format!("{{\"QueueName\": \"jobs\", \"VisibilityTimeout\": {v}}}\n");
        std::fs::write(d.join("jobs.json"), doc).unwrap();
    }
}

fn check(dir: &std::path::Path, env: &[(&str, &str)]) -> Run {
    let mut cmd = driftwatch_command(dir);
    cmd.args(["check", "--golden", "golden", "--actual", "actual"])
        .args(["--kind", "aws_sqs_queue"])
        .envs(env.iter().copied());
    Run::of(&mut cmd)
}

fn config(dir: &std::path::Path, notify: &str) {
    let text = format!("history = \"drift.db\"\n\n[[notify]]\n{notify}\n");
    std::fs::write(dir.join("driftwatch.toml"), text).unwrap();
}

#[test]
fn slack_is_told_only_when_something_is_new_or_resolved() {
    let hook = Receiver::start(Answer::Status(200));
    let dir = folders(60);
    config(
        dir.path(),
        &format!(
            "url = \"{}\"\non = [\"new\", \"resolved\"]\nreport_url = \"https://ci.example.com/run/7\"",
            hook.url
        ),
    );
    check(dir.path(), &[]).expect_code(1);
    let bodies = hook.bodies();
    assert_eq!(bodies.len(), 1);
    assert_eq!(
        hook.got.lock().unwrap()[0].0,
        "/services/T000/B000/SECRETPATH"
    );
    let message: Value = serde_json::from_str(&bodies[0]).unwrap();
    assert!(message["text"]
        .as_str()
        .unwrap()
        .contains("; 1 new, 0 known, 0 resolved"));
    let blocks = message["blocks"].to_string();
    assert!(blocks.contains("modified aws_sqs_queue jobs"), "{blocks}");
    assert!(
        blocks.contains("[new]") && blocks.contains("<https://ci.example.com/run/7|Full report>")
    );

    // Known drift only: nothing to tell.
    check(dir.path(), &[]).expect_code(1);
    assert_eq!(hook.bodies().len(), 1);

    // Fixed: resolved is told.
    set(dir.path(), 30);
    check(dir.path(), &[]).expect_code(0);
    let bodies = hook.bodies();
    assert_eq!(bodies.len(), 2);
    assert!(
        bodies[1].contains("✓ resolved aws_sqs_queue jobs (was modified"),
        "{}",
        bodies[1]
    );
}

#[test]
fn the_json_format_posts_the_report_and_the_url_can_come_from_the_environment() {
    let hook = Receiver::start(Answer::Status(204));
    let dir = folders(60);
    std::fs::write(
        dir.path().join("driftwatch.toml"),
        "[[notify]]\nurl_env = \"DRIFT_HOOK\"\non = [\"drift\"]\nformat = \"json\"\n",
    )
    .unwrap();
    check(dir.path(), &[("DRIFT_HOOK", &hook.url)]).expect_code(1);
    let report: Value = serde_json::from_str(&hook.bodies()[0]).unwrap();
    assert_eq!(report["schema"], "driftwatch.report/v1");
    assert_eq!(report["summary"]["modified"], 1);
    let run = check(dir.path(), &[]).expect_code(2);
    assert!(
        run.stderr.contains("$DRIFT_HOOK is not set"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_failing_webhook_is_a_warning_and_never_changes_the_exit_code() {
    let hook = Receiver::start(Answer::Status(500));
    let dir = folders(60);
    config(dir.path(), &format!("url = \"{}\"", hook.url));
    let run = check(dir.path(), &[]).expect_code(1);
    // Bounded retries: three attempts, then a warning naming the host and a digest, not the
    // secret path.
    assert_eq!(hook.bodies().len(), 3);
    assert!(
        run.stderr
            .contains("warning: the notification to 127.0.0.1:")
            && run.stderr.contains("(sha256:")
            && run.stderr.contains("HTTP 500"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("SECRETPATH"), "{}", run.stderr);

    // A webhook that never answers costs at most attempts × timeout.
    let silent = Receiver::start(Answer::Silence);
    set(dir.path(), 61);
    config(
        dir.path(),
        &format!("url = \"{}\"\ntimeout = 1", silent.url),
    );
    let started = std::time::Instant::now();
    let run = check(dir.path(), &[]).expect_code(1);
    assert!(
        run.stderr.contains("no answer within 1 s (3 attempts)"),
        "{}",
        run.stderr
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn new_or_resolved_without_a_history_is_refused() {
    let dir = folders(60);
    std::fs::write(
        dir.path().join("driftwatch.toml"),
        "[[notify]]\nurl = \"https://hooks.example.com/x\"\n",
    )
    .unwrap();
    let run = check(dir.path(), &[]).expect_code(2);
    assert!(run.stderr.contains("need a history"), "{}", run.stderr);
}
