//! Partial claims, attributes a state cannot know, the ECS service's role and the schema tables:
//! what a state of parts managed elsewhere, an older provider, or a newer one says.

use serde_json::{json, Value};

use super::{map, schema, Described, Mapped};
use crate::kinds;
use crate::model::Kind;
use crate::normalize::normalize;
use crate::scope::Part;
use crate::terraform::state::parse;

fn fixture(rel: &str) -> Value {
    let path = format!("{}/tests/fixtures/terraform-state/{rel}", repo!());
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn mapped(rel: &str) -> Mapped {
    map(parse(fixture(rel)).unwrap()).unwrap()
}

fn find<'a>(m: &'a Mapped, kind: Kind, id: &str) -> &'a Described {
    m.resources
        .iter()
        .find(|d| d.kind == kind && d.id == id)
        .unwrap_or_else(|| panic!("{kind} {id} not mapped"))
}

fn canonical(d: &Described) -> Value {
    normalize(d.kind, d.document.clone(), &Default::default())
}

#[test]
fn rules_of_a_group_managed_elsewhere_are_a_partial_claim_on_it() {
    let m = mapped("partial/rules_only.tfstate");
    assert!(m.not_checked.is_empty(), "{:?}", m.not_checked);
    let g = find(&m, Kind::SecurityGroup, "sg-0shared");
    assert!(g.scope.partial);
    assert_eq!(
        g.scope.parts,
        [
            Part::Members("/IpPermissions".into()),
            Part::Members("/IpPermissionsEgress".into())
        ]
    );
    assert_eq!(
        canonical(g),
        json!({"GroupId": "sg-0shared",
            "IpPermissions": {
                "tcp 443 10.0.0.0/8": {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                    "CidrIpv4": "10.0.0.0/8", "Description": "HTTPS from the VPC"},
                "tcp 9090 10.1.0.0/16": {"IpProtocol": "tcp", "FromPort": 9090, "ToPort": 9090,
                    "CidrIpv4": "10.1.0.0/16"}},
            "IpPermissionsEgress": {"udp 53 10.0.0.2/32": {"IpProtocol": "udp", "FromPort": 53,
                "ToPort": 53, "CidrIpv4": "10.0.0.2/32", "Description": "DNS"}}})
    );
    assert!(
        g.address.contains("aws_security_group_rule.https"),
        "{}",
        g.address
    );
    assert!(g.address.contains("aws_vpc_security_group_egress_rule.dns"));
}

#[test]
fn inline_policies_and_attachments_of_roles_managed_elsewhere() {
    let m = mapped("partial/role_policies_only.tfstate");
    assert!(m.not_checked.is_empty(), "{:?}", m.not_checked);
    let app = find(&m, Kind::IamRole, "platform-app");
    assert!(app.scope.partial);
    let doc = canonical(app);
    assert_eq!(
        doc["AttachedManagedPolicies"],
        json!([
            "arn:aws:iam::123456789012:policy/read-config",
            "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"
        ])
    );
    assert_eq!(
        doc["RolePolicyList"]["consume"]["Statement"][0]["Action"],
        json!(["sqs:deletemessage", "sqs:receivemessage"])
    );
    // aws_iam_policy_attachment names two roles: each gets the attachment.
    let cron = find(&m, Kind::IamRole, "platform-cron");
    assert_eq!(
        canonical(cron),
        json!({"RoleName": "platform-cron",
               "AttachedManagedPolicies": ["arn:aws:iam::123456789012:policy/read-config"]})
    );
}

#[test]
fn the_exclusive_attachment_folds_into_a_role_in_the_same_state() {
    let s = json!({"version": 4, "resources": [
        {"mode": "managed", "type": "aws_iam_role", "name": "r", "instances": [{"attributes": {
            "name": "api", "assume_role_policy": "{}", "managed_policy_arns": [], "inline_policy": [],
            "tags": {}}}]},
        {"mode": "managed", "type": "aws_iam_policy_attachment", "name": "a", "instances": [{"attributes": {
            "name": "a", "policy_arn": "arn:aws:iam::aws:policy/P", "roles": ["api"], "users": [], "groups": []}}]}]});
    let m = map(parse(s).unwrap()).unwrap();
    let api = find(&m, Kind::IamRole, "api");
    assert!(!api.scope.partial);
    assert_eq!(
        canonical(api)["AttachedManagedPolicies"],
        json!(["arn:aws:iam::aws:policy/P"])
    );
}

#[test]
fn policies_of_a_queue_managed_elsewhere() {
    let m = mapped("partial/queue_policy_only.tfstate");
    let events = find(&m, Kind::SqsQueue, "events");
    assert!(events.scope.partial);
    assert_eq!(
        events.scope.parts,
        [
            Part::Whole("/Policy".into()),
            Part::Whole("/RedrivePolicy".into())
        ]
    );
    let doc = canonical(events);
    assert_eq!(doc["RedrivePolicy"]["maxReceiveCount"], 5);
    assert_eq!(doc["Policy"]["Statement"][0]["Sid"], "FromBus");
    let dlq = find(&m, Kind::SqsQueue, "events-dlq");
    assert_eq!(dlq.scope.parts, [Part::Whole("/RedriveAllowPolicy".into())]);
}

