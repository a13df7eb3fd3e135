//! `scripts/install.sh` against a release laid out like GitHub's and served on loopback: it
//! follows `releases/latest` to the tag, picks the build for this machine, and installs it only
//! when its SHA-256 is the one in the release's SHA256SUMS.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sha2::{Digest, Sha256};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The release's files under `root`, as github.com serves them; `/releases/latest` redirects
/// to the tag's page. Returns the base URL.
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            reader.read_line(&mut request).unwrap();
            let mut header = String::new();
            while reader.read_line(&mut header).unwrap() > 2 {
                header.clear();
            }
            let mut words = request.split_whitespace();
            let (method, path) = (words.next().unwrap(), words.next().unwrap().to_string());
            let (status, extra, body) = if let Some(repo) = path.strip_suffix("/releases/latest") {
                let to = format!("Location: {repo}/releases/tag/v{VERSION}\r\n");
                ("302 Found", to, Vec::new())
            } else if path.contains("/releases/tag/") {
                ("200 OK", String::new(), b"release page".to_vec())
            } else {
                match std::fs::read(root.join(path.trim_start_matches('/'))) {
                    Ok(bytes) => ("200 OK", String::new(), bytes),
                    Err(_) => ("404 Not Found", String::new(), Vec::new()),
                }
            };
            let head = format!(
                "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            if method != "HEAD" {
                let _ = stream.write_all(&body);
            }
        }
    });
    url
}

/// The Rust target name the script picks on this machine.
fn target() -> String {
    let os = match std::env::consts::OS {
        "macos" => "apple-darwin",
        _ => "unknown-linux-musl",
    };
    format!("{}-{os}", std::env::consts::ARCH)
}

/// A release of this build of driftwatch for this machine, with SHA256SUMS (`sums` overrides
/// the archive's digest). Returns the folder to serve.
fn release(dir: &Path, sums: Option<&str>) -> PathBuf {
    let root = dir.join("site");
    let assets = root.join(format!("o/driftwatch/releases/download/v{VERSION}"));
    let name = format!("driftwatch-{VERSION}-{}", target());
    let staging = dir.join("staging").join(&name);
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::create_dir_all(&assets).unwrap();
    // A launcher for the binary under test keeps the archive small.
    let launcher = format!(
        "#!/bin/sh\nexec '{}' \"$@\"\n",
        env!("CARGO_BIN_EXE_driftwatch")
    );
    std::fs::write(staging.join("driftwatch"), launcher).unwrap();
    let archive = assets.join(format!("{name}.tar.gz"));
    let tar = Command::new("tar")
        .arg("-czf")
        .arg(&archive)
        .arg("-C")
        .arg(dir.join("staging"))
        .arg(&name)
        .status()
        .unwrap();
    assert!(tar.success());
    let digest: String = Sha256::digest(std::fs::read(&archive).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let sums = format!(
        "{}  driftwatch-{VERSION}-other-target.tar.gz\n{}  {name}.tar.gz\n",
        "0".repeat(64),
        sums.unwrap_or(&digest)
    );
    std::fs::write(assets.join("SHA256SUMS"), sums).unwrap();
    root
}

fn install(dir: &Path, site: &str, version: Option<&str>) -> Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/install.sh");
    let mut cmd = Command::new("sh");
    cmd.arg(script)
        .env("DRIFTWATCH_BASE_URL", site)
        .env("DRIFTWATCH_REPOSITORY", "o/driftwatch")
        .env("DRIFTWATCH_INSTALL_DIR", dir.join("bin"))
        .env("NO_PROXY", "*")
        .env_remove("DRIFTWATCH_VERSION");
    if let Some(v) = version {
        cmd.env("DRIFTWATCH_VERSION", v);
    }
    cmd.output().unwrap()
}

#[test]
fn the_install_script_installs_the_latest_release_for_this_machine() {
    let dir = tempfile::tempdir().unwrap();
    let site = serve(release(dir.path(), None));
    let out = install(dir.path(), &site, None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("v{VERSION} for {}", target())),
        "{stderr}"
    );
    let installed = Command::new(dir.path().join("bin/driftwatch"))
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&installed.stdout).trim(),
        format!("driftwatch {VERSION}")
    );

    // A named version, with or without its v, is the same release.
    let out = install(dir.path(), &site, Some(&format!("v{VERSION}")));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_download_that_does_not_match_sha256sums_is_not_installed() {
    let dir = tempfile::tempdir().unwrap();
    let site = serve(release(dir.path(), Some(&"ab".repeat(32))));
    let out = install(dir.path(), &site, Some(VERSION));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("checksum mismatch"), "{stderr}");
    assert!(!dir.path().join("bin/driftwatch").exists());

    let out = install(dir.path(), &site, Some("9.9.9"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("could not download"), "{stderr}");
}
