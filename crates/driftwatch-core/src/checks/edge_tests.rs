//! `lb-reference` and `db-reference`: a consistent stack (a service behind a load balancer,
//! reaching its database) has no finding, and one break each gives exactly that finding.

use serde_json::{json, Value};

use super::*;
use crate::model::{Identity, Origin, Resource};
use crate::scope::{Part, Scope};

const TG_ARN: &str =
    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/73e2d6bc24d8a067";
const HOST: &str = "app-db.c9akciq32.us-east-1.rds.amazonaws.com";

fn resource(doc: Value) -> Resource {
    Resource {
        document: doc,
        origin: Origin("test".into()),
        scope: Default::default(),
    }
}

/// A service in awsvpc mode behind a listener rule forwarding to its ip target group, whose task
/// reaches a Postgres instance admitting the service's group, as the account holds them.
fn stack() -> (Inventory, Extras) {
    let mut inv = Inventory::new("the account (us-east-1)", Kind::ALL);
    let task = json!({
        "family": "api", "networkMode": "awsvpc",
        "containerDefinitions": {"web": {
            "portMappings": [{"containerPort": 8000}],
            "environment": {"DATABASE_URL": format!("postgres://app@{HOST}:5432/app")},
        }},
    });
    inv.insert(Kind::EcsTaskDefinition, "api".into(), resource(task));
    let service = json!({
        "taskDefinition": "api:3",
        "loadBalancers": [{"targetGroupArn": TG_ARN, "containerName": "web", "containerPort": 8000}],
        "networkConfiguration": {"awsvpcConfiguration": {
            "subnets": ["subnet-a"], "securityGroups": ["sg-api"]}},
    });
    inv.insert(Kind::EcsService, "prod/api".into(), resource(service));
    let tg = json!({"Protocol": "HTTP", "Port": 8000, "VpcId": "vpc-1", "TargetType": "ip"});
    inv.insert(Kind::LbTargetGroup, "api".into(), resource(tg));
    let forward = json!([{"Type": "forward", "ForwardConfig": {"TargetGroups": [
        {"TargetGroupName": "api", "Weight": 1}]}}]);
    let fixed = json!([{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}]);
    let listener = json!({"Protocol": "HTTPS", "Port": 443, "DefaultActions": fixed});
    inv.insert(Kind::LbListener, "web/443".into(), resource(listener));
    let rule = json!({"Conditions": [], "Actions": forward});
    inv.insert(Kind::LbListenerRule, "web/443/10".into(), resource(rule));
    let api_group = json!({"GroupId": "sg-api", "VpcId": "vpc-1"});
    inv.insert(Kind::SecurityGroup, "sg-api".into(), resource(api_group));
    let db_group = json!({"GroupId": "sg-db", "VpcId": "vpc-1", "IpPermissions": {
        "tcp 5432 sg-api": {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                            "ReferencedGroupId": "sg-api"}}});
    inv.insert(Kind::SecurityGroup, "sg-db".into(), resource(db_group));
    let db = json!({"Engine": "postgres", "Port": 5432, "VpcSecurityGroupIds": ["sg-db"],
        "PubliclyAccessible": false, "StorageEncrypted": true, "DeletionProtection": true});
    inv.insert(Kind::DbInstance, "app-db".into(), resource(db));
    let subnet = Subnet {
        vpc: "vpc-1".into(),
        cidr: Some("10.0.1.0/24".into()),
    };
    let extras = Extras {
        identity: Some(Identity {
            account: "123456789012".into(),
            partition: "aws".into(),
            region: "us-east-1".into(),
        }),
        import_ids: [((Kind::LbTargetGroup, "api".to_string()), TG_ARN.to_string())].into(),
        subnets: Some(Subnets {
            read: [("subnet-a".to_string(), subnet)].into(),
            unread: None,
        }),
        ..Default::default()
    };
    (inv, extras)
}

fn only(check: CheckId) -> Options {
    Options {
        disable: CheckId::ALL
            .iter()
            .copied()
            .filter(|c| *c != check)
            .collect(),
        ..Default::default()
    }
}

fn findings(inv: &Inventory, extras: &Extras, check: CheckId) -> Vec<(Severity, String, String)> {
    run(inv, extras, &only(check))
        .findings
        .into_iter()
        .map(|f| (f.severity, f.id, f.message))
        .collect()
}

fn doc<'a>(inv: &'a mut Inventory, kind: Kind, id: &str) -> &'a mut Value {
    &mut inv
        .resources
        .get_mut(&(kind, id.to_string()))
        .unwrap()
        .document
}

#[test]
fn a_consistent_stack_has_no_finding_and_every_reference_is_judged() {
    let (inv, extras) = stack();
    for check in [CheckId::LbReference, CheckId::DbReference] {
        let outcome = run(&inv, &extras, &only(check));
        assert_eq!(outcome.findings, vec![], "{check}");
        assert_eq!(outcome.not_judged, vec![], "{check}");
        assert!(!outcome.judged.is_empty(), "{check}");
    }
}