#[test]
fn claims_on_one_owner_from_two_states_merge_and_a_whole_owner_takes_them_in() {
    let mut rules = mapped("partial/rules_only.tfstate").resources.remove(0);
    let other = json!({"version": 4, "resources": [
        {"mode": "managed", "type": "aws_security_group_rule", "name": "ssh", "instances": [{"attributes": {
            "security_group_id": "sg-0shared", "type": "ingress", "protocol": "tcp", "from_port": 22,
            "to_port": 22, "cidr_blocks": ["10.9.0.0/16"]}}]}]});
    let ssh = map(parse(other).unwrap()).unwrap().resources.remove(0);
    rules.merge(ssh.clone()).unwrap();
    assert!(rules.scope.partial);
    assert_eq!(
        canonical(&rules)["IpPermissions"]
            .as_object()
            .unwrap()
            .len(),
        3
    );

    let owner = json!({"version": 4, "resources": [
        {"mode": "managed", "type": "aws_security_group", "name": "g", "instances": [{"attributes": {
            "id": "sg-0shared", "name": "shared", "description": "d", "vpc_id": "vpc-1",
            "ingress": [], "egress": [], "tags": {}}}]}]});
    let mut whole = map(parse(owner).unwrap()).unwrap().resources.remove(0);
    whole.merge(ssh).unwrap();
    assert!(!whole.scope.partial);
    assert_eq!(
        canonical(&whole)["IpPermissions"],
        json!({"tcp 22 10.9.0.0/16":
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "10.9.0.0/16"}})
    );
    let twice = whole.clone();
    let e = whole.merge(twice).unwrap_err();
    assert!(
        e.contains("both describe aws_security_group `sg-0shared`"),
        "{e}"
    );
}

#[test]
fn attributes_a_provider_3_state_does_not_have_are_unknown_not_defaults() {
    let m = mapped("driftctl/aws_sqs_queue.tfstate");
    let foo = find(&m, Kind::SqsQueue, "foo");
    for path in [
        "/SqsManagedSseEnabled",
        "/RedriveAllowPolicy",
        "/DeduplicationScope",
        "/FifoThroughputLimit",
    ] {
        assert!(
            foo.scope.unknown.iter().any(|u| u == path),
            "{path}: {:?}",
            foo.scope.unknown
        );
    }
    // Present with the default value: known, and compared as today.
    assert!(!foo.scope.unknown.iter().any(|u| u == "/VisibilityTimeout"));
    let p5 = mapped("provider5/sqs.tfstate");
    let jobs = find(&p5, Kind::SqsQueue, "jobs");
    assert!(!jobs
        .scope
        .unknown
        .iter()
        .any(|u| u == "/SqsManagedSseEnabled"));
}

#[test]
fn an_owner_that_predates_managed_policy_arns_knows_only_the_attachments_of_the_state() {
    let s = json!({"version": 4, "resources": [
        {"mode": "managed", "type": "aws_iam_role", "name": "r", "instances": [{"attributes": {
            "name": "old", "assume_role_policy": "{}", "path": "/", "tags": {}}}]},
        {"mode": "managed", "type": "aws_iam_role_policy_attachment", "name": "a", "instances": [{"attributes": {
            "role": "old", "policy_arn": "arn:aws:iam::aws:policy/P"}}]}]});
    let m = map(parse(s).unwrap()).unwrap();
    let old = find(&m, Kind::IamRole, "old");
    assert!(!old.scope.partial);
    assert_eq!(
        old.scope.unknown,
        [
            "/Description",
            "/MaxSessionDuration",
            "/PermissionsBoundary",
            "/RolePolicyList"
        ]
    );
    assert_eq!(
        old.scope.parts,
        [Part::Members("/AttachedManagedPolicies".into())]
    );
}

