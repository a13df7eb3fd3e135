//! Every fixture state maps to the canonical documents we expect: the real provider-3.x states
//! from driftctl and hand-written provider-5.x states (see their README).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::map;
use crate::model::Kind;
use crate::normalize::normalize;
use crate::terraform::state::parse;

fn canonical(rel: &str) -> (BTreeMap<(Kind, String), Value>, BTreeMap<String, usize>) {
    let path = format!("{}/tests/fixtures/terraform-state/{rel}", repo!());
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mapped = map(parse(doc).unwrap()).unwrap();
    let docs = mapped
        .resources
        .into_iter()
        .map(|d| {
            (
                (d.kind, d.id),
                normalize(d.kind, d.document, &Default::default()),
            )
        })
        .collect();
    (docs, mapped.not_checked)
}

fn get(docs: &BTreeMap<(Kind, String), Value>, kind: Kind, id: &str) -> Value {
    docs.get(&(kind, id.to_string()))
        .unwrap_or_else(|| panic!("{kind} {id} not mapped: {:?}", docs.keys()))
        .clone()
}

#[test]
fn provider3_iam_policies() {
    let (docs, not_checked) = canonical("driftctl/aws_iam_policy_multiple.tfstate");
    assert!(not_checked.is_empty());
    assert_eq!(docs.len(), 3);
    assert_eq!(
        get(&docs, Kind::IamPolicy, "policy-1"),
        json!({"PolicyName": "policy-1", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Sid": "EC2Admin", "Effect": "Allow", "Action": ["ec2:*"], "Resource": ["*"]}]}})
    );
}

#[test]
fn provider3_iam_roles() {
    let (docs, _) = canonical("driftctl/aws_iam_role_multiple.tfstate");
    assert_eq!(
        get(&docs, Kind::IamRole, "test_role_0"),
        json!({
            "RoleName": "test_role_0", "Path": "/test/",
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"Service": ["ec2.amazonaws.com"]}, "Action": ["sts:assumerole"]}]},
            "Tags": {"foo": "bar0"}
        })
    );
}

#[test]
fn provider3_attachments_without_their_roles_are_partial_claims_on_them() {
    // The state holds four attachments but not the roles they attach to.
    let (docs, not_checked) = canonical("driftctl/aws_iam_role_policy_attachment.tfstate");
    assert!(not_checked.is_empty());
    assert_eq!(docs.len(), 2);
    assert_eq!(
        get(&docs, Kind::IamRole, "test-role2"),
        json!({"RoleName": "test-role2", "AttachedManagedPolicies": [
            "arn:aws:iam::526954929923:policy/test-policy",
            "arn:aws:iam::526954929923:policy/test-policy2"]})
    );
}

#[test]
fn provider3_sqs_queues() {
    let (docs, _) = canonical("driftctl/aws_sqs_queue.tfstate");
    assert_eq!(
        get(&docs, Kind::SqsQueue, "bar.fifo"),
        json!({"QueueName": "bar.fifo", "FifoQueue": true, "ContentBasedDeduplication": true,
               "MaximumMessageSize": 262144})
    );
    assert_eq!(
        get(&docs, Kind::SqsQueue, "foo"),
        json!({"QueueName": "foo", "MaximumMessageSize": 262144})
    );
}

#[test]
fn provider3_security_groups_and_the_default_group() {
    let (docs, _) = canonical("driftctl/aws_vpc_security_group.tfstate");
    let foo = get(&docs, Kind::SecurityGroup, "sg-0254c038e32f25530");
    assert_eq!(foo["GroupName"], "foo");
    assert_eq!(
        foo["IpPermissions"],
        json!({"all 0.0.0.0/0": {"IpProtocol": "-1", "CidrIpv4": "0.0.0.0/0", "Description": "Foo"}})
    );
    assert_eq!(
        foo["IpPermissionsEgress"],
        json!({"all 0.0.0.0/0": {"IpProtocol": "-1", "CidrIpv4": "0.0.0.0/0", "Description": "Bar"}})
    );
    // aws_default_security_group: its default rules are AWS's and dropped like live ones.
    let default = get(&docs, Kind::SecurityGroup, "sg-9e0204ff");
    assert!(default.get("IpPermissions").is_none(), "{default:#}");
    assert!(default.get("IpPermissionsEgress").is_none(), "{default:#}");
}

