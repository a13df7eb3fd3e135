use serde_json::{json, Value};

use crate::normalize::Redaction;

/// With the default redaction patterns.
fn normalize(doc: Value) -> Value {
    super::normalize(doc, &Redaction::default())
}

fn normalize_raw(doc: Value) -> Value {
    super::normalize_raw(doc, &Redaction::default())
}

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/task-definitions/ecspresso/{name}",
        repo!()
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// What `DescribeTaskDefinition` returns on AWS for a definition registered as [`minimal`]:
/// defaults filled in, read-only fields added, empty lists for everything unset.
fn aws_shaped() -> Value {
    json!({
        "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7",
        "family": "web", "revision": 7, "status": "ACTIVE",
        "networkMode": "awsvpc", "cpu": "512", "memory": "1024",
        "requiresCompatibilities": ["FARGATE"], "compatibilities": ["EC2", "FARGATE"],
        "registeredAt": 1700000000.0, "registeredBy": "arn:aws:iam::123456789012:role/ci",
        "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.logging-driver.awslogs"}],
        "volumes": [], "placementConstraints": [],
        "containerDefinitions": [{
            "name": "app", "image": "nginx:1.27", "cpu": 0, "essential": true,
            "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp"}],
            "environment": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}],
            "mountPoints": [], "volumesFrom": [], "systemControls": [],
            "healthCheck": {"command": ["CMD", "true"], "interval": 30, "timeout": 5, "retries": 3}
        }]
    })
}

/// The same definition as a user registers it.
fn minimal() -> Value {
    json!({
        "family": "web", "networkMode": "awsvpc", "cpu": "0.5 vCPU", "memory": "1 GB",
        "requiresCompatibilities": ["FARGATE"],
        "containerDefinitions": [{
            "name": "app", "image": "nginx:1.27",
            "portMappings": [{"containerPort": 80}],
            "environment": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
            "healthCheck": {"command": ["CMD", "true"]}
        }]
    })
}

#[test]
fn registered_and_described_forms_are_equal() {
    assert_eq!(normalize(aws_shaped()), normalize(minimal()));
}

#[test]
fn canonical_form_is_keyed_and_numeric() {
    assert_eq!(
        normalize(minimal()),
        json!({
            "family": "web", "networkMode": "awsvpc", "cpu": 512, "memory": 1024,
            "requiresCompatibilities": ["FARGATE"],
            "containerDefinitions": {"app": {
                "image": "nginx:1.27",
                "portMappings": [{"containerPort": 80}],
                "environment": {"A": "1", "B": "2"},
                "healthCheck": {"command": ["CMD", "true"]}
            }}
        })
    );
}

#[test]
fn normalization_is_idempotent() {
    for doc in [
        aws_shaped(),
        minimal(),
        fixture("td.json"),
        fixture("td-plain.json"),
    ] {
        let once = normalize(doc);
        assert_eq!(normalize(once.clone()), once);
    }
}

#[test]
fn describe_output_wrapper_and_plain_definition_agree() {
    // td.json is the whole DescribeTaskDefinition response; td-plain.json the bare definition
    // with read-only fields. Both describe the same registration.
    assert_eq!(
        normalize(fixture("td.json")),
        normalize(fixture("td-plain.json"))
    );
}

#[test]
fn real_document_keeps_everything_a_user_registered() {
    let doc = normalize(fixture("td-plain.json"));
    for dropped in ["revision", "status"] {
        assert!(doc.get(dropped).is_none(), "{dropped} is read-only");
    }
    assert_eq!(doc["ephemeralStorage"], json!({"sizeInGiB": 25}));
    assert_eq!(
        doc["proxyConfiguration"]["properties"]["IgnoredGID"],
        json!("")
    );
    assert_eq!(doc["cpu"], json!(1024));
    let c = &doc["containerDefinitions"]["katsubushi"];
    assert_eq!(c["environment"], json!({"worker_id": "3"}));
    assert_eq!(
        c["ulimits"],
        json!([{"hardLimit": 100000, "name": "nofile", "softLimit": 100000}])
    );
    assert_eq!(c["dockerLabels"], json!({"name": "katsubushi"}));
    assert_eq!(c["cpu"], json!(256));
    assert_eq!(c["portMappings"], json!([{"containerPort": 11212}]));
    assert!(c.get("essential").is_none() && c.get("mountPoints").is_none());
}

