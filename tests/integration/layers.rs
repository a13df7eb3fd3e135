//! The engine crate stays pure: nothing it depends on, with every feature the binary turns on,
//! is an AWS SDK crate, an async runtime, a database or an HTTP stack. A crate that does I/O
//! would otherwise creep in through one `use`, and every pure test would build the SDK again.

use std::process::Command;

/// Crates (by name prefix) that do I/O the engine must not do.
const FORBIDDEN: &[&str] = &[
    "aws-",
    "tokio",
    "futures",
    "rusqlite",
    "libsqlite3",
    "hyper",
    "http",
    "rustls",
    "reqwest",
    "mio",
    "socket2",
];

#[test]
fn the_core_crate_depends_on_no_sdk_runtime_database_or_network_crate() {
    let root = env!("CARGO_MANIFEST_DIR");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(root)
        .args([
            "tree",
            "--locked",
            "--offline",
            "-p",
            "driftwatch-core",
            "--all-features",
            "-e",
            "normal,build",
            "--prefix",
            "none",
        ])
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8(out.stdout).unwrap();
    let names: Vec<&str> = tree.lines().filter_map(|l| l.split(' ').next()).collect();
    assert!(
        names.contains(&"driftwatch-core") && names.contains(&"serde_json"),
        "{tree}"
    );
    let bad: Vec<&&str> = names
        .iter()
        .filter(|n| FORBIDDEN.iter().any(|f| n.starts_with(f)))
        .collect();
    assert!(bad.is_empty(), "the core crate depends on {bad:?}:\n{tree}");
}