#[test]
fn a_service_naming_a_target_group_that_is_gone_or_was_recreated() {
    let (mut inv, extras) = stack();
    inv.resources.remove(&(Kind::LbTargetGroup, "api".into()));
    let f = findings(&inv, &extras, CheckId::LbReference);
    // The rule forwarding to it is broken too.
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(f[0]
        .2
        .contains("registers its tasks with target group api, which does not exist"));
    assert!(f[1]
        .2
        .contains("forwards to target group api, which does not exist"));

    let (inv, mut extras) = stack();
    let now = TG_ARN.replace("73e2d6bc24d8a067", "0000000000000001");
    extras
        .import_ids
        .insert((Kind::LbTargetGroup, "api".into()), now.clone());
    let f = findings(&inv, &extras, CheckId::LbReference);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0]
        .2
        .contains(&format!("the target group of that name is now {now}")));
}

#[test]
fn a_target_group_nothing_forwards_to_of_the_wrong_type_vpc_or_container() {
    let (mut inv, extras) = stack();
    *doc(&mut inv, Kind::LbListenerRule, "web/443/10") = json!({"Actions": []});
    let f = findings(&inv, &extras, CheckId::LbReference);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0]
        .2
        .contains("no listener or listener rule forwards to it"));

    let (mut inv, extras) = stack();
    doc(&mut inv, Kind::LbTargetGroup, "api")["TargetType"] = json!("instance");
    let f = findings(&inv, &extras, CheckId::LbReference);
    assert!(
        f.len() == 1 && f[0].2.contains("whose target type is instance"),
        "{f:?}"
    );

    let (mut inv, extras) = stack();
    doc(&mut inv, Kind::LbTargetGroup, "api")["VpcId"] = json!("vpc-2");
    let f = findings(&inv, &extras, CheckId::LbReference);
    assert!(
        f.len() == 1
            && f[0]
                .2
                .contains("in vpc-2, but the service's tasks are in vpc-1")
    );

    let (mut inv, extras) = stack();
    doc(&mut inv, Kind::EcsService, "prod/api")["loadBalancers"][0]["containerPort"] = json!(80);
    let f = findings(&inv, &extras, CheckId::LbReference);
    assert!(
        f.len() == 1
            && f[0]
                .2
                .contains("port 80 of container web, which maps no such port")
    );
}

#[test]
fn offline_the_vpc_comes_from_the_groups_and_a_partial_source_is_not_judged() {
    // A golden folder: no subnets, no ARNs; the service's group tells the VPC.
    let (inv, mut extras) = stack();
    extras.subnets = None;
    extras.import_ids.clear();
    let outcome = run(&inv, &extras, &only(CheckId::LbReference));
    assert_eq!((outcome.findings.len(), outcome.not_judged.len()), (0, 0));

    // A state holding the service and its target group only: what forwards to it is not known.
    let (mut inv, extras) = stack();
    inv.open = vec![Kind::LbListener, Kind::LbListenerRule];
    inv.resources
        .remove(&(Kind::LbListenerRule, "web/443/10".into()));
    let outcome = run(&inv, &extras, &only(CheckId::LbReference));
    assert_eq!(outcome.findings, vec![]);
    assert_eq!(outcome.not_judged.len(), 1);
    assert_eq!(outcome.not_judged[0].reason, Reason::NotDescribed);

    // A target group whose target type the provider version did not record.
    let (mut inv, extras) = stack();
    let key = (Kind::LbTargetGroup, "api".to_string());
    inv.resources.get_mut(&key).unwrap().scope = Scope::partial(vec![Part::Whole("/Port".into())]);
    let outcome = run(&inv, &extras, &only(CheckId::LbReference));
    assert_eq!(outcome.findings, vec![]);
    assert!(outcome
        .not_judged
        .iter()
        .any(|n| n.reason == Reason::Partial));
}

#[test]
fn an_unused_target_group_is_a_warning() {
    let (mut inv, extras) = stack();
    let tg = json!({"Protocol": "HTTP", "Port": 80, "VpcId": "vpc-1", "TargetType": "ip"});
    inv.insert(Kind::LbTargetGroup, "old".into(), resource(tg));
    let f = findings(&inv, &extras, CheckId::LbReference);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!((f[0].0, f[0].1.as_str()), (Severity::Warning, "old"));
}

