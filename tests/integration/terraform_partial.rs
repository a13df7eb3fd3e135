//! States that hold only parts of something managed elsewhere (rules of a group, inline
//! policies and attachments of a role, a queue's policy), states from an older provider, and an
//! ECS service with a role, against moto: exactly what the state claims is compared.

use aws_sdk_ec2::types::{IpPermission, IpRange};
use aws_sdk_sqs::types::QueueAttributeName as Attr;
use serde_json::{json, Value};

use crate::harness::{entry, Moto};
use crate::seed::ACCOUNT;

fn instance(ty: &str, name: &str, attributes: Value) -> Value {
    json!({"mode": "managed", "type": ty, "name": name,
           "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
           "instances": [{"schema_version": 0, "attributes": attributes}]})
}

fn write_state(moto: &Moto, resources: Vec<Value>) {
    let state = json!({"version": 4, "terraform_version": "1.9.5", "serial": 1,
                       "lineage": "test", "outputs": {}, "resources": resources});
    std::fs::write(moto.path("part.tfstate"), state.to_string()).unwrap();
}

/// `check --state part.tfstate --kind KIND --format json` with the expected exit code.
fn check(moto: &Moto, kind: &str, code: i32) -> Value {
    moto.driftwatch(&[
        "check",
        "--state",
        "part.tfstate",
        "--kind",
        kind,
        "--format",
        "json",
    ])
    .expect_code(code)
    .json()
}

fn paths(r: &Value) -> Vec<String> {
    r["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["path"].as_str().unwrap().to_string())
        .collect()
}

fn tcp(port: i32, cidr: &str) -> IpPermission {
    IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(port)
        .to_port(port)
        .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
        .build()
}

#[tokio::test]
async fn a_state_of_only_rules_checks_those_rules_of_a_group_managed_elsewhere() {
    let moto = Moto::start();
    let ec2 = moto.ec2().await;
    let vpc = ec2
        .create_vpc()
        .cidr_block("10.7.0.0/16")
        .send()
        .await
        .unwrap();
    let vpc_id = vpc.vpc().unwrap().vpc_id().unwrap();
    let g = ec2
        .create_security_group()
        .group_name("shared")
        .description("managed by the network team")
        .vpc_id(vpc_id)
        .send()
        .await
        .unwrap();
    let group = g.group_id().unwrap().to_string();
    ec2.authorize_security_group_ingress()
        .group_id(&group)
        .ip_permissions(tcp(443, "10.0.0.0/8"))
        .ip_permissions(tcp(22, "10.1.0.0/16"))
        .send()
        .await
        .unwrap();
    write_state(
        &moto,
        vec![instance(
            "aws_security_group_rule",
            "https",
            json!({"security_group_id": group, "type": "ingress", "protocol": "tcp",
                   "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/8"],
                   "ipv6_cidr_blocks": [], "prefix_list_ids": [], "self": false,
                   "source_security_group_id": null, "description": null}),
        )],
    );
    let r = check(&moto, "aws_security_group", 0);
    let e = entry(&r, "aws_security_group", &group);
    assert_eq!(
        (e["status"].clone(), e["partial"].clone()),
        (json!("in_sync"), json!(true)),
        "{r:#}"
    );
    assert!(r["not_checked"].is_null(), "{r:#}");

    // Not this state's: another rule, added by hand.
    ec2.authorize_security_group_ingress()
        .group_id(&group)
        .ip_permissions(tcp(8080, "0.0.0.0/0"))
        .send()
        .await
        .unwrap();
    let r = check(&moto, "aws_security_group", 0);
    assert_eq!(entry(&r, "aws_security_group", &group)["status"], "in_sync");

    // The claimed rule, removed by hand.
    ec2.revoke_security_group_ingress()
        .group_id(&group)
        .ip_permissions(tcp(443, "10.0.0.0/8"))
        .send()
        .await
        .unwrap();
    let r = check(&moto, "aws_security_group", 1);
    let e = entry(&r, "aws_security_group", &group);
    assert_eq!(e["status"], "modified");
    assert_eq!(e["partial"], true);
    assert_eq!(paths(e), ["/IpPermissions/tcp 443 10.0.0.0~18"]);
    assert_eq!(e["changes"][0]["op"], "removed");
    assert_eq!(e["changes"][0]["expected"]["FromPort"], 443);
    let console = moto
        .driftwatch(&[
            "check",
            "--state",
            "part.tfstate",
            "--kind",
            "aws_security_group",
        ])
        .expect_code(1)
        .stdout;
    assert!(
        console.contains(&format!(
            "~ aws_security_group {group}: modified (1 change) (partial: only what this state manages)"
        )),
        "{console}"
    );
    let markdown = moto
        .driftwatch(&[
            "check",
            "--state",
            "part.tfstate",
            "--kind",
            "aws_security_group",
            "--format",
            "markdown",
        ])
        .expect_code(1)
        .stdout;
    assert!(
        markdown.contains("(partial: only what this state manages)"),
        "{markdown}"
    );

    // The group itself, gone.
    ec2.delete_security_group()
        .group_id(&group)
        .send()
        .await
        .unwrap();
    let r = check(&moto, "aws_security_group", 1);
    let e = entry(&r, "aws_security_group", &group);
    assert_eq!(
        (e["status"].clone(), e["partial"].clone()),
        (json!("missing"), json!(true))
    );
}

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const CONSUME: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage"],"Resource":"*"}]}"#;
const EXTRA: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