#[test]
fn provider5_ecs() {
    let (docs, _) = canonical("provider5/ecs.tfstate");
    assert_eq!(
        get(&docs, Kind::EcsTaskDefinition, "worker"),
        json!({
            "family": "worker", "cpu": 256, "memory": 512, "networkMode": "awsvpc",
            "requiresCompatibilities": ["FARGATE"],
            "executionRoleArn": "arn:aws:iam::123456789012:role/ecs-execution",
            "taskRoleArn": "arn:aws:iam::123456789012:role/worker-task",
            "ephemeralStorage": {"sizeInGiB": 30},
            "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
            "volumes": {"scratch": {}},
            "containerDefinitions": {"worker": {"image": "example/worker:1.4",
                "environment": {"CONCURRENCY": "4", "QUEUE": "jobs"}}},
            "tags": {"team": "ml"}
        })
    );
    assert_eq!(
        get(&docs, Kind::EcsService, "prod/worker"),
        json!({
            "serviceName": "worker", "desiredCount": 1, "launchType": "FARGATE",
            "taskDefinition": "worker:3",
            "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-a", "subnet-b"],
                "securityGroups": ["sg-0worker"]}},
            "tags": {"team": "ml"}
        })
    );
}

#[test]
fn provider5_iam_folds_policies_and_attachments_into_the_role() {
    let (docs, _) = canonical("provider5/iam.tfstate");
    let role = get(&docs, Kind::IamRole, "worker-task");
    assert_eq!(
        role["AttachedManagedPolicies"],
        json!([
            "arn:aws:iam::123456789012:policy/read-config",
            "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"
        ])
    );
    let inline = role["RolePolicyList"].as_object().unwrap();
    assert_eq!(inline.keys().collect::<Vec<_>>(), ["consume", "logs"]);
    assert_eq!(
        inline["logs"]["Statement"][0]["Action"],
        json!(["logs:putlogevents"])
    );
    let policy = get(&docs, Kind::IamPolicy, "read-config");
    assert_eq!(policy["Description"], "Read app config");
    assert_eq!(
        policy["PolicyDocument"]["Statement"][0]["Action"],
        json!(["ssm:getparameter", "ssm:getparametersbypath"])
    );
}

#[test]
fn show_json_maps_like_the_raw_state() {
    let (raw, _) = canonical("provider5/iam.tfstate");
    let (shown, _) = canonical("provider5/iam.show.json");
    assert_eq!(raw, shown);
}

#[test]
fn provider5_sqs_folds_queue_policy_and_redrive_resources() {
    let (docs, _) = canonical("provider5/sqs.tfstate");
    let jobs = get(&docs, Kind::SqsQueue, "jobs");
    assert_eq!(jobs["VisibilityTimeout"], 300);
    assert_eq!(
        jobs["RedrivePolicy"],
        json!({"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:jobs-dlq", "maxReceiveCount": 3})
    );
    assert_eq!(jobs["Policy"]["Statement"][0]["Sid"], "FromTopic");
    let dlq = get(&docs, Kind::SqsQueue, "jobs-dlq");
    assert_eq!(
        dlq["RedriveAllowPolicy"],
        json!({"redrivePermission": "byQueue", "sourceQueueArns": ["arn:aws:sqs:us-east-1:123456789012:jobs"]})
    );
    assert_eq!(dlq["MessageRetentionPeriod"], 1209600);
}

#[test]
fn provider5_security_group_rules_of_all_three_styles_fold_into_one_set() {
    let (docs, not_checked) = canonical("provider5/security_groups.tfstate");
    assert_eq!(
        not_checked,
        BTreeMap::from([("aws_lambda_function".to_string(), 1)])
    );
    let api = get(&docs, Kind::SecurityGroup, "sg-0api");
    assert_eq!(
        api["IpPermissions"],
        json!({
            "tcp 9090 10.0.0.0/8": {"IpProtocol": "tcp", "FromPort": 9090, "ToPort": 9090,
                "CidrIpv4": "10.0.0.0/8", "Description": "Prometheus"},
            "tcp 9090 172.16.0.0/12": {"IpProtocol": "tcp", "FromPort": 9090, "ToPort": 9090,
                "CidrIpv4": "172.16.0.0/12", "Description": "Prometheus"},
            "tcp 8000 sg-0alb": {"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8000,
                "ReferencedGroupId": "sg-0alb", "Description": "from the ALB"},
            "all sg-0api": {"IpProtocol": "-1", "ReferencedGroupId": "sg-0api"}
        })
    );
    assert_eq!(
        api["IpPermissionsEgress"],
        json!({"all 0.0.0.0/0": {"IpProtocol": "-1", "CidrIpv4": "0.0.0.0/0"}})
    );
}