#[test]
fn a_database_endpoint_that_does_not_exist_or_does_not_admit_the_service() {
    let (mut inv, extras) = stack();
    let db = inv
        .resources
        .remove(&(Kind::DbInstance, "app-db".into()))
        .unwrap();
    let f = findings(&inv, &extras, CheckId::DbReference);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].1, "api");
    assert!(f[0].2.contains(&format!(
        "DATABASE_URL of container web names database endpoint {HOST}"
    )));
    assert!(
        f[0].2.contains("db instance app-db does not exist")
            || f[0].2.contains("app-db does not exist")
    );
    inv.insert(Kind::DbInstance, "app-db".into(), db);

    // The database's group loses the service's rule.
    doc(&mut inv, Kind::SecurityGroup, "sg-db")["IpPermissions"] = json!({});
    let f = findings(&inv, &extras, CheckId::DbReference);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].1, "prod/api");
    assert!(f[0].2.contains(
        "none of its security groups (sg-db) admits the service's (sg-api) on port 5432"
    ));

    // Another port, or only another group: still not admitted.
    doc(&mut inv, Kind::SecurityGroup, "sg-db")["IpPermissions"] = json!({"r": {
        "IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "ReferencedGroupId": "sg-api"}});
    assert_eq!(findings(&inv, &extras, CheckId::DbReference).len(), 1);
}

#[test]
fn address_rules_admit_by_the_subnets_ranges_live_and_are_not_judged_offline() {
    let (mut inv, mut extras) = stack();
    doc(&mut inv, Kind::SecurityGroup, "sg-db")["IpPermissions"] = json!({"r": {
        "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "CidrIpv4": "10.0.0.0/16"}});
    assert_eq!(findings(&inv, &extras, CheckId::DbReference), vec![]);
    extras
        .subnets
        .as_mut()
        .unwrap()
        .read
        .get_mut("subnet-a")
        .unwrap()
        .cidr = Some("10.9.1.0/24".into());
    assert_eq!(findings(&inv, &extras, CheckId::DbReference).len(), 1);
    extras.subnets = None;
    let outcome = run(&inv, &extras, &only(CheckId::DbReference));
    assert_eq!(outcome.findings, vec![]);
    assert_eq!(outcome.not_judged.len(), 1, "{:?}", outcome.not_judged);
    assert!(outcome.not_judged[0].message.contains("10.0.0.0/16"));
}

#[test]
fn an_rds_managed_secret_links_the_task_to_its_database() {
    let (mut inv, extras) = stack();
    let managed = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1f2e-AbCdEf";
    doc(&mut inv, Kind::EcsTaskDefinition, "api")["containerDefinitions"]["web"] = json!({"portMappings": [{"containerPort": 8000}],
               "secrets": {"DB_PASSWORD": format!("{managed}:password::")}});
    doc(&mut inv, Kind::DbInstance, "app-db")["MasterUserSecret"] = json!({"SecretArn": managed});
    assert_eq!(findings(&inv, &extras, CheckId::DbReference), vec![]);
    doc(&mut inv, Kind::SecurityGroup, "sg-db")["IpPermissions"] = json!({});
    assert_eq!(findings(&inv, &extras, CheckId::DbReference).len(), 1);
    doc(&mut inv, Kind::DbInstance, "app-db")["MasterUserSecret"] = json!({
        "SecretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-9999-ZzZzZz"});
    // A secret no database claims links to nothing (its existence is `secret-reference`'s).
    assert_eq!(findings(&inv, &extras, CheckId::DbReference), vec![]);
}

#[test]
fn public_unencrypted_or_unprotected_databases_are_warnings() {
    let (mut inv, extras) = stack();
    let db = doc(&mut inv, Kind::DbInstance, "app-db");
    db["PubliclyAccessible"] = json!(true);
    db["StorageEncrypted"] = json!(false);
    db.as_object_mut().unwrap().remove("DeletionProtection");
    let f = findings(&inv, &extras, CheckId::DbReference);
    let warnings: Vec<&str> = f
        .iter()
        .map(|(s, _, m)| {
            assert_eq!(*s, Severity::Warning);
            m.as_str()
        })
        .collect();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(warnings
        .iter()
        .any(|m| m.contains("is publicly accessible")));
    assert!(warnings
        .iter()
        .any(|m| m.contains("is not encrypted at rest")));
    assert!(warnings
        .iter()
        .any(|m| m.contains("has no deletion protection")));
}

#[test]
fn an_aurora_member_is_reached_through_its_clusters_port_and_groups() {
    let (mut inv, extras) = stack();
    // The member keeps what the cluster does not own; the network is the cluster's.
    *doc(&mut inv, Kind::DbInstance, "app-db") =
        json!({"DBClusterIdentifier": "app", "PubliclyAccessible": false});
    let cluster = json!({"Engine": "aurora-postgresql", "Port": 5432,
        "VpcSecurityGroupIds": ["sg-db"], "StorageEncrypted": true, "DeletionProtection": true});
    inv.insert(Kind::RdsCluster, "app".into(), resource(cluster));
    let outcome = run(&inv, &extras, &only(CheckId::DbReference));
    assert_eq!((outcome.findings, outcome.not_judged), (vec![], vec![]));
    doc(&mut inv, Kind::RdsCluster, "app")["Port"] = json!(3306);
    let f = findings(&inv, &extras, CheckId::DbReference);
    assert!(f.len() == 1 && f[0].2.contains("on port 3306"), "{f:?}");
}
