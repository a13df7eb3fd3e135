//! Values a Terraform state marks sensitive (`sensitive_attributes`, `sensitive_values`) are
//! compared by digest and never written in clear: not on stdout or stderr, in any report
//! format or report file, nor in the history database. A changed one is still reported
//! (with digests), an unchanged one is in sync.

use serde_json::{json, Value};

use crate::harness::{entry, Moto};
use crate::seed::{register, terraform_attributes, Container, TaskDef, ACCOUNT};

/// Every sensitive value of this test contains it; it must appear nowhere driftwatch writes.
const MARKER: &str = "dwsens7f3a";

fn task_def(family: &str, label: &str) -> TaskDef {
    TaskDef {
        family: family.into(),
        cpu: "256".into(),
        memory: "512".into(),
        containers: vec![Container::new("app", "public.ecr.aws/app:1").env("APP_LABEL", label)],
    }
}

fn queue(name: &str, token: &str) -> Value {
    json!({"name": name, "id": format!("https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/{name}"),
        "visibility_timeout_seconds": 30, "message_retention_seconds": 345600,
        "delay_seconds": 0, "max_message_size": 1048576, "receive_wait_time_seconds": 0,
        "fifo_queue": false, "content_based_deduplication": false, "kms_master_key_id": "",
        "kms_data_key_reuse_period_seconds": 300, "sqs_managed_sse_enabled": true,
        "policy": "", "redrive_policy": "", "redrive_allow_policy": "",
        "tags": {"token": token, "team": "ml"}, "tags_all": {"token": token, "team": "ml"}})
}

/// A version 4 instance marking `sensitive` (attribute names) as Terraform does.
fn instance(ty: &str, name: &str, attributes: Value, sensitive: &[&str]) -> Value {
    let paths: Vec<Value> = sensitive
        .iter()
        .map(|a| json!([{"type": "get_attr", "value": a}]))
        .collect();
    json!({"mode": "managed", "type": ty, "name": name,
           "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
           "instances": [{"schema_version": 1, "attributes": attributes,
                          "sensitive_attributes": paths}]})
}

/// Two task definitions and two queues: in each pair one sensitive value is as the state
/// says, the other changed in the account.
async fn seeded() -> Moto {
    let moto = Moto::start();
    let ecs = moto.ecs().await;
    register(
        &ecs,
        &task_def("sens-same", &format!("{MARKER}-same-label")),
    )
    .await;
    register(
        &ecs,
        &task_def("sens-changed", &format!("{MARKER}-live-label")),
    )
    .await;
    let sqs = moto.sqs().await;
    for (name, token) in [
        ("sens-same-q", "same-token"),
        ("sens-changed-q", "live-token"),
    ] {
        sqs.create_queue()
            .queue_name(name)
            .tags("token", format!("{MARKER}-{token}"))
            .tags("team", "ml")
            .send()
            .await
            .unwrap();
    }
    let same = terraform_attributes(&task_def("sens-same", &format!("{MARKER}-same-label")));
    let changed = terraform_attributes(&task_def("sens-changed", &format!("{MARKER}-state-label")));
    let state = json!({"version": 4, "terraform_version": "1.9.5", "serial": 1,
        "lineage": "sens", "outputs": {}, "resources": [
        instance("aws_ecs_task_definition", "same", same, &["container_definitions"]),
        instance("aws_ecs_task_definition", "changed", changed, &["container_definitions"]),
        instance("aws_sqs_queue", "same", queue("sens-same-q", &format!("{MARKER}-same-token")), &["tags"]),
        instance("aws_sqs_queue", "changed", queue("sens-changed-q", &format!("{MARKER}-state-token")), &["tags"]),
    ]});
    std::fs::write(moto.path("prod.tfstate"), state.to_string()).unwrap();
    moto
}

const KINDS: [&str; 4] = [
    "--kind",
    "aws_ecs_task_definition",
    "--kind",
    "aws_sqs_queue",
];

