//! Never a database password (issue 28): `aws_db_instance.password`,
//! `aws_rds_cluster.master_password` and their write-only `*_wo` forms, held in a state in clear,
//! appear nowhere driftwatch writes, whichever state format holds them (v4, `terraform show
//! -json`, a plan's `prior_state`, v3 flatmap): stdout, stderr with `-v` and annotations,
//! report files of every format, golden files, the history database.

use serde_json::{json, Value};

use crate::databases::{aurora, postgres};
use crate::harness::Moto;

const MARKER: &str = "dwdbpassword-7a3f0c";

fn instance() -> Value {
    json!({"id": "app", "identifier": "app", "engine": "postgres", "engine_version": "16",
        "instance_class": "db.t4g.large", "allocated_storage": 20, "storage_encrypted": true,
        "backup_retention_period": 7, "deletion_protection": true, "port": 5432,
        "password": MARKER, "password_wo": MARKER, "username": "app",
        "tags": {"team": "core"}})
}

fn cluster() -> Value {
    json!({"id": "aur", "cluster_identifier": "aur", "engine": "aurora-postgresql",
        "engine_version": "15", "port": 5432, "backup_retention_period": 7,
        "deletion_protection": true, "master_password": MARKER,
        "master_password_wo": MARKER, "master_username": "app"})
}

fn v4() -> Value {
    let resource = |t: &str, name: &str, a: Value| {
        json!({"mode": "managed", "type": t, "name": name,
            "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
            "instances": [{"schema_version": 0, "attributes": a,
                "sensitive_attributes": [[{"type": "get_attr", "value": "password"}]]}]})
    };
    json!({"version": 4, "terraform_version": "1.11.4", "serial": 1, "lineage": "db",
        "outputs": {}, "resources": [resource("aws_db_instance", "app", instance()),
            resource("aws_rds_cluster", "aur", cluster())]})
}

fn values() -> Value {
    json!({"root_module": {"resources": [
        {"address": "aws_db_instance.app", "mode": "managed", "type": "aws_db_instance",
         "name": "app", "values": instance(),
         "sensitive_values": {"password": true, "password_wo": true}},
        {"address": "aws_rds_cluster.aur", "mode": "managed", "type": "aws_rds_cluster",
         "name": "aur", "values": cluster(), "sensitive_values": {"master_password": true}}]}})
}

fn show() -> Value {
    json!({"format_version": "1.0", "terraform_version": "1.11.4", "values": values()})
}

fn plan() -> Value {
    json!({"format_version": "1.2", "terraform_version": "1.11.4", "prior_state": show(),
        "planned_values": values(), "configuration": {}})
}

/// A legacy state: every attribute a string.
fn v3() -> Value {
    let flat = |a: Value| -> Value {
        a.as_object()
            .unwrap()
            .iter()
            .filter(|(_, v)| !v.is_object())
            .map(|(k, v)| {
                (
                    k.clone(),
                    json!(v.as_str().map_or(v.to_string(), str::to_string)),
                )
            })
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    json!({"version": 3, "terraform_version": "0.11.14", "serial": 1, "lineage": "db",
        "modules": [{"path": ["root"], "outputs": {}, "resources": {
            "aws_db_instance.app": {"type": "aws_db_instance",
                "primary": {"id": "app", "attributes": flat(instance())}},
            "aws_rds_cluster.aur": {"type": "aws_rds_cluster",
                "primary": {"id": "aur", "attributes": flat(cluster())}}}}]})
}

fn assert_hidden(what: &str, bytes: &[u8]) {
    assert!(
        !bytes.windows(MARKER.len()).any(|w| w == MARKER.as_bytes()),
        "{what} holds a password:\n{}",
        String::from_utf8_lossy(bytes)
    );
}

#[tokio::test]
async fn database_passwords_of_a_state_appear_nowhere() {
    let moto = Moto::start();
    let rds = aws_sdk_rds::Client::new(&moto.sdk_config().await);
    postgres(&rds, "app").await;
    aurora(&rds, "aur").await;
    let states = [
        ("v4", v4()),
        ("show", show()),
        ("plan", plan()),
        ("v3", v3()),
    ];
    for (name, state) in &states {
        std::fs::write(moto.path(&format!("{name}.tfstate")), state.to_string()).unwrap();
    }
    let kinds = ["--kind", "aws_db_instance", "--kind", "aws_rds_cluster"];
    let mut runs =
        vec![moto.driftwatch(&["-v", "snapshot", kinds[0], kinds[1], kinds[2], kinds[3]])];
    for (name, _) in &states {
        let state = format!("{name}.tfstate");
        for format in [
            "console",
            "json",
            "markdown",
            "junit",
            "ignore",
            "terraform-import",
        ] {
            let mut args = vec!["-v", "check", "--state", &state, "--golden", "golden"];
            args.extend(["--history", "h.db", "--format", format]);
            args.extend([
                "--report",
                "json=report.json",
                "--report",
                "markdown=report.md",
            ]);
            args.extend(["--report", "junit=report.xml"]);
            args.extend(["--report", "terraform-import=imports.tf"]);
            args.extend(kinds);
            let run = moto.driftwatch_with_env(&args, &[("GITHUB_ACTIONS", "true")]);
            // The state's instance class and deletion protection differ from the account's.
            assert_eq!(
                run.code, 1,
                "{name} {format}: {}\n{}",
                run.stdout, run.stderr
            );
            runs.push(run);
        }
        for args in [
            &["-v", "diff", &state, "golden"][..],
            &["-v", "diff", "golden", &state, "--format", "json"],
            &["-v", "verify", &state],
        ] {
            let run = moto.driftwatch(args);
            assert!(run.code <= 1, "{args:?}: {}\n{}", run.stdout, run.stderr);
            runs.push(run);
        }
    }
    runs.push(moto.driftwatch(&["-v", "history", "--history", "h.db"]));
    for run in &runs {
        assert_hidden("stdout", run.stdout.as_bytes());
        assert_hidden("stderr", run.stderr.as_bytes());
    }
    for (name, bytes) in crate::harness::files(moto.dir.path()) {
        if !name.ends_with(".tfstate") {
            assert_hidden(&name, &bytes);
        }
    }
    assert!(moto.path("h.db").exists() && moto.path("imports.tf").exists());
}
