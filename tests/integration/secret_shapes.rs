//! Secrets that are not in environment variables named like secrets (issue 10): found by
//! their shape or by the name of the label, option or flag that holds them, in every place a
//! task definition holds values, and never written or printed in clear.

use aws_sdk_ecs::types::{
    ContainerDefinition, FirelensConfiguration, FirelensConfigurationType, HealthCheck,
    KeyValuePair, LogConfiguration, LogDriver,
};

use crate::harness::Moto;
use crate::seed::{self, backend};

const AWS_SECRET_KEY: &str = "Zq8vR2nL5tW0yB7xK4mJ9pH3cF6dG1sA8eU5iO2r";
const COMMAND_PASSWORD: &str = "cmd-Pa55-e1f0";
const LABEL_TOKEN: &str = "lbl-t0ken-7c2a";
const SPLUNK_TOKEN: &str = "5b1a7c9e-0d2f-4e6a-9c3b-7f8e1d2a4b6c";
const URL_PASSWORD: &str = "pg-Hunter2-9x";
/// A live value shaped like one of our digests, which must not pass for one.
const POSING: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const ENTRY_TOKEN: &str = "entry-T0k-55";
const FIRELENS_PASSWORD: &str = "fl-Passw0rd-3d";
const HEALTH_PASSWORD: &str = "hc-Pw-8b";

/// The secrets of one registration (`rotated` changes the Splunk token and the URL password).
struct Secrets {
    splunk: String,
    url_password: String,
}

impl Secrets {
    fn all(&self) -> Vec<&str> {
        vec![
            AWS_SECRET_KEY,
            COMMAND_PASSWORD,
            LABEL_TOKEN,
            &self.splunk,
            &self.url_password,
            POSING,
            ENTRY_TOKEN,
            FIRELENS_PASSWORD,
            HEALTH_PASSWORD,
        ]
    }
}

fn original() -> Secrets {
    Secrets {
        splunk: SPLUNK_TOKEN.into(),
        url_password: URL_PASSWORD.into(),
    }
}

fn rotated() -> Secrets {
    Secrets {
        splunk: "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b".into(),
        url_password: "pg-Rotated-1y".into(),
    }
}

fn env(name: &str, value: &str) -> KeyValuePair {
    KeyValuePair::builder().name(name).value(value).build()
}

/// Each leak of the issue, plus FireLens options, an entry point and a health check.
async fn register(ecs: &aws_sdk_ecs::Client, s: &Secrets) {
    let app = ContainerDefinition::builder()
        .name("app")
        .image("payments:1")
        .memory(512)
        .environment(env("UPSTREAM_CONFIG", AWS_SECRET_KEY))
        .environment(env(
            "PRIMARY_STORE",
            &format!(
                "postgres://app:{}@db.internal:5432/payments",
                s.url_password
            ),
        ))
        .environment(env("DB_PASSWORD", POSING))
        .environment(env("LOG_LEVEL", "info"))
        .entry_point("/bin/payments")
        .entry_point("--token")
        .entry_point(ENTRY_TOKEN)
        .command("serve")
        .command(format!("--password={COMMAND_PASSWORD}"))
        .command("--port=8080")
        .docker_labels("traefik.http.middlewares.auth.token", LABEL_TOKEN)
        .docker_labels("team", "payments")
        .log_configuration(
            LogConfiguration::builder()
                .log_driver(LogDriver::Splunk)
                .options("splunk-token", &s.splunk)
                .options("splunk-url", "https://splunk.internal:8088")
                .build()
                .unwrap(),
        )
        .health_check(
            HealthCheck::builder()
                .command("CMD-SHELL")
                .command(format!(
                    "curl -fsS -u admin:{HEALTH_PASSWORD} http://localhost:8080/health"
                ))
                .build()
                .unwrap(),
        )
        .build();
    let router = ContainerDefinition::builder()
        .name("log_router")
        .image("fluent-bit:3")
        .memory(128)
        .firelens_configuration(
            FirelensConfiguration::builder()
                .r#type(FirelensConfigurationType::Fluentbit)
                .options("http_passwd", FIRELENS_PASSWORD)
                .options("enable-ecs-log-metadata", "true")
                .build()
                .unwrap(),
        )
        .build();
    ecs.register_task_definition()
        .family("payments")
        .container_definitions(app)
        .container_definitions(router)
        .send()
        .await
        .expect("RegisterTaskDefinition");
}