fn assert_hidden(what: &str, text: &str) {
    assert!(
        !text.contains(MARKER),
        "{what} shows a sensitive value:\n{text}"
    );
}

#[tokio::test]
async fn sensitive_values_compare_by_digest_and_are_never_written_in_clear() {
    let moto = seeded().await;
    let formats = [
        "console",
        "json",
        "markdown",
        "junit",
        "ignore",
        "terraform-import",
    ];
    for format in formats {
        let mut args = vec![
            "check",
            "-v",
            "--state",
            "prod.tfstate",
            "--history",
            "h.db",
        ];
        args.extend(KINDS);
        args.extend(["--format", format, "--report", "json=report.json"]);
        // In GitHub Actions, annotations go to stderr as well.
        let run = moto
            .driftwatch_with_env(&args, &[("GITHUB_ACTIONS", "true")])
            .expect_code(1);
        if format == "console" {
            assert!(run.stderr.contains("::"), "annotations: {}", run.stderr);
        }
        assert_hidden(&format!("stdout of --format {format}"), &run.stdout);
        assert_hidden(&format!("stderr of --format {format}"), &run.stderr);
        let file = std::fs::read_to_string(moto.path("report.json")).unwrap();
        assert_hidden("the report file", &file);
    }
    let db = std::fs::read(moto.path("h.db")).unwrap();
    assert!(
        !db.windows(MARKER.len()).any(|w| w == MARKER.as_bytes()),
        "the history database holds a sensitive value"
    );

    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(moto.path("report.json")).unwrap()).unwrap();
    for (kind, id) in [
        ("aws_ecs_task_definition", "sens-same"),
        ("aws_sqs_queue", "sens-same-q"),
    ] {
        assert_eq!(entry(&report, kind, id)["status"], "in_sync", "{kind} {id}");
    }
    for (kind, id) in [
        ("aws_ecs_task_definition", "sens-changed"),
        ("aws_sqs_queue", "sens-changed-q"),
    ] {
        let e = entry(&report, kind, id);
        assert_eq!(e["status"], "modified", "{kind} {id}: {e:#}");
        let changes = e["changes"].as_array().unwrap();
        assert_eq!(changes.len(), 1, "only the changed sensitive value: {e:#}");
        for side in ["expected", "actual"] {
            let v = changes[0][side].as_str().unwrap_or_default();
            assert!(v.starts_with("sha256:"), "{side} is a digest: {e:#}");
        }
    }
}

#[tokio::test]
async fn sensitive_values_of_show_json_are_hidden_too() {
    let moto = seeded().await;
    // The same state as `terraform show -json` writes it: sensitivity in `sensitive_values`.
    let state: Value =
        serde_json::from_str(&std::fs::read_to_string(moto.path("prod.tfstate")).unwrap()).unwrap();
    let resources: Vec<Value> = state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let i = &r["instances"][0];
            let mut marks = serde_json::Map::new();
            for p in i["sensitive_attributes"].as_array().unwrap() {
                marks.insert(p[0]["value"].as_str().unwrap().into(), json!(true));
            }
            json!({"address": format!("{}.{}", r["type"].as_str().unwrap(), r["name"].as_str().unwrap()),
                   "mode": "managed", "type": r["type"], "name": r["name"],
                   "values": i["attributes"], "sensitive_values": marks})
        })
        .collect();
    let show = json!({"format_version": "1.0", "terraform_version": "1.9.5",
        "values": {"root_module": {"resources": resources}}});
    std::fs::write(moto.path("show.json"), show.to_string()).unwrap();
    let mut args = vec!["check", "--state", "show.json", "--format", "json"];
    args.extend(KINDS);
    let run = moto.driftwatch(&args).expect_code(1);
    assert_hidden("stdout", &run.stdout);
    let report = run.json();
    assert_eq!(
        entry(&report, "aws_sqs_queue", "sens-same-q")["status"],
        "in_sync"
    );
    assert_eq!(
        entry(&report, "aws_ecs_task_definition", "sens-changed")["status"],
        "modified"
    );
}
