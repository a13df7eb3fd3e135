//! Starts a moto server on a free loopback port for one test and runs the driftwatch binary
//! against it. Each test gets its own server, so tests run in parallel (cargo test threads or
//! nextest processes) without sharing state, and no reset is needed between them.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub struct Moto {
    child: Child,
    pub endpoint: String,
    /// A scratch folder for the test: golden files, snapshots, reports.
    pub dir: tempfile::TempDir,
}

/// Where the pinned moto server lives: `DRIFTWATCH_MOTO_SERVER`, else the project's `.venv`
/// that `scripts/test` creates.
fn moto_server() -> PathBuf {
    if let Some(p) = std::env::var_os("DRIFTWATCH_MOTO_SERVER") {
        return PathBuf::from(p);
    }
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/moto_server");
    assert!(
        p.exists(),
        "moto is not installed: run `scripts/test` (it creates .venv with the pinned moto), \
         or set DRIFTWATCH_MOTO_SERVER to a moto_server binary"
    );
    p
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// One HTTP/1.0 request to the server; the status code, or None if it is not answering yet.
fn http(port: u16, method: &str, path: &str) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 12];
    s.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

impl Moto {
    pub fn start() -> Moto {
        let bin = moto_server();
        // A port found free can be taken before moto binds it: try a few.
        for _ in 0..5 {
            let port = free_port();
            let mut child = Command::new(&bin)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                if http(port, "GET", "/moto-api/") == Some(200) {
                    return Moto {
                        child,
                        endpoint: format!("http://127.0.0.1:{port}"),
                        dir: tempfile::tempdir().expect("a temp dir"),
                    };
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("moto server did not start (tried 5 ports)");
    }

    pub async fn sdk_config(&self) -> aws_config::SdkConfig {
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .endpoint_url(&self.endpoint)
            .credentials_provider(aws_sdk_ecs::config::Credentials::new(
                "testing", "testing", None, None, "moto",
            ))
            .load()
            .await
    }

    pub async fn ecs(&self) -> aws_sdk_ecs::Client {
        aws_sdk_ecs::Client::new(&self.sdk_config().await)
    }

    pub async fn iam(&self) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::new(&self.sdk_config().await)
    }

    /// S3 with path-style addressing, which a server on an IP address needs.
    pub async fn s3(&self) -> aws_sdk_s3::Client {
        let conf = aws_sdk_s3::config::Builder::from(&self.sdk_config().await)
            .force_path_style(true)
            .build();
        aws_sdk_s3::Client::from_conf(conf)
    }

    /// Runs `check --no-checks --format json` (drift only), asserts the exit code, and returns
    /// the report. A test's account holds the kinds the test is about, not the roles and queues
    /// its task definitions name: the cross-resource checks would rightly report those broken
    /// (`checks.rs` tests them, with [`Moto::check_all`]).
    pub fn check(&self, code: i32) -> serde_json::Value {
        self.driftwatch(&["check", "--no-checks", "--format", "json"])
            .expect_code(code)
            .json()
    }

    /// Runs `check --format json` with the cross-resource checks, asserts the exit code, and
    /// returns the report.
    pub fn check_all(&self, code: i32) -> serde_json::Value {
        self.driftwatch(&["check", "--format", "json"])
            .expect_code(code)
            .json()
    }

    pub async fn sqs(&self) -> aws_sdk_sqs::Client {
        aws_sdk_sqs::Client::new(&self.sdk_config().await)
    }

    pub async fn ec2(&self) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::new(&self.sdk_config().await)
    }

    pub async fn elbv2(&self) -> aws_sdk_elasticloadbalancingv2::Client {
        aws_sdk_elasticloadbalancingv2::Client::new(&self.sdk_config().await)
    }

    pub async fn organizations(&self) -> aws_sdk_organizations::Client {
        aws_sdk_organizations::Client::new(&self.sdk_config().await)
    }

    /// `DRIFTWATCH_CACHE_DIR` of a revision cache kept from one run of this test to the next.
    pub fn cache_env(&self) -> (&'static str, String) {
        let dir = self.path(".driftwatch-cache/kept");
        ("DRIFTWATCH_CACHE_DIR", dir.to_string_lossy().into_owned())
    }

    /// A path inside the test's scratch folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Runs driftwatch against this server, in the scratch folder.
    pub fn driftwatch(&self, args: &[&str]) -> Run {
        self.driftwatch_with_env(args, &[])
    }

    /// Runs driftwatch against this server with extra environment variables.
    pub fn driftwatch_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = driftwatch_command(self.dir.path());
        cmd.env("AWS_ENDPOINT_URL", &self.endpoint);
        cmd.envs(env.iter().copied());
        Run::of(cmd.args(args))
    }

    /// The pinned Python, its AWS clients pointed at this server (the demo's seed scripts).
    pub fn python(&self) -> Command {
        let mut cmd = Command::new(python());
        cmd.env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("AWS_ACCESS_KEY_ID", "demo")
            .env("AWS_SECRET_ACCESS_KEY", "demo")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env_remove("AWS_PROFILE");
        cmd
    }
}