#[tokio::test]
async fn a_state_of_only_inline_policies_and_attachments_checks_them_on_the_role() {
    let moto = Moto::start();
    let iam = moto.iam().await;
    iam.create_role()
        .role_name("platform-app")
        .assume_role_policy_document(TRUST)
        .send()
        .await
        .unwrap();
    for (name, doc) in [("consume", CONSUME), ("extra", EXTRA)] {
        iam.put_role_policy()
            .role_name("platform-app")
            .policy_name(name)
            .policy_document(doc)
            .send()
            .await
            .unwrap();
    }
    let policy = iam
        .create_policy()
        .policy_name("read-config")
        .policy_document(EXTRA)
        .send()
        .await
        .unwrap();
    let policy_arn = policy.policy().unwrap().arn().unwrap().to_string();
    iam.attach_role_policy()
        .role_name("platform-app")
        .policy_arn(&policy_arn)
        .send()
        .await
        .unwrap();
    write_state(
        &moto,
        vec![
            instance(
                "aws_iam_role_policy",
                "consume",
                json!({"id": "platform-app:consume", "role": "platform-app", "name": "consume",
                       "name_prefix": "", "policy": CONSUME}),
            ),
            instance(
                "aws_iam_policy_attachment",
                "read_config",
                json!({"id": "read-config", "name": "read-config", "policy_arn": policy_arn,
                       "roles": ["platform-app"], "users": [], "groups": []}),
            ),
        ],
    );
    let r = check(&moto, "aws_iam_role", 0);
    let e = entry(&r, "aws_iam_role", "platform-app");
    assert_eq!(
        (e["status"].clone(), e["partial"].clone()),
        (json!("in_sync"), json!(true)),
        "{r:#}"
    );

    // Not this state's: the other inline policy and the trust policy, changed by hand.
    iam.put_role_policy()
        .role_name("platform-app")
        .policy_name("extra")
        .policy_document(CONSUME)
        .send()
        .await
        .unwrap();
    iam.update_assume_role_policy()
        .role_name("platform-app")
        .policy_document(TRUST.replace("ecs-tasks", "lambda"))
        .send()
        .await
        .unwrap();
    let r = check(&moto, "aws_iam_role", 0);
    assert_eq!(
        entry(&r, "aws_iam_role", "platform-app")["status"],
        "in_sync"
    );

    // The claimed inline policy, widened by hand, and the claimed attachment, detached.
    iam.put_role_policy()
        .role_name("platform-app")
        .policy_name("consume")
        .policy_document(CONSUME.replace(
            "\"sqs:DeleteMessage\"",
            "\"sqs:DeleteMessage\",\"sqs:PurgeQueue\"",
        ))
        .send()
        .await
        .unwrap();
    iam.detach_role_policy()
        .role_name("platform-app")
        .policy_arn(&policy_arn)
        .send()
        .await
        .unwrap();
    let r = check(&moto, "aws_iam_role", 1);
    let e = entry(&r, "aws_iam_role", "platform-app");
    assert_eq!(e["partial"], true);
    assert_eq!(
        paths(e),
        [
            "/AttachedManagedPolicies/0",
            "/RolePolicyList/consume/Statement/0/Action/1"
        ],
        "{e:#}"
    );

    // The role itself, gone.
    for name in ["consume", "extra"] {
        iam.delete_role_policy()
            .role_name("platform-app")
            .policy_name(name)
            .send()
            .await
            .unwrap();
    }
    iam.delete_role()
        .role_name("platform-app")
        .send()
        .await
        .unwrap();
    let r = check(&moto, "aws_iam_role", 1);
    let e = entry(&r, "aws_iam_role", "platform-app");
    assert_eq!(
        (e["status"].clone(), e["partial"].clone()),
        (json!("missing"), json!(true))
    );
}

