//! Terraform state as a reference, against moto: a state describing what the harness seeded
//! checks clean; drift is found against it; S3 gives the same answer as a file; golden files
//! and a state together report each resource against each.

use serde_json::{json, Value};

use crate::harness::{driftwatch_command, Run};
use crate::queues_groups_services::{seeded_and_snapshotted, Env, QUEUE_POLICY};
use crate::seed::{backend, terraform_attributes, ACCOUNT};

fn instance(ty: &str, name: &str, attributes: Value) -> Value {
    json!({"mode": "managed", "type": ty, "name": name,
           "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
           "instances": [{"schema_version": 0, "attributes": attributes}]})
}

/// A provider-5.x state of exactly what `seeded_and_snapshotted` created, with the queue policy
/// and the 443 rule written as separate resources, the way many modules do.
pub(crate) fn state_of(env: &Env) -> Value {
    let url = |q: &str| format!("https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/{q}");
    let queue = |name: &str, visibility: u32, redrive: &str| {
        json!({"name": name, "id": url(name), "visibility_timeout_seconds": visibility,
               "message_retention_seconds": 345600, "delay_seconds": 0, "max_message_size": 1048576,
               "receive_wait_time_seconds": 0, "fifo_queue": false, "content_based_deduplication": false,
               "kms_master_key_id": "", "kms_data_key_reuse_period_seconds": 300,
               "sqs_managed_sse_enabled": true, "policy": "", "redrive_policy": redrive,
               "redrive_allow_policy": "", "tags": {}, "tags_all": {}})
    };
    let mut jobs = queue(
        "jobs",
        300,
        &json!({"deadLetterTargetArn": env.dlq_arn, "maxReceiveCount": 3}).to_string(),
    );
    jobs["tags"] = json!({"team": "ml"});
    let policy = QUEUE_POLICY;
    let mut subnets = env.subnets.clone();
    subnets.reverse();
    json!({"version": 4, "terraform_version": "1.9.5", "serial": 1, "lineage": "test",
        "outputs": {}, "resources": [
        instance("aws_sqs_queue", "jobs", jobs),
        instance("aws_sqs_queue", "dlq", queue("jobs-dlq", 30, "")),
        instance("aws_sqs_queue_policy", "jobs", json!({"queue_url": url("jobs"), "policy": policy})),
        instance("aws_security_group", "api", json!({
            "id": env.api_group, "name": "api", "description": "API tasks",
            "vpc_id": vpc_of(env), "ingress": [], "tags": {},
            "egress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"],
                        "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [],
                        "self": false, "description": ""}]})),
        instance("aws_vpc_security_group_ingress_rule", "https", json!({
            "security_group_id": env.api_group, "ip_protocol": "tcp", "from_port": 443,
            "to_port": 443, "cidr_ipv4": "10.0.0.0/8"})),
        instance("aws_ecs_task_definition", "backend", terraform_attributes(&backend())),
        instance("aws_ecs_service", "api", json!({
            "name": "api", "cluster": format!("arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/prod"),
            "task_definition": format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/retainwise-backend:1"),
            "desired_count": 2, "launch_type": "FARGATE", "platform_version": "LATEST",
            "scheduling_strategy": "REPLICA", "propagate_tags": "NONE",
            "deployment_maximum_percent": 200, "deployment_minimum_healthy_percent": 100,
            "network_configuration": [{"subnets": subnets, "security_groups": [env.api_group],
                                       "assign_public_ip": false}],
            "load_balancer": [], "tags": {}})),
        // A type driftwatch does not map (log groups were one until they became a kind).
        instance("aws_ecs_cluster", "prod", json!({"name": "prod"}))
    ]})
}

/// The VPC id, from the golden file driftwatch wrote (the harness does not keep it).
fn vpc_of(env: &Env) -> String {
    let path = env
        .moto
        .path(&format!("golden/aws_security_group/{}.json", env.api_group));
    let g: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    g["VpcId"].as_str().unwrap().to_string()
}

pub(crate) fn write_state(env: &Env) {
    std::fs::write(env.moto.path("prod.tfstate"), state_of(env).to_string()).unwrap();
}