/// The fault-injecting proxy (`tests/fault_proxy.py`) in front of a [`Moto`]: driftwatch run
/// through it meets throttling, 5xx bursts, resets, cut bodies, hangs or a non-AWS answer, as
/// chosen by the proxy's flags.
pub struct FaultProxy {
    child: Child,
    pub endpoint: String,
}

/// The pinned Python that moto runs on (same bin folder), with boto3: for the demo's seeding.
pub fn python() -> PathBuf {
    moto_server().with_file_name("python")
}

impl FaultProxy {
    /// Starts the proxy with `flags` (e.g. `["--throttle-rate", "0.2"]`) in front of `moto`.
    pub fn start(moto: &Moto, flags: &[&str]) -> FaultProxy {
        // The pinned Python is the one moto runs on: same bin folder.
        let python = moto_server().with_file_name("python");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fault_proxy.py");
        for _ in 0..5 {
            let port = free_port();
            let mut child = Command::new(&python)
                .arg(&script)
                .args(["--port", &port.to_string(), "--target", &moto.endpoint])
                .args(flags)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", python.display()));
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                if http(port, "GET", "/__faults__/stats") == Some(200) {
                    return FaultProxy {
                        child,
                        endpoint: format!("http://127.0.0.1:{port}"),
                    };
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("fault proxy did not start (tried 5 ports)");
    }

    /// What the proxy saw and injected: `requests`, `throttled`, `burst_5xx`, `reset`,
    /// `truncated`, `hung`, `not_aws`, `denied`, `failed`, `forwarded`, and `operations`
    /// (requests per operation).
    pub fn stats(&self) -> serde_json::Value {
        let port: u16 = self.endpoint.rsplit(':').next().unwrap().parse().unwrap();
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("proxy answers");
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(
            s,
            "GET /__faults__/stats HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        let body = text.split_once("\r\n\r\n").expect("an HTTP answer").1;
        serde_json::from_str(body).expect("stats are JSON")
    }

    /// Runs driftwatch in `moto`'s scratch folder against this proxy instead of moto.
    pub fn driftwatch(&self, moto: &Moto, args: &[&str]) -> Run {
        let mut cmd = driftwatch_command(moto.dir.path());
        cmd.env("AWS_ENDPOINT_URL", &self.endpoint);
        Run::of(cmd.args(args))
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The driftwatch binary with a clean AWS environment: fake keys, a region, no instance
/// metadata lookups, no colors, and nothing from the developer's own AWS setup. Each run gets
/// an empty revision cache of its own (never the developer's), under cargo's scratch folder for
/// tests (some runs are in the repository): every moto server reuses the same account, region
/// and ARNs, and a run is cold as on a new machine. Tests of the cache pass their own
/// `DRIFTWATCH_CACHE_DIR` (see [`Moto::cache_env`]).
pub fn driftwatch_command(cwd: &Path) -> Command {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("driftwatch-cache/{}-{run}", std::process::id()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_driftwatch"));
    cmd.current_dir(cwd)
        .env("DRIFTWATCH_CACHE_DIR", cache)
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_SESSION_TOKEN")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn of(cmd: &mut Command) -> Run {
        let Output {
            status,
            stdout,
            stderr,
        } = cmd.output().expect("driftwatch runs");
        Run {
            code: status.code().expect("driftwatch exited, not killed"),
            stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
        }
    }

    /// Asserts the exit code, showing both streams when it is wrong.
    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    /// `service:Operation` → count, summed over the `-v` lines "N AWS API calls: {…}" (one per
    /// target). Panics when there is none: the run was not `-v`, or fetched nothing.
    pub fn api_calls(&self) -> std::collections::BTreeMap<String, usize> {
        let mut calls = std::collections::BTreeMap::new();
        let lines: Vec<&str> = (self.stderr.lines())
            .filter_map(|l| l.split_once("AWS API calls: ").map(|(_, m)| m))
            .collect();
        assert!(!lines.is_empty(), "no call count in:\n{}", self.stderr);
        for line in lines {
            let items = line.trim_matches(|c| c == '{' || c == '}').split(", ");
            for (k, v) in items.filter_map(|kv| kv.rsplit_once(": ")) {
                *calls.entry(k.trim_matches('"').to_string()).or_default() +=
                    v.parse::<usize>().unwrap_or(0);
            }
        }
        calls
    }
}

/// The report entry of one resource.
pub fn entry<'a>(report: &'a serde_json::Value, kind: &str, id: &str) -> &'a serde_json::Value {
    report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == kind && r["id"] == id)
        .unwrap_or_else(|| panic!("{kind} {id} not in report: {report:#}"))
}

/// Every file under `dir` (hidden ones too), relative, with its bytes.
pub fn files(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}