#[test]
fn registrable_top_level_fields_are_never_dropped() {
    let mut doc = minimal();
    let extra = json!({
        "ipcMode": "task", "pidMode": "task",
        "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
        "ephemeralStorage": {"sizeInGiB": 30},
        "placementConstraints": [{"type": "memberOf", "expression": "attribute:x == y"}],
        "volumes": [{"name": "scratch", "host": {}}],
        "taskRoleArn": "arn:aws:iam::123456789012:role/t",
        "executionRoleArn": "arn:aws:iam::123456789012:role/e",
        "tags": [{"key": "team", "value": "core"}],
        "enableFaultInjection": true
    });
    for (k, v) in extra.as_object().unwrap() {
        doc[k] = v.clone();
    }
    let n = normalize(doc);
    for k in extra.as_object().unwrap().keys() {
        assert!(n.get(k).is_some(), "{k} was dropped");
    }
    // A volume with no options is still a volume: removing it must be visible.
    assert_eq!(n["volumes"], json!({"scratch": {}}));
    assert_eq!(n["tags"], json!({"team": "core"}));
}

#[test]
fn order_of_containers_environment_and_sets_does_not_matter() {
    let a = json!({"family": "f", "containerDefinitions": [
        {"name": "a", "image": "x", "links": ["q", "p"], "secrets": [
            {"name": "S1", "valueFrom": "arn:1"}, {"name": "S2", "valueFrom": "arn:2"}]},
        {"name": "b", "image": "y"}]});
    let b = json!({"family": "f", "containerDefinitions": [
        {"name": "b", "image": "y"},
        {"name": "a", "image": "x", "links": ["p", "q"], "secrets": [
            {"name": "S2", "valueFrom": "arn:2"}, {"name": "S1", "valueFrom": "arn:1"}]}]});
    assert_eq!(normalize(a), normalize(b));
}

#[test]
fn order_of_command_and_entry_point_matters() {
    let with = |cmd: Value| json!({"family": "f", "containerDefinitions": [{"name": "a", "command": cmd}]});
    assert_ne!(
        normalize(with(json!(["a", "b"]))),
        normalize(with(json!(["b", "a"])))
    );
}

#[test]
fn bridge_mode_keeps_explicit_host_ports_and_drops_dynamic_ones() {
    let with = |pm: Value| {
        normalize(json!({"family": "f", "networkMode": "bridge",
            "containerDefinitions": [{"name": "a", "portMappings": [pm]}]}))
    };
    assert_eq!(
        with(json!({"containerPort": 80, "hostPort": 0}))["containerDefinitions"]["a"]
            ["portMappings"],
        json!([{"containerPort": 80}])
    );
    assert_eq!(
        with(json!({"containerPort": 80, "hostPort": 80}))["containerDefinitions"]["a"]
            ["portMappings"],
        json!([{"containerPort": 80, "hostPort": 80}])
    );
}

#[test]
fn a_changed_value_is_still_different() {
    let mut changed = aws_shaped();
    changed["containerDefinitions"][0]["environment"][0]["value"] = json!("3");
    assert_ne!(normalize(changed), normalize(minimal()));
    let mut cpu = aws_shaped();
    cpu["cpu"] = json!("1024");
    assert_ne!(normalize(cpu), normalize(minimal()));
    let mut not_essential = aws_shaped();
    not_essential["containerDefinitions"][0]["essential"] = json!(false);
    assert_ne!(normalize(not_essential), normalize(minimal()));
}