const KIND: [&str; 2] = ["--kind", "aws_ecs_task_definition"];

#[tokio::test]
async fn secrets_found_by_shape_and_name_are_never_written_or_printed() {
    let moto = Moto::start();
    let ecs = moto.ecs().await;
    register(&ecs, &original()).await;
    let snap = moto
        .driftwatch(&[&["snapshot"][..], &KIND].concat())
        .expect_code(0);
    let mut printed = snap.stdout + &snap.stderr;

    // The golden file stays readable where nothing is secret.
    let golden =
        std::fs::read_to_string(moto.path("golden/aws_ecs_task_definition/payments.json")).unwrap();
    for readable in [
        "postgres://app:sha256:",
        "@db.internal:5432/payments",
        "--password=sha256:",
        "\"--port=8080\"",
        "\"LOG_LEVEL\": \"info\"",
        "https://splunk.internal:8088",
        "curl -fsS -u admin:sha256:",
    ] {
        assert!(golden.contains(readable), "{readable} not in:\n{golden}");
    }

    // Read back, the golden file compares equal to the account: the digests are exact.
    for format in ["console", "json", "markdown", "junit"] {
        let run = moto
            .driftwatch(&[&["-v", "check", "--format", format][..], &KIND].concat())
            .expect_code(0);
        printed += &run.stdout;
        printed += &run.stderr;
    }

    // Two secrets are rotated in the account: drift, shown as changed digests.
    register(&ecs, &rotated()).await;
    for format in ["console", "json", "markdown", "junit", "ignore"] {
        let run = moto
            .driftwatch(&[&["-v", "check", "--format", format][..], &KIND].concat())
            .expect_code(1);
        printed += &run.stdout;
        printed += &run.stderr;
    }
    moto.driftwatch(
        &[
            &["check", "--output", "report.md", "--format", "markdown"][..],
            &KIND,
        ]
        .concat(),
    )
    .expect_code(1);
    let report = moto
        .driftwatch(&[&["check", "--format", "json"][..], &KIND].concat())
        .expect_code(1)
        .json();
    let changes = report["resources"][0]["changes"].as_array().unwrap();
    let paths: Vec<&str> = changes
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "/containerDefinitions/app/environment/PRIMARY_STORE",
            "/containerDefinitions/app/logConfiguration/options/splunk-token",
        ],
        "{report:#}"
    );
    for c in changes {
        let (expected, actual) = (
            c["expected"].as_str().unwrap(),
            c["actual"].as_str().unwrap(),
        );
        assert_ne!(expected, actual);
        assert!(
            expected.contains("sha256:") && actual.contains("sha256:"),
            "{c}"
        );
    }

    let (before, after) = (original(), rotated());
    let mut secrets = before.all();
    secrets.extend(after.all());
    for secret in &secrets {
        assert!(!printed.contains(secret), "{secret} printed:\n{printed}");
    }
    for path in walk(moto.dir.path()) {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        for secret in &secrets {
            assert!(
                !text.contains(secret),
                "{secret} written to {}",
                path.display()
            );
        }
    }
}

/// Someone sets a secret in the account to the digest the golden file holds for it: that is a
/// different value, so it is drift, not a match.
#[tokio::test]
async fn a_live_value_equal_to_a_golden_digest_is_drift() {
    let moto = Moto::start();
    let ecs = moto.ecs().await;
    let mut td = backend();
    td.containers[0]
        .env
        .push(("DB_PASSWORD".into(), "hunter2-7d1e".into()));
    seed::register(&ecs, &td).await;
    moto.driftwatch(&[&["snapshot"][..], &KIND].concat())
        .expect_code(0);
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            moto.path("golden/aws_ecs_task_definition/retainwise-backend.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let digest = golden["containerDefinitions"]["backend"]["environment"]["DB_PASSWORD"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(digest.starts_with("sha256:"), "{golden:#}");

    td.containers[0].env.last_mut().unwrap().1 = digest.clone();
    seed::register(&ecs, &td).await;
    let report = moto
        .driftwatch(&[&["check", "--format", "json"][..], &KIND].concat())
        .expect_code(1)
        .json();
    let change = &report["resources"][0]["changes"][0];
    assert_eq!(
        change["path"], "/containerDefinitions/backend/environment/DB_PASSWORD",
        "{report:#}"
    );
    assert_eq!(change["expected"], digest.as_str());
    assert_ne!(change["actual"], digest.as_str());
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
