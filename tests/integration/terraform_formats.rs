//! Every Terraform input driftwatch accepts — state format 3 (terraformer, Terraform before
//! 0.12), format 4 with `attributes` or legacy `attributes_flat`, `terraform show -json` of a
//! state and of a plan — is read into the same resources; anything else is exit 2 naming the
//! file. Against moto where an account is needed, offline otherwise.

use aws_sdk_ec2::types::{IpPermission, IpRange, Tag as Ec2Tag};
use aws_sdk_sqs::types::QueueAttributeName as Attr;
use serde_json::{json, Value};

use crate::harness::{driftwatch_command, entry, Moto, Run};
use crate::seed::{backend, register, ACCOUNT};

/// Runs driftwatch in a scratch folder holding `files`.
fn offline(files: &[(&str, &str)], args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        std::fs::write(dir.path().join(name), content).unwrap();
    }
    std::fs::create_dir_all(dir.path().join("golden")).unwrap();
    Run::of(driftwatch_command(dir.path()).args(args))
}

#[test]
fn diff_of_a_state_with_itself_counts_unmapped_types_once() {
    let state = json!({"version": 4, "resources": [
        {"mode": "managed", "type": "aws_ecs_cluster", "name": "prod",
         "instances": [{"attributes": {"name": "prod"}}]},
        {"mode": "managed", "type": "aws_sqs_queue", "name": "q",
         "instances": [{"attributes": {"name": "jobs"}}]}]});
    let run = offline(
        &[("a.tfstate", &state.to_string())],
        &["diff", "a.tfstate", "a.tfstate", "--format", "json"],
    )
    .expect_code(0);
    let report: Value = run.json();
    assert_eq!(
        report["not_checked"],
        json!([{"type": "aws_ecs_cluster", "count": 1}])
    );
}

// Against an account: one seeded through the SDK to be exactly what the fixtures describe.

/// The ids the fixtures were written with; moto assigns its own, substituted on reading.
const FIXTURE_GROUP: &str = "sg-0f1e2d3c4b5a69788";
const FIXTURE_VPC: &str = "vpc-0a1b2c3d4e5f67890";

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const CONSUME: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes"],"Resource":"arn:aws:sqs:us-east-1:123456789012:jobs"}]}"#;

struct Account {
    moto: Moto,
    sqs: aws_sdk_sqs::Client,
    ec2: aws_sdk_ec2::Client,
    jobs_url: String,
    group: String,
    vpc: String,
}

/// Two queues created before 2025 (so with the old 256 KiB message size), one the other's
/// DLQ; a task role with an inline policy; a security group with one HTTPS rule for two CIDRs;
/// the backend task definition.
async fn seeded() -> Account {
    let moto = Moto::start();
    let (sqs, ec2, iam, ecs) = (
        moto.sqs().await,
        moto.ec2().await,
        moto.iam().await,
        moto.ecs().await,
    );
    sqs.create_queue()
        .queue_name("jobs-dlq")
        .attributes(Attr::MaximumMessageSize, "262144")
        .send()
        .await
        .unwrap();
    let redrive = json!({"deadLetterTargetArn": format!("arn:aws:sqs:us-east-1:{ACCOUNT}:jobs-dlq"),
                         "maxReceiveCount": 3});
    let jobs = sqs
        .create_queue()
        .queue_name("jobs")
        .attributes(Attr::VisibilityTimeout, "300")
        .attributes(Attr::MaximumMessageSize, "262144")
        .attributes(Attr::RedrivePolicy, redrive.to_string())
        .tags("team", "ml")
        .send()
        .await
        .unwrap();

    iam.create_role()
        .role_name("retainwise-backend-task")
        .assume_role_policy_document(TRUST)
        .description("reads jobs")
        .send()
        .await
        .unwrap();
    iam.put_role_policy()
        .role_name("retainwise-backend-task")
        .policy_name("consume")
        .policy_document(CONSUME)
        .send()
        .await
        .unwrap();

    let vpc = ec2
        .create_vpc()
        .cidr_block("10.9.0.0/16")
        .send()
        .await
        .unwrap();
    let vpc = vpc.vpc().unwrap().vpc_id().unwrap().to_string();
    let group = ec2
        .create_security_group()
        .group_name("api")
        .description("API tasks")
        .vpc_id(&vpc)
        .send()
        .await
        .unwrap();
    let group = group.group_id().unwrap().to_string();
    ec2.create_tags()
        .resources(&group)
        .tags(Ec2Tag::builder().key("Name").value("api").build())
        .send()
        .await
        .unwrap();
    let https = IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(443)
        .to_port(443)
        .set_ip_ranges(Some(
            ["10.0.0.0/8", "172.16.0.0/12"]
                .iter()
                .map(|c| {
                    IpRange::builder()
                        .cidr_ip(*c)
                        .description("HTTPS from the VPN")
                        .build()
                })
                .collect(),
        ))
        .build();
    ec2.authorize_security_group_ingress()
        .group_id(&group)
        .ip_permissions(https)
        .send()
        .await
        .unwrap();

    register(&ecs, &backend()).await;
    Account {
        jobs_url: jobs.queue_url().unwrap().to_string(),
        moto,
        sqs,
        ec2,
        group,
        vpc,
    }
}

