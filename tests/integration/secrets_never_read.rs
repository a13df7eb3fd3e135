//! Never a secret value (issue 26): no run sends an operation that returns one, which the fault
//! proxy in front of moto observes at the wire; and the values a Terraform state holds in clear
//! (`secret_string`, `secret_binary`, `value`, `insecure_value`) appear nowhere driftwatch
//! writes: stdout, stderr with `-v` and annotations, report files of every format, golden files,
//! the history database.

use crate::harness::FaultProxy;
use crate::secrets_and_parameters::{seeded, state, KINDS};

/// The operations that return a secret's value (or a registry password).
const VALUE_OPERATIONS: [&str; 6] = [
    "GetSecretValue",
    "BatchGetSecretValue",
    "GetParameter",
    "GetParameters",
    "GetParametersByPath",
    "GetAuthorizationToken",
];

const MARKER: &str = "dwsecretvalue-4c1e9b";

#[tokio::test]
async fn no_run_sends_an_operation_that_returns_a_secret_value() {
    let (moto, sm, _ssm) = seeded().await;
    std::fs::write(
        moto.path("prod.tfstate"),
        state(&sm, MARKER).await.to_string(),
    )
    .unwrap();
    let proxy = FaultProxy::start(&moto, &[]);
    proxy.driftwatch(&moto, &["snapshot"]).expect_code(0);
    for args in [
        &["check"][..],
        &["check", "--state", "prod.tfstate"],
        &["check", "--golden", "golden", "--state", "prod.tfstate"],
        &[
            "accept",
            "aws_secretsmanager_secret:*",
            "aws_ssm_parameter:*",
        ],
    ] {
        let run = proxy.driftwatch(&moto, args);
        assert!(run.code <= 1, "{args:?}: {}", run.stderr);
    }
    let stats = proxy.stats();
    let seen: Vec<&String> = stats["operations"].as_object().unwrap().keys().collect();
    for op in ["ListSecrets", "GetResourcePolicy", "DescribeParameters"] {
        assert!(seen.iter().any(|s| *s == op), "{op} not observed: {seen:?}");
    }
    for op in VALUE_OPERATIONS {
        assert!(!seen.iter().any(|s| *s == op), "{op} was sent: {seen:?}");
    }
    // And the policy grants none of them.
    let policy = moto.driftwatch(&["policy"]).expect_code(0).stdout;
    for op in VALUE_OPERATIONS {
        assert!(!policy.contains(&format!(":{op}\"")), "{op} in\n{policy}");
    }
}

fn assert_hidden(what: &str, bytes: &[u8]) {
    assert!(
        !bytes.windows(MARKER.len()).any(|w| w == MARKER.as_bytes()),
        "{what} holds a secret value:\n{}",
        String::from_utf8_lossy(bytes)
    );
}

#[tokio::test]
async fn secret_values_of_a_state_appear_nowhere() {
    let (moto, sm, _ssm) = seeded().await;
    std::fs::write(
        moto.path("prod.tfstate"),
        state(&sm, MARKER).await.to_string(),
    )
    .unwrap();
    // Drift, so every format has something to say about these resources.
    sm.update_secret()
        .secret_id("prod/db-url")
        .description("changed by hand")
        .send()
        .await
        .unwrap();
    let mut snapshot = vec!["-v", "snapshot"];
    snapshot.extend(KINDS);
    let mut runs = vec![moto.driftwatch(&snapshot)];
    for format in [
        "console",
        "json",
        "markdown",
        "junit",
        "ignore",
        "terraform-import",
    ] {
        let mut args = vec![
            "-v",
            "check",
            "--state",
            "prod.tfstate",
            "--golden",
            "golden",
        ];
        args.extend(["--history", "h.db", "--format", format]);
        let json_report = format!("json=report-{format}.json");
        args.extend(["--report", &json_report]);
        args.extend([
            "--report",
            "markdown=report.md",
            "--report",
            "junit=report.xml",
        ]);
        args.extend(["--report", "terraform-import=imports.tf"]);
        let run = moto.driftwatch_with_env(&args, &[("GITHUB_ACTIONS", "true")]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        runs.push(run);
    }
    for args in [
        &["-v", "diff", "prod.tfstate", "golden"][..],
        &["-v", "diff", "golden", "prod.tfstate", "--format", "json"],
        &["-v", "verify", "prod.tfstate"],
        &["-v", "policy", "--state", "prod.tfstate"],
        &["-v", "history", "--history", "h.db"],
    ] {
        let run = moto.driftwatch(args);
        assert!(run.code <= 1, "{args:?}: {}\n{}", run.stdout, run.stderr);
        runs.push(run);
    }
    for run in &runs {
        assert_hidden("stdout", run.stdout.as_bytes());
        assert_hidden("stderr", run.stderr.as_bytes());
    }
    // Every file driftwatch wrote: reports, golden files, the history database.
    for (name, bytes) in crate::harness::files(moto.dir.path()) {
        if name != "prod.tfstate" {
            assert_hidden(&name, &bytes);
        }
    }
    assert!(moto.path("h.db").exists() && moto.path("imports.tf").exists());
}
