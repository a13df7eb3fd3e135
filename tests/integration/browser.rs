//! Runs one of the headless-Chromium checks of `tests/browser/` (node scripts on playwright-core,
//! driving Debian's Chromium) on report files, failing the test with what the script printed.
//! A missing browser is a failure saying how to install it, as a missing moto is: these tests
//! never pass by not running.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `tests/browser/`, where the scripts and their pinned playwright-core live.
fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// The Chromium the scripts drive: `DRIFTWATCH_CHROMIUM`, else Debian's.
fn chromium() -> PathBuf {
    std::env::var_os("DRIFTWATCH_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// Runs `node tests/browser/SCRIPT ARGS…`; panics with its output unless it exits 0.
pub fn check<I, S>(script: &str, args: I)
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let chromium = chromium();
    assert!(
        chromium.exists(),
        "no Chromium at {}: run `scripts/setup-browser` (it installs Debian's chromium), or set \
         DRIFTWATCH_CHROMIUM to a Chromium binary",
        chromium.display()
    );
    assert!(
        dir().join("node_modules/playwright-core").exists(),
        "playwright-core is not installed: run `scripts/setup-browser` (npm ci in tests/browser)"
    );
    let out = Command::new("node")
        .arg(dir().join(script))
        .args(args)
        .current_dir(dir())
        .env("DRIFTWATCH_CHROMIUM", &chromium)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node (Node.js 20 or newer is needed): {e}"));
    assert!(
        out.status.success(),
        "browser check {script} failed ({})\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