/// Copies a fixture into the test's folder under `name`, with the account's ids.
fn place(account: &Account, fixture: &str, name: &str) {
    let path = format!(
        "{}/tests/fixtures/terraform-state/{fixture}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path)
        .unwrap()
        .replace(FIXTURE_GROUP, &account.group)
        .replace(FIXTURE_VPC, &account.vpc);
    std::fs::write(account.moto.path(name), text).unwrap();
}

/// `check --state FILE --format json`, asserting the exit code.
fn check(account: &Account, file: &str, code: i32) -> (Value, String) {
    let run = account
        .moto
        .driftwatch(&["check", "--no-checks", "--state", file, "--format", "json"])
        .expect_code(code);
    (run.json(), run.stderr)
}

fn assert_all_in_sync(report: &Value) {
    let statuses: Vec<(&str, &str, &str)> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap(),
                r["id"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(report["summary"]["in_sync"], 5, "{statuses:?}");
    assert!(statuses.iter().all(|s| s.2 == "in_sync"), "{statuses:?}");
    assert_eq!(
        report["coverage"],
        json!({"live": 5, "described": 5, "percent": 100.0})
    );
    assert!(
        report.get("not_checked").is_none_or(|n| n == &json!([])),
        "{report:#}"
    );
}

fn changes(report: &Value, kind: &str, id: &str) -> Vec<Value> {
    let r = entry(report, kind, id);
    assert_eq!(r["status"], "modified", "{r:#}");
    r["changes"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_terraformer_state_in_format_3_checks_clean_and_finds_a_change() {
    let account = seeded().await;
    place(&account, "v3/terraformer.tfstate", "terraform.tfstate");
    let (report, _) = check(&account, "terraform.tfstate", 0);
    assert_all_in_sync(&report);

    account
        .sqs
        .set_queue_attributes()
        .queue_url(&account.jobs_url)
        .attributes(Attr::VisibilityTimeout, "45")
        .send()
        .await
        .unwrap();
    let (report, _) = check(&account, "terraform.tfstate", 1);
    assert_eq!(
        changes(&report, "aws_sqs_queue", "jobs"),
        [json!({"path": "/VisibilityTimeout", "op": "changed", "expected": 300, "actual": 45})]
    );
    assert_eq!(report["summary"]["in_sync"], 4);
}

#[tokio::test]
async fn a_state_with_attributes_flat_checks_clean_and_finds_a_removed_rule() {
    let account = seeded().await;
    place(
        &account,
        "flatmap/upgraded-from-0.11.tfstate",
        "terraform.tfstate",
    );
    let (report, _) = check(&account, "terraform.tfstate", 0);
    assert_all_in_sync(&report);

    account
        .ec2
        .revoke_security_group_ingress()
        .group_id(&account.group)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(443)
                .to_port(443)
                .ip_ranges(IpRange::builder().cidr_ip("172.16.0.0/12").build())
                .build(),
        )
        .send()
        .await
        .unwrap();
    let (report, _) = check(&account, "terraform.tfstate", 1);
    let found = changes(&report, "aws_security_group", &account.group);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["op"], "removed");
    assert_eq!(
        found[0]["path"], "/IpPermissions/tcp 443 172.16.0.0~112",
        "{found:#?}"
    );
    assert_eq!(found[0]["expected"]["CidrIpv4"], "172.16.0.0/12");
}

#[tokio::test]
async fn a_plan_is_compared_through_its_prior_state() {
    let account = seeded().await;
    place(&account, "plan/plan.json", "plan.json");
    // The plan would set the jobs queue's visibility timeout to 600; the account still has
    // what the prior state says (300): in sync.
    let (report, stderr) = check(&account, "plan.json", 0);
    assert_all_in_sync(&report);
    assert_eq!(
        stderr
            .matches("plan.json is a plan; comparing its prior_state")
            .count(),
        1,
        "{stderr}"
    );
}

#[test]
fn a_json_document_that_is_no_state_is_exit_2_naming_the_file() {
    // `terraform providers schema -json` has a format_version too.
    let schema = r#"{"format_version": "1.0", "provider_schemas": {}}"#;
    let run = offline(
        &[("schema.json", schema)],
        &["check", "--state", "schema.json", "--actual", "golden"],
    )
    .expect_code(2);
    assert!(
        run.stderr.contains("schema.json: not a Terraform state")
            && run.stderr.contains("\"provider_schemas\""),
        "{}",
        run.stderr
    );

    // A plan made on an empty state has no prior_state: nothing to compare, not "in sync".
    let plan = r#"{"format_version": "1.2", "planned_values": {"root_module": {}},
                   "resource_changes": [], "configuration": {}}"#;
    let run = offline(
        &[("plan.json", plan)],
        &["check", "--state", "plan.json", "--actual", "golden"],
    )
    .expect_code(2);
    assert!(
        run.stderr.contains("plan.json: a plan") && run.stderr.contains("prior_state"),
        "{}",
        run.stderr
    );
}
