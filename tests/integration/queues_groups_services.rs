//! `aws_sqs_queue`, `aws_security_group` and `aws_ecs_service` end to end against moto, and
//! what happens when one kind fails while the others work.

use aws_sdk_ec2::types::{IpPermission, IpRange};
use aws_sdk_sqs::types::QueueAttributeName as Attr;
use serde_json::{json, Value};

use crate::harness::{entry, Moto};
use crate::seed::{backend, register, worker};

pub const QUEUE_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"FromTopic","Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:123456789012:jobs"}]}"#;

pub struct Env {
    pub moto: Moto,
    pub sqs: aws_sdk_sqs::Client,
    pub ec2: aws_sdk_ec2::Client,
    pub ecs: aws_sdk_ecs::Client,
    pub jobs_url: String,
    pub dlq_arn: String,
    pub api_group: String,
    pub subnets: Vec<String>,
}

/// Two queues (one the other's DLQ, with a policy), a VPC with an API security group, and an
/// ECS service running the backend task definition; snapshotted into golden files.
pub async fn seeded_and_snapshotted() -> Env {
    let moto = Moto::start();
    let (sqs, ec2, ecs) = (moto.sqs().await, moto.ec2().await, moto.ecs().await);

    let dlq = sqs
        .create_queue()
        .queue_name("jobs-dlq")
        .send()
        .await
        .unwrap();
    let dlq_arn = format!("arn:aws:sqs:us-east-1:{}:jobs-dlq", crate::seed::ACCOUNT);
    let _ = dlq;
    let jobs = sqs
        .create_queue()
        .queue_name("jobs")
        .attributes(Attr::VisibilityTimeout, "300")
        .attributes(
            Attr::RedrivePolicy,
            json!({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3}).to_string(),
        )
        .attributes(Attr::Policy, QUEUE_POLICY)
        .tags("team", "ml")
        .send()
        .await
        .unwrap();

    let vpc = ec2
        .create_vpc()
        .cidr_block("10.9.0.0/16")
        .send()
        .await
        .unwrap();
    let vpc_id = vpc.vpc().unwrap().vpc_id().unwrap().to_string();
    let mut subnets = Vec::new();
    for cidr in ["10.9.1.0/24", "10.9.2.0/24"] {
        let s = ec2
            .create_subnet()
            .vpc_id(&vpc_id)
            .cidr_block(cidr)
            .send()
            .await
            .unwrap();
        subnets.push(s.subnet().unwrap().subnet_id().unwrap().to_string());
    }
    let api = ec2
        .create_security_group()
        .group_name("api")
        .description("API tasks")
        .vpc_id(&vpc_id)
        .send()
        .await
        .unwrap();
    let api_group = api.group_id().unwrap().to_string();
    ec2.authorize_security_group_ingress()
        .group_id(&api_group)
        .ip_permissions(tcp(443, "10.0.0.0/8"))
        .send()
        .await
        .unwrap();

    register(&ecs, &backend()).await;
    crate::seed::cluster(&ecs, "prod").await;
    ecs.create_service()
        .cluster("prod")
        .service_name("api")
        .task_definition("retainwise-backend")
        .desired_count(2)
        .launch_type(aws_sdk_ecs::types::LaunchType::Fargate)
        .network_configuration(
            aws_sdk_ecs::types::NetworkConfiguration::builder()
                .awsvpc_configuration(
                    aws_sdk_ecs::types::AwsVpcConfiguration::builder()
                        .set_subnets(Some(subnets.clone()))
                        .security_groups(&api_group)
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();

    moto.driftwatch(&["snapshot"]).expect_code(0);
    Env {
        jobs_url: jobs.queue_url().unwrap().to_string(),
        moto,
        sqs,
        ec2,
        ecs,
        dlq_arn,
        api_group,
        subnets,
    }
}

pub(crate) fn tcp(port: i32, cidr: &str) -> IpPermission {
    IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(port)
        .to_port(port)
        .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
        .build()
}

fn golden(env: &Env, rel: &str) -> Value {
    let text = std::fs::read_to_string(env.moto.path(&format!("golden/{rel}"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn snapshot_of_all_three_kinds_checks_clean() {
    let env = seeded_and_snapshotted().await;
    let q = golden(&env, "aws_sqs_queue/jobs.json");
    assert_eq!(q["VisibilityTimeout"], 300);
    assert_eq!(
        q["RedrivePolicy"],
        json!({"deadLetterTargetArn": env.dlq_arn, "maxReceiveCount": 3})
    );
    assert_eq!(
        q["Policy"]["Statement"][0]["Action"],
        json!(["sqs:sendmessage"])
    );
    assert!(q.get("QueueArn").is_none() && q.get("CreatedTimestamp").is_none());
    let g = golden(&env, &format!("aws_security_group/{}.json", env.api_group));
    assert_eq!(
        g["IpPermissions"],
        json!({"tcp 443 10.0.0.0/8":
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv4": "10.0.0.0/8"}})
    );
    let s = golden(&env, "aws_ecs_service/prod/api.json");
    assert_eq!(s["taskDefinition"], "retainwise-backend:1");
    assert_eq!(s["desiredCount"], 2);
    let mut subnets = env.subnets.clone();
    subnets.sort();
    assert_eq!(
        s["networkConfiguration"]["awsvpcConfiguration"]["subnets"],
        json!(subnets)
    );

    // The default groups moto creates for each VPC are AWS's: not snapshotted.
    let groups = std::fs::read_dir(env.moto.path("golden/aws_security_group"))
        .unwrap()
        .count();
    assert_eq!(groups, 1);
    let report = env.moto.check(0);
    assert_eq!(report["summary"]["in_sync"], 5, "{report:#}");
}

#[tokio::test]
async fn queue_drift_names_the_attribute() {
    let env = seeded_and_snapshotted().await;
    let narrower = QUEUE_POLICY.replace("sns.amazonaws.com", "events.amazonaws.com");
    env.sqs
        .set_queue_attributes()
        .queue_url(&env.jobs_url)
        .attributes(Attr::VisibilityTimeout, "60")
        .attributes(
            Attr::RedrivePolicy,
            json!({"deadLetterTargetArn": env.dlq_arn, "maxReceiveCount": 10}).to_string(),
        )
        .attributes(Attr::Policy, narrower)
        .send()
        .await
        .unwrap();

    let report = env.moto.check(1);
    assert_eq!(
        entry(&report, "aws_sqs_queue", "jobs")["changes"],
        json!([
            {"path": "/Policy/Statement/0/Principal/Service/0", "op": "removed", "expected": "sns.amazonaws.com"},
            {"path": "/Policy/Statement/0/Principal/Service/0", "op": "added", "actual": "events.amazonaws.com"},
            {"path": "/RedrivePolicy/maxReceiveCount", "op": "changed", "expected": 3, "actual": 10},
            {"path": "/VisibilityTimeout", "op": "changed", "expected": 300, "actual": 60}
        ])
    );
}

#[tokio::test]
async fn deleted_queue_is_missing_and_hand_made_one_unmanaged() {
    let env = seeded_and_snapshotted().await;
    env.sqs
        .delete_queue()
        .queue_url(&env.jobs_url)
        .send()
        .await
        .unwrap();
    env.sqs
        .create_queue()
        .queue_name("tmp-debug-queue")
        .send()
        .await
        .unwrap();
    let report = env.moto.check(1);
    assert_eq!(entry(&report, "aws_sqs_queue", "jobs")["status"], "missing");
    assert_eq!(
        entry(&report, "aws_sqs_queue", "tmp-debug-queue")["status"],
        "unmanaged"
    );
    assert_eq!(
        entry(&report, "aws_sqs_queue", "jobs-dlq")["status"],
        "in_sync"
    );
}

#[tokio::test]
async fn a_respelled_queue_policy_is_in_sync() {
    let env = seeded_and_snapshotted().await;
    let respelled = r#"{"Version":"2012-10-17","Statement":{"Resource":["arn:aws:sqs:us-east-1:123456789012:jobs"],"Action":["SQS:SendMessage"],"Principal":{"Service":["sns.amazonaws.com"]},"Effect":"Allow","Sid":"FromTopic"}}"#;
    env.sqs
        .set_queue_attributes()
        .queue_url(&env.jobs_url)
        .attributes(Attr::Policy, respelled)
        .send()
        .await
        .unwrap();
    env.moto.check(0);
}

#[tokio::test]
async fn an_ssh_rule_from_anywhere_is_reported_as_that_rule() {
    let env = seeded_and_snapshotted().await;
    env.ec2
        .authorize_security_group_ingress()
        .group_id(&env.api_group)
        .ip_permissions(tcp(22, "0.0.0.0/0"))
        .send()
        .await
        .unwrap();

    let report = env.moto.check(1);
    assert_eq!(
        entry(&report, "aws_security_group", &env.api_group)["changes"],
        json!([{"path": "/IpPermissions/tcp 22 0.0.0.0~10", "op": "added",
                "actual": {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "0.0.0.0/0"}}])
    );
}

#[tokio::test]
async fn a_removed_egress_rule_is_reported() {
    let env = seeded_and_snapshotted().await;
    env.ec2
        .revoke_security_group_egress()
        .group_id(&env.api_group)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("-1")
                .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                .build(),
        )
        .send()
        .await
        .unwrap();
    let report = env.moto.check(1);
    assert_eq!(
        entry(&report, "aws_security_group", &env.api_group)["changes"],
        json!([{"path": "/IpPermissionsEgress", "op": "removed",
                "expected": {"all 0.0.0.0/0": {"IpProtocol": "-1", "CidrIpv4": "0.0.0.0/0"}}}])
    );
}

#[tokio::test]
async fn deleted_group_is_missing_and_hand_made_group_unmanaged() {
    let env = seeded_and_snapshotted().await;
    // The service references the group; a real account would refuse, moto does not.
    env.ec2
        .delete_security_group()
        .group_id(&env.api_group)
        .send()
        .await
        .unwrap();
    let made = env
        .ec2
        .create_security_group()
        .group_name("debug")
        .description("by hand")
        .send()
        .await
        .unwrap();
    let report = env.moto.check(1);
    assert_eq!(
        entry(&report, "aws_security_group", &env.api_group)["status"],
        "missing"
    );
    assert_eq!(
        entry(&report, "aws_security_group", made.group_id().unwrap())["status"],
        "unmanaged"
    );
}

#[tokio::test]
async fn desired_count_and_a_stale_revision_are_reported_on_the_service() {
    let env = seeded_and_snapshotted().await;
    env.ecs
        .update_service()
        .cluster("prod")
        .service("api")
        .desired_count(5)
        .send()
        .await
        .unwrap();
    let mut newer = backend();
    newer.cpu = "1024".into();
    register(&env.ecs, &newer).await; // revision 2, not deployed

    let report = env.moto.check(1);
    assert_eq!(
        entry(&report, "aws_ecs_service", "prod/api")["changes"],
        json!([
            {"path": "/desiredCount", "op": "changed", "expected": 2, "actual": 5},
            {"path": "/latestActiveTaskDefinition", "op": "added", "actual": "retainwise-backend:2"}
        ])
    );
}

#[tokio::test]
async fn deleted_service_is_missing_and_hand_made_service_unmanaged() {
    let env = seeded_and_snapshotted().await;
    env.ecs
        .delete_service()
        .cluster("prod")
        .service("api")
        .force(true)
        .send()
        .await
        .unwrap();
    register(&env.ecs, &worker()).await;
    env.ecs
        .create_service()
        .cluster("prod")
        .service_name("debug-worker")
        .task_definition("retainwise-worker")
        .desired_count(1)
        .send()
        .await
        .unwrap();
    let report = env.moto.check(1);
    assert_eq!(
        entry(&report, "aws_ecs_service", "prod/api")["status"],
        "missing"
    );
    assert_eq!(
        entry(&report, "aws_ecs_service", "prod/debug-worker")["status"],
        "unmanaged"
    );
}

#[tokio::test]
async fn one_failing_kind_does_not_hide_the_others() {
    let env = seeded_and_snapshotted().await;
    env.ecs
        .update_service()
        .cluster("prod")
        .service("api")
        .desired_count(3)
        .send()
        .await
        .unwrap();
    // SQS alone goes to a port nothing listens on (the SDK's per-service endpoint variable).
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}", l.local_addr().unwrap().port())
    };
    let run = env.moto.driftwatch_with_env(
        &["check", "--format", "json"],
        &[("AWS_ENDPOINT_URL_SQS", &dead)],
    );
    let report = run.expect_code(2).json();
    assert_eq!(report["errors"].as_array().unwrap().len(), 1, "{report:#}");
    assert_eq!(report["errors"][0]["kind"], "aws_sqs_queue");
    assert_eq!(
        entry(&report, "aws_ecs_service", "prod/api")["status"],
        "modified",
        "drift in the kinds that worked is still reported"
    );
    assert!(report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["kind"] != "aws_sqs_queue"));
}

#[tokio::test]
async fn rules_written_grouped_or_one_by_one_are_in_sync() {
    let env = seeded_and_snapshotted().await;
    let both = IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(8080)
        .to_port(8080)
        .ip_ranges(IpRange::builder().cidr_ip("10.1.0.0/16").build())
        .ip_ranges(IpRange::builder().cidr_ip("10.2.0.0/16").build())
        .build();
    env.ec2
        .authorize_security_group_ingress()
        .group_id(&env.api_group)
        .ip_permissions(both.clone())
        .send()
        .await
        .unwrap();
    env.moto.driftwatch(&["snapshot"]).expect_code(0);
    // Remove the grouped permission, add the same two rules back one call each, other order.
    env.ec2
        .revoke_security_group_ingress()
        .group_id(&env.api_group)
        .ip_permissions(both)
        .send()
        .await
        .unwrap();
    for cidr in ["10.2.0.0/16", "10.1.0.0/16"] {
        env.ec2
            .authorize_security_group_ingress()
            .group_id(&env.api_group)
            .ip_permissions(tcp(8080, cidr))
            .send()
            .await
            .unwrap();
    }
    env.moto.check(0);
}