#[tokio::test]
async fn a_state_of_what_was_seeded_checks_clean_with_full_coverage() {
    let env = seeded_and_snapshotted().await;
    write_state(&env);
    let report = env
        .moto
        .driftwatch(&[
            "check",
            "--no-checks",
            "--state",
            "prod.tfstate",
            "--format",
            "json",
        ])
        .expect_code(0)
        .json();
    assert_eq!(report["summary"]["in_sync"], 5, "{report:#}");
    assert!(report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["reference"] == "terraform"));
    assert_eq!(
        report["coverage"],
        json!({"live": 5, "described": 5, "percent": 100.0})
    );
    assert_eq!(
        report["not_checked"],
        json!([{"type": "aws_ecs_cluster", "count": 1}])
    );

    let console = env
        .moto
        .driftwatch(&["check", "--no-checks", "--state", "prod.tfstate"])
        .expect_code(0)
        .stdout;
    assert!(console.contains("coverage: 100%"), "{console}");
    assert!(console.contains("aws_ecs_cluster (1)"), "{console}");
}

#[tokio::test]
async fn drift_of_each_kind_is_found_against_the_state() {
    let env = seeded_and_snapshotted().await;
    write_state(&env);
    env.sqs
        .set_queue_attributes()
        .queue_url(&env.jobs_url)
        .attributes(
            aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
            "45",
        )
        // moto (5.2.5) drops a queue's Policy on any SetQueueAttributes that does not repeat
        // it; AWS keeps it. Repeat it so only the visibility timeout changes, as on AWS.
        .attributes(aws_sdk_sqs::types::QueueAttributeName::Policy, QUEUE_POLICY)
        .send()
        .await
        .unwrap();
    env.ec2
        .authorize_security_group_ingress()
        .group_id(&env.api_group)
        .ip_protocol("tcp")
        .from_port(22)
        .to_port(22)
        .cidr_ip("0.0.0.0/0")
        .send()
        .await
        .unwrap();
    env.ecs
        .update_service()
        .cluster("prod")
        .service("api")
        .desired_count(4)
        .send()
        .await
        .unwrap();
    let mut td = backend();
    td.containers[0].env[0].1 = "false".into();
    crate::seed::register(&env.ecs, &td).await;
    env.sqs
        .create_queue()
        .queue_name("by-hand")
        .send()
        .await
        .unwrap();

    let report = env
        .moto
        .driftwatch(&["check", "--state", "prod.tfstate", "--format", "json"])
        .expect_code(1)
        .json();
    let paths = |kind: &str| -> Vec<String> {
        let r = report["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["kind"] == kind && r["status"] == "modified")
            .unwrap();
        r["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(paths("aws_sqs_queue"), ["/VisibilityTimeout"]);
    assert_eq!(
        paths("aws_security_group"),
        ["/IpPermissions/tcp 22 0.0.0.0~10"]
    );
    assert_eq!(
        paths("aws_ecs_service"),
        ["/desiredCount", "/latestActiveTaskDefinition"]
    );
    assert_eq!(
        paths("aws_ecs_task_definition"),
        ["/containerDefinitions/backend/environment/ENABLE_SQS"]
    );
    assert_eq!(report["summary"]["unmanaged"], 1);
    assert_eq!(report["coverage"]["described"], 5);
    assert_eq!(report["coverage"]["live"], 6);
}

#[tokio::test]
async fn a_state_in_s3_gives_the_same_report_as_the_file() {
    let env = seeded_and_snapshotted().await;
    write_state(&env);
    env.sqs
        .set_queue_attributes()
        .queue_url(&env.jobs_url)
        .attributes(aws_sdk_sqs::types::QueueAttributeName::DelaySeconds, "5")
        .attributes(aws_sdk_sqs::types::QueueAttributeName::Policy, QUEUE_POLICY) // see above
        .send()
        .await
        .unwrap();
    let s3 = env.moto.s3().await;
    s3.create_bucket().bucket("tf-state").send().await.unwrap();
    let body = std::fs::read(env.moto.path("prod.tfstate")).unwrap();
    for key in ["prod/app.tfstate", "env:/staging/prod/app.tfstate"] {
        s3.put_object()
            .bucket("tf-state")
            .key(key)
            .body(body.clone().into())
            .send()
            .await
            .unwrap();
    }

    // Only the S3 read names a backend for `state-backend` to judge (state_backend.rs): off
    // here, where the report is to be the file's.
    std::fs::write(
        env.moto.path("driftwatch.toml"),
        "[checks]\ndisable = [\"state-backend\"]\n",
    )
    .unwrap();
    let local = env
        .moto
        .driftwatch(&["check", "--state", "prod.tfstate", "--format", "json"])
        .expect_code(1)
        .stdout;
    let remote = env
        .moto
        .driftwatch(&[
            "check",
            "--state",
            "s3://tf-state/prod/app.tfstate",
            "--format",
            "json",
        ])
        .expect_code(1)
        .stdout;
    assert_eq!(local, remote);
    let workspace = env
        .moto
        .driftwatch(&[
            "check",
            "--state",
            "s3://tf-state/prod/app.tfstate",
            "--workspace",
            "staging",
            "--format",
            "json",
        ])
        .expect_code(1)
        .stdout;
    assert_eq!(local, workspace);
    let missing = env
        .moto
        .driftwatch(&["check", "--state", "s3://tf-state/nope.tfstate"])
        .expect_code(2);
    assert!(
        missing.stderr.contains("s3://tf-state/nope.tfstate"),
        "{}",
        missing.stderr
    );
}

#[tokio::test]
async fn golden_and_state_together_report_each_resource_against_each() {
    let env = seeded_and_snapshotted().await;
    write_state(&env);
    env.ecs
        .update_service()
        .cluster("prod")
        .service("api")
        .desired_count(7)
        .send()
        .await
        .unwrap();
    let report = env
        .moto
        .driftwatch(&[
            "check",
            "--golden",
            "golden",
            "--state",
            "prod.tfstate",
            "--format",
            "json",
        ])
        .expect_code(1)
        .json();
    let service: Vec<(&str, &str)> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "aws_ecs_service")
        .map(|r| {
            (
                r["reference"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(service, [("golden", "modified"), ("terraform", "modified")]);
    assert_eq!(report["summary"]["in_sync"], 8);
    assert_eq!(report["summary"]["modified"], 2);
}

#[tokio::test]
async fn diff_compares_a_state_with_a_golden_folder_offline() {
    let env = seeded_and_snapshotted().await;
    write_state(&env);
    let mut cmd = driftwatch_command(env.moto.dir.path());
    cmd.args(["diff", "prod.tfstate", "golden"]);
    let run = Run::of(&mut cmd).expect_code(0);
    assert!(
        run.stdout.starts_with("driftwatch: in sync: 5 in sync"),
        "{}",
        run.stdout
    );

    // The state says 3 desired tasks: golden/ no longer matches what Terraform thinks.
    let mut state = state_of(&env);
    state["resources"][6]["instances"][0]["attributes"]["desired_count"] = json!(3);
    std::fs::write(env.moto.path("newer.tfstate"), state.to_string()).unwrap();
    let mut cmd = driftwatch_command(env.moto.dir.path());
    cmd.args(["diff", "newer.tfstate", "golden", "--format", "json"]);
    let report = Run::of(&mut cmd).expect_code(1).json();
    assert_eq!(report["summary"]["modified"], 1);
}

#[tokio::test]
async fn diff_reads_the_workspace_of_driftwatch_toml_and_the_flag_wins() {
    let env = seeded_and_snapshotted().await;
    // The default workspace's state wants 3 tasks; staging's is what golden/ holds.
    let staging = state_of(&env);
    let mut default = staging.clone();
    default["resources"][6]["instances"][0]["attributes"]["desired_count"] = json!(3);
    let s3 = env.moto.s3().await;
    s3.create_bucket().bucket("tf-state").send().await.unwrap();
    for (key, state) in [
        ("prod/app.tfstate", &default),
        ("env:/staging/prod/app.tfstate", &staging),
    ] {
        s3.put_object()
            .bucket("tf-state")
            .key(key)
            .body(state.to_string().into_bytes().into())
            .send()
            .await
            .unwrap();
    }
    std::fs::write(
        env.moto.path("driftwatch.toml"),
        "workspace = \"staging\"\n",
    )
    .unwrap();

    let run = env
        .moto
        .driftwatch(&["diff", "s3://tf-state/prod/app.tfstate", "golden"])
        .expect_code(0);
    assert!(
        run.stdout.starts_with("driftwatch: in sync: 5 in sync"),
        "{}",
        run.stdout
    );
    let report = env
        .moto
        .driftwatch(&[
            "diff",
            "s3://tf-state/prod/app.tfstate",
            "golden",
            "--workspace",
            "default",
            "--format",
            "json",
        ])
        .expect_code(1)
        .json();
    assert_eq!(report["summary"]["modified"], 1);
}