#[test]
fn secret_looking_environment_values_are_stored_as_digests() {
    let td = json!({"family": "f", "containerDefinitions": [{"name": "a", "environment": [
        {"name": "DB_PASSWORD", "value": "hunter2"}, {"name": "stripe_api_key", "value": "sk_live_x"},
        {"name": "LOG_LEVEL", "value": "info"}]}]});
    let n = normalize(td);
    let env = &n["containerDefinitions"]["a"]["environment"];
    assert_eq!(
        env["DB_PASSWORD"],
        "sha256:f52fbd32b2b3b86ff88ef6c490628285f482af15ddcb29541f94bcf526a3f6c7"
    );
    assert!(env["stripe_api_key"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    assert_eq!(env["LOG_LEVEL"], "info");
    assert!(!n.to_string().contains("hunter2") && !n.to_string().contains("sk_live_x"));
    // Idempotent: a digest is not hashed again, so golden files compare with live values.
    assert_eq!(normalize(n.clone()), n);
}

/// The six leaks of issue 10, in one definition as AWS returns it.
fn leaky() -> Value {
    json!({"family": "f", "containerDefinitions": [{
        "name": "app", "image": "app@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "environment": [
            {"name": "UPSTREAM_CONFIG", "value": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
            {"name": "PRIMARY_STORE", "value": "postgres://app:pg-pass-7731@db:5432/app"},
            {"name": "DB_PASSWORD", "value": format!("sha256:{}", "ab".repeat(32))},
            {"name": "LOG_LEVEL", "value": "info"}
        ],
        "command": ["serve", "--password=cmd-pass-5521", "--port", "80"],
        "entryPoint": ["/bin/app", "--token", "entry-token-1"],
        "dockerLabels": {"traefik.auth.token": "label-token-99", "team": "core"},
        "logConfiguration": {"logDriver": "splunk", "options": {
            "splunk-token": "splunk-token-42", "splunk-url": "https://splunk:8088"},
            "secretOptions": [{"name": "x", "valueFrom": "arn:aws:ssm:us-east-1:1:parameter/x"}]},
        "firelensConfiguration": {"type": "fluentbit", "options": {"http_passwd": "fl-pass-3"}},
        "healthCheck": {"command": ["CMD-SHELL", "curl -u admin:hc-pass-8 http://localhost/ || exit 1"]}
    }]})
}

const LEAKED: &[&str] = &[
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "pg-pass-7731",
    "cmd-pass-5521",
    "entry-token-1",
    "label-token-99",
    "splunk-token-42",
    "fl-pass-3",
    "hc-pass-8",
];

#[test]
fn secrets_are_hidden_wherever_a_task_definition_holds_values() {
    let n = normalize_raw(leaky());
    let text = n.to_string();
    for secret in LEAKED {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    let c = &n["containerDefinitions"]["app"];
    // What is not secret stays readable.
    assert_eq!(c["environment"]["LOG_LEVEL"], "info");
    assert!(c["image"].as_str().unwrap().starts_with("app@sha256:9f86d"));
    let store = c["environment"]["PRIMARY_STORE"].as_str().unwrap();
    assert!(store.starts_with("postgres://app:sha256:") && store.ends_with("@db:5432/app"));
    assert_eq!(c["command"][2], "--port");
    assert!(c["command"][1]
        .as_str()
        .unwrap()
        .starts_with("--password=sha256:"));
    assert_eq!(c["dockerLabels"]["team"], "core");
    assert_eq!(
        c["logConfiguration"]["options"]["splunk-url"],
        "https://splunk:8088"
    );
    assert_eq!(
        c["logConfiguration"]["secretOptions"]["x"],
        "arn:aws:ssm:us-east-1:1:parameter/x"
    );
    // A live value shaped like a digest is digested: it cannot pose as the golden one.
    let posing = format!("sha256:{}", "ab".repeat(32));
    assert_ne!(c["environment"]["DB_PASSWORD"], json!(posing));
    assert!(crate::normalize::secrets::is_digest(
        c["environment"]["DB_PASSWORD"].as_str().unwrap()
    ));
    // A golden file written from it reads back the same, so it compares in sync.
    assert_eq!(normalize(n.clone()), n);
}

#[test]
fn a_changed_secret_is_still_a_change() {
    let before = normalize_raw(leaky());
    let mut changed = leaky();
    changed["containerDefinitions"][0]["logConfiguration"]["options"]["splunk-token"] =
        json!("splunk-token-43");
    let after = normalize_raw(changed);
    let path = |v: &Value| v["containerDefinitions"]["app"]["logConfiguration"]["options"].clone();
    assert_ne!(path(&before), path(&after));
}

#[test]
fn golden_digests_are_kept_and_live_ones_are_not() {
    let d = format!("sha256:{}", "ab".repeat(32));
    let td = json!({"family": "f", "containerDefinitions": [{"name": "a",
        "environment": [{"name": "DB_PASSWORD", "value": d}]}]});
    let env = |n: Value| n["containerDefinitions"]["a"]["environment"]["DB_PASSWORD"].clone();
    assert_eq!(env(normalize(td.clone())), json!(d));
    assert_ne!(env(normalize_raw(td)), json!(d));
}

proptest::proptest! {
    #[test]
    fn redaction_in_a_task_definition_is_idempotent(
        values in proptest::collection::vec(
            "(--password|token=|postgres://u:|@h|AKIA[A-Z0-9]{16}|sha256:[0-9a-f]{64}|[ a-z0-9=:@-]{0,8})*",
            1..4,
        ),
    ) {
        let td = json!({"family": "f", "containerDefinitions": [{"name": "a",
            "environment": values.iter().enumerate()
                .map(|(i, v)| json!({"name": if i % 2 == 0 { "API_KEY" } else { "PLAIN" }, "value": v}))
                .collect::<Vec<_>>(),
            "command": values.clone(),
            "dockerLabels": {"auth.token": values[0].clone(), "note": values[0].clone()}}]});
        let live = normalize_raw(td.clone());
        proptest::prop_assert_eq!(normalize(live.clone()), live);
        let golden = normalize(td);
        proptest::prop_assert_eq!(normalize(golden.clone()), golden);
    }
}