#[test]
fn the_same_resource_twice_is_an_error_naming_both() {
    let s = json!({"version": 4, "resources": [
        {"mode": "managed", "type": "aws_sqs_queue", "name": "a", "instances": [{"attributes": {"name": "q"}}]},
        {"mode": "managed", "type": "aws_sqs_queue", "name": "b", "instances": [{"attributes": {"name": "q"}}]}]});
    let e = map(parse(s).unwrap()).unwrap_err();
    assert!(
        e.contains("aws_sqs_queue.a") && e.contains("aws_sqs_queue.b"),
        "{e}"
    );
}

/// `ACCOUNT/sg-…` is how the provider writes another account's group (a peered VPC's): the
/// account is kept as AWS reports it (`UserId`), and the group's own account, written the same
/// way, is dropped as AWS's answer drops it; so the state and `DescribeSecurityGroups` agree.
#[test]
fn a_peer_group_reference_keeps_its_account_and_matches_aws() {
    let state = json!({"version": 4, "terraform_version": "1.9.5", "serial": 1, "lineage": "x",
        "resources": [{"mode": "managed", "type": "aws_security_group", "name": "app",
            "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
            "instances": [{"schema_version": 0, "attributes": {"id": "sg-app", "name": "app",
                "description": "app", "vpc_id": "vpc-1", "owner_id": "111122223333",
                "egress": [], "ingress": [{"protocol": "tcp", "from_port": 443, "to_port": 443,
                    "cidr_blocks": [], "ipv6_cidr_blocks": [], "prefix_list_ids": [],
                    "security_groups": ["444455556666/sg-peer", "111122223333/sg-own", "sg-plain"],
                    "self": false, "description": ""}]}}]}]});
    let mapped = map(parse(state).unwrap()).unwrap();
    let d = &mapped.resources[0];
    let from_state = normalize(d.kind, d.document.clone(), &Default::default());
    let pair = |g: &str, u: &str| json!({"GroupId": g, "UserId": u});
    let from_aws = normalize(
        Kind::SecurityGroup,
        json!({"GroupId": "sg-app", "GroupName": "app", "Description": "app", "VpcId": "vpc-1",
            "OwnerId": "111122223333", "IpPermissionsEgress": [],
            "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [],
                "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": [
                    pair("sg-peer", "444455556666"), pair("sg-own", "111122223333"),
                    pair("sg-plain", "111122223333")]}]}),
        &Default::default(),
    );
    assert_eq!(from_state, from_aws);
    assert_eq!(
        from_state["IpPermissions"]["tcp 443 sg-peer"]["ReferencedUserId"],
        "444455556666"
    );
    assert_eq!(
        from_state["IpPermissions"]["tcp 443 sg-own"].get("ReferencedUserId"),
        None
    );
}

#[test]
fn provider5_secrets_fold_policy_rotation_and_version_and_parameters_map_without_values() {
    let (docs, not_checked) = canonical("provider5/secrets_and_parameters.tfstate");
    assert!(not_checked.is_empty(), "{not_checked:?}");
    assert_eq!(
        get(&docs, Kind::SecretsmanagerSecret, "prod/db-url"),
        json!({
            "Name": "prod/db-url", "Description": "the backend's database URL",
            "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1111aaaa-2222-3333-4444-555566667777",
            "ResourcePolicy": {"Version": "2012-10-17", "Statement": [{"Sid": "Backend",
                "Effect": "Allow",
                "Principal": {"AWS": ["arn:aws:iam::123456789012:role/backend-exec"]},
                "Action": ["secretsmanager:getsecretvalue"], "Resource": ["*"]}]},
            "RotationEnabled": true,
            "RotationLambdaARN": "arn:aws:lambda:us-east-1:123456789012:function:rotate-db-url",
            "RotationRules": {"Duration": "3h", "ScheduleExpression": "rate(10 days)"},
            "Tags": {"app": "backend", "env": "prod"}
        })
    );
    assert_eq!(
        get(&docs, Kind::SsmParameter, "/prod/db/host"),
        json!({"Name": "/prod/db/host", "Type": "String", "Tags": {"app": "backend"}})
    );
    assert_eq!(
        get(&docs, Kind::SsmParameter, "/prod/api-key"),
        json!({"Name": "/prod/api-key", "Type": "SecureString", "Tier": "Advanced",
            "Description": "the partner API key", "AllowedPattern": "^[A-Za-z0-9]+$"})
    );
    let all = format!("{docs:?}");
    assert!(!all.contains("fixture-not-a-real"), "{all}");
}