#[test]
fn the_service_role_is_the_arn_describe_services_reports() {
    let m = mapped("provider6/ecs_service.tfstate");
    let web = find(&m, Kind::EcsService, "edge/web");
    assert_eq!(
        web.document["roleArn"],
        "arn:aws:iam::210987654321:role/ecs/web-elb"
    );
    // 3.x keeps only `aws-service-role` of ECS's service-linked role, which AWS reports and
    // the normalizer drops as the default.
    let legacy = find(&m, Kind::EcsService, "edge/legacy");
    assert_eq!(
        legacy.document["roleArn"],
        "arn:aws:iam::210987654321:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"
    );
    assert!(canonical(legacy).get("roleArn").is_none());
    // A role given as an ARN is kept; a role without an account to build the ARN is unknown.
    let s = json!({"version": 4, "resources": [
        {"mode": "managed", "type": "aws_ecs_service", "name": "a", "instances": [{"attributes": {
            "name": "a", "cluster": "c", "iam_role": "arn:aws-cn:iam::1:role/x"}}]},
        {"mode": "managed", "type": "aws_ecs_service", "name": "b", "instances": [{"attributes": {
            "name": "b", "cluster": "c", "iam_role": "x"}}]}]});
    let m = map(parse(s).unwrap()).unwrap();
    assert_eq!(
        find(&m, Kind::EcsService, "c/a").document["roleArn"],
        "arn:aws-cn:iam::1:role/x"
    );
    let b = find(&m, Kind::EcsService, "c/b");
    assert!(b.scope.unknown.iter().any(|u| u == "/roleArn"));
}

#[test]
fn every_mapped_service_argument_reaches_the_canonical_document() {
    let m = mapped("provider6/ecs_service.tfstate");
    let web = canonical(find(&m, Kind::EcsService, "edge/web"));
    assert_eq!(
        web,
        json!({
            "serviceName": "web", "desiredCount": 3, "launchType": "EC2",
            "taskDefinition": "web:12", "propagateTags": "SERVICE", "enableECSManagedTags": true,
            "healthCheckGracePeriodSeconds": 30,
            "roleArn": "arn:aws:iam::210987654321:role/ecs/web-elb",
            "availabilityZoneRebalancing": "DISABLED",
            "deploymentConfiguration": {"maximumPercent": 150, "minimumHealthyPercent": 50,
                "deploymentCircuitBreaker": {"enable": true, "rollback": true},
                "alarms": {"alarmNames": ["web-5xx"], "enable": true, "rollback": false}},
            "loadBalancers": [{"targetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:210987654321:targetgroup/web/0123456789abcdef",
                "containerName": "web", "containerPort": 8080}],
            "placementStrategy": [{"type": "spread", "field": "attribute:ecs.availability-zone"},
                                  {"type": "binpack", "field": "memory"}],
            "placementConstraints": [{"type": "distinctInstance"}],
            "serviceRegistries": [{"registryArn": "arn:aws:servicediscovery:eu-west-1:210987654321:service/srv-web"}],
            "tags": {"app": "web", "owner": "platform"}
        })
    );
}

/// Every attribute a fixture holds for a mapped type is either mapped or listed as not
/// compared, every type a kind maps or folds is in some fixture, and the README's table lists
/// each attribute that is not compared.
#[test]
fn every_attribute_of_a_mapped_type_is_mapped_or_listed_as_not_compared() {
    let root = format!("{}/tests/fixtures/terraform-state", repo!());
    let mut files = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(root)];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "tfstate" || x == "json") {
                files.push(p);
            }
        }
    }
    let mut missing = Vec::new();
    let mut seen = 0;
    let mut types_seen = std::collections::BTreeSet::new();
    for f in &files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        // A state version this build does not read says nothing about attributes.
        let Ok(instances) = parse(doc) else { continue };
        for i in instances {
            // A type no kind maps or folds (a data source, another service) is not compared.
            let Some(s) = kinds::terraform_type(&i.r#type) else {
                continue;
            };
            types_seen.insert(s.name);
            for name in i.attributes.as_object().into_iter().flat_map(|m| m.keys()) {
                seen += 1;
                let mapped = s.mapped.iter().any(|(n, _)| n == name);
                if !mapped && schema::not_compared(&i.r#type, name).is_none() {
                    missing.push(format!("{}: {} {name}", f.display(), i.r#type));
                }
            }
        }
    }
    assert!(seen > 300, "only {seen} attributes read");
    let unseen: Vec<&str> = kinds::terraform_types()
        .map(|t| t.name)
        .filter(|t| !types_seen.contains(t))
        .collect();
    assert!(
        unseen.is_empty(),
        "no fixture state under tests/fixtures/terraform-state holds {unseen:?}: add one, so \
         their tables are checked against what the provider writes"
    );
    assert!(
        missing.is_empty(),
        "neither mapped nor listed:\n{}",
        missing.join("\n")
    );

    let readme = std::fs::read_to_string(format!("{}/README.md", repo!())).unwrap();
    for s in kinds::terraform_types() {
        for (name, _) in s.not_compared {
            let listed = readme.lines().any(|l| {
                l.starts_with('|')
                    && l.contains(&format!("`{}`", s.name))
                    && l.contains(&format!("`{name}`"))
            });
            assert!(
                listed,
                "README does not list {} `{name}` as not compared",
                s.name
            );
        }
    }
    for (name, _) in schema::COMMON {
        let listed = readme
            .lines()
            .any(|l| l.starts_with("| every mapped type") && l.contains(&format!("`{name}`")));
        assert!(
            listed,
            "README does not list `{name}` for every mapped type"
        );
    }
}