fn queue_policy(actions: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"FromBus","Effect":"Allow","Principal":{{"Service":"events.amazonaws.com"}},"Action":{actions},"Resource":"arn:aws:sqs:us-east-1:{ACCOUNT}:events"}}]}}"#
    )
}

#[tokio::test]
async fn a_state_of_only_a_queue_policy_checks_that_policy() {
    let moto = Moto::start();
    let sqs = moto.sqs().await;
    let policy = queue_policy(r#""sqs:SendMessage""#);
    let q = sqs
        .create_queue()
        .queue_name("events")
        .attributes(Attr::VisibilityTimeout, "60")
        .attributes(Attr::Policy, &policy)
        .send()
        .await
        .unwrap();
    let url = q.queue_url().unwrap().to_string();
    let state_url = format!("https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/events");
    write_state(
        &moto,
        vec![instance(
            "aws_sqs_queue_policy",
            "events",
            json!({"id": state_url, "queue_url": state_url, "policy": policy}),
        )],
    );
    let r = check(&moto, "aws_sqs_queue", 0);
    let e = entry(&r, "aws_sqs_queue", "events");
    assert_eq!(
        (e["status"].clone(), e["partial"].clone()),
        (json!("in_sync"), json!(true)),
        "{r:#}"
    );

    // Not this state's: the visibility timeout. (moto 5.2.5 drops the policy on any
    // SetQueueAttributes that does not repeat it; AWS keeps it. Repeat it, as on AWS.)
    sqs.set_queue_attributes()
        .queue_url(&url)
        .attributes(Attr::VisibilityTimeout, "90")
        .attributes(Attr::Policy, &policy)
        .send()
        .await
        .unwrap();
    let r = check(&moto, "aws_sqs_queue", 0);
    assert_eq!(entry(&r, "aws_sqs_queue", "events")["status"], "in_sync");

    // The claimed policy, widened by hand.
    sqs.set_queue_attributes()
        .queue_url(&url)
        .attributes(
            Attr::Policy,
            queue_policy(r#"["sqs:SendMessage","sqs:ReceiveMessage"]"#),
        )
        .send()
        .await
        .unwrap();
    let r = check(&moto, "aws_sqs_queue", 1);
    let e = entry(&r, "aws_sqs_queue", "events");
    assert_eq!(e["partial"], true);
    assert_eq!(paths(e), ["/Policy/Statement/0/Action/0"], "{e:#}");

    sqs.delete_queue().queue_url(&url).send().await.unwrap();
    let r = check(&moto, "aws_sqs_queue", 1);
    assert_eq!(entry(&r, "aws_sqs_queue", "events")["status"], "missing");
}

#[tokio::test]
async fn a_provider_3_queue_without_sse_sqs_is_in_sync_with_a_queue_that_has_it_off() {
    let moto = Moto::start();
    let sqs = moto.sqs().await;
    sqs.create_queue()
        .queue_name("old")
        .attributes(Attr::SqsManagedSseEnabled, "false")
        .attributes(Attr::MaximumMessageSize, "262144")
        .send()
        .await
        .unwrap();
    let url = format!("https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/old");
    // The attributes of aws provider 3.x (2021): no `sqs_managed_sse_enabled`, no
    // `redrive_allow_policy`, no `deduplication_scope`, no `fifo_throughput_limit`.
    let v3 = json!({"arn": format!("arn:aws:sqs:us-east-1:{ACCOUNT}:old"), "id": url, "name": "old",
        "name_prefix": null, "content_based_deduplication": false, "delay_seconds": 0,
        "fifo_queue": false, "kms_data_key_reuse_period_seconds": 300, "kms_master_key_id": "",
        "max_message_size": 262144, "message_retention_seconds": 345600, "policy": "",
        "receive_wait_time_seconds": 0, "redrive_policy": "", "tags": {},
        "visibility_timeout_seconds": 30});
    write_state(&moto, vec![instance("aws_sqs_queue", "old", v3.clone())]);
    let r = check(&moto, "aws_sqs_queue", 0);
    let e = entry(&r, "aws_sqs_queue", "old");
    assert_eq!(e["status"], "in_sync", "{r:#}");
    assert!(e.get("partial").is_none(), "a whole queue is not partial");

    // A 5.x state that says SSE-SQS is on still finds it off.
    let mut v5 = v3;
    v5["sqs_managed_sse_enabled"] = json!(true);
    write_state(&moto, vec![instance("aws_sqs_queue", "old", v5)]);
    let r = check(&moto, "aws_sqs_queue", 1);
    assert_eq!(
        paths(entry(&r, "aws_sqs_queue", "old")),
        ["/SqsManagedSseEnabled"]
    );
}

#[tokio::test]
async fn a_service_with_an_iam_role_is_in_sync_whichever_form_the_provider_stored() {
    let moto = Moto::start();
    let ecs = moto.ecs().await;
    crate::seed::register(&ecs, &crate::seed::worker()).await;
    crate::seed::cluster(&ecs, "edge").await;
    let role = |path: &str| format!("arn:aws:iam::{ACCOUNT}:role{path}");
    let linked = "/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS";
    for (name, path) in [("web", "/ecs/web-elb"), ("legacy", linked)] {
        ecs.create_service()
            .cluster("edge")
            .service_name(name)
            .task_definition(crate::seed::worker().family)
            .desired_count(1)
            .launch_type(aws_sdk_ecs::types::LaunchType::Ec2)
            .role(role(path))
            .send()
            .await
            .unwrap();
    }
    let service = |name: &str, iam_role: &str| {
        instance(
            "aws_ecs_service",
            name,
            json!({"id": format!("arn:aws:ecs:us-east-1:{ACCOUNT}:service/edge/{name}"),
                "name": name, "cluster": format!("arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/edge"),
                "task_definition": format!("{}:1", crate::seed::worker().family),
                "desired_count": 1, "launch_type": "EC2", "iam_role": iam_role,
                "scheduling_strategy": "REPLICA", "deployment_maximum_percent": 200,
                "deployment_minimum_healthy_percent": 100, "network_configuration": [],
                "load_balancer": [], "placement_constraints": [], "tags": {}}),
        )
    };
    // 5.x stores a role given by name as its path and name; 3.x stores ECS's service-linked
    // role as `aws-service-role`.
    write_state(
        &moto,
        vec![
            service("web", "/ecs/web-elb"),
            service("legacy", "aws-service-role"),
        ],
    );
    let r = check(&moto, "aws_ecs_service", 0);
    assert_eq!(
        entry(&r, "aws_ecs_service", "edge/web")["status"],
        "in_sync",
        "{r:#}"
    );
    assert_eq!(
        entry(&r, "aws_ecs_service", "edge/legacy")["status"],
        "in_sync"
    );

    // Another role is drift on `roleArn`.
    write_state(
        &moto,
        vec![
            service("web", "/ecs/other"),
            service("legacy", "aws-service-role"),
        ],
    );
    let r = check(&moto, "aws_ecs_service", 1);
    assert_eq!(
        paths(entry(&r, "aws_ecs_service", "edge/web")),
        ["/roleArn"]
    );
}
