//! Unit tests of the diff engine: changes inside documents and statuses across inventories.

use super::*;
use serde_json::json;

#[test]
fn reports_each_leaf_change_with_a_pointer() {
    let e = json!({"c": {"web": {"environment": {"A": "1", "B": "2"}, "cpu": 256}}, "t/x": 1});
    let a = json!({"c": {"web": {"environment": {"A": "0", "C": "3"}, "cpu": 256}}, "t/x": 2});
    let got: Vec<(String, Op)> = changes(&e, &a)
        .into_iter()
        .map(|c| (c.path, c.op))
        .collect();
    assert_eq!(
        got,
        vec![
            ("/c/web/environment/A".into(), Op::Changed),
            ("/c/web/environment/B".into(), Op::Removed),
            ("/c/web/environment/C".into(), Op::Added),
            ("/t~1x".into(), Op::Changed),
        ]
    );
}

#[test]
fn list_items_are_added_and_removed_one_by_one() {
    let e = json!({"Statement": [{"Action": ["ec2:describe*", "ecs:runtask"], "Effect": "Allow"}]});
    let a = json!({"Statement": [{"Action": ["ecs:runtask", "iam:passrole"], "Effect": "Allow"}]});
    let got: Vec<(String, Op, Option<Value>, Option<Value>)> = changes(&e, &a)
        .into_iter()
        .map(|c| (c.path, c.op, c.expected, c.actual))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "/Statement/0/Action/0".into(),
                Op::Removed,
                Some(json!("ec2:describe*")),
                None
            ),
            (
                "/Statement/0/Action/1".into(),
                Op::Added,
                None,
                Some(json!("iam:passrole"))
            ),
        ]
    );
}

#[test]
fn statements_pair_by_sid() {
    let e = json!([{"Sid": "B", "Action": ["x:a"]}, {"Sid": "A", "Action": ["x:b"]}]);
    let a = json!([{"Sid": "A", "Action": ["x:b", "x:c"]}, {"Sid": "B", "Action": ["x:a"]}]);
    let got: Vec<String> = changes(&e, &a).into_iter().map(|c| c.path).collect();
    assert_eq!(got, vec!["/1/Action/1"]);
}

#[test]
fn a_reordered_list_is_one_change() {
    let c = changes(
        &json!({"command": ["a", "b"]}),
        &json!({"command": ["b", "a"]}),
    );
    assert_eq!(c.len(), 1);
    assert_eq!((c[0].path.as_str(), c[0].op), ("/command", Op::Changed));
}

#[test]
fn a_partial_reference_is_compared_on_its_claims_and_says_so() {
    use crate::model::Origin;
    use crate::scope::{Part, Scope};
    let resource = |document: Value, scope: Scope| Resource {
        document,
        origin: Origin("x".into()),
        scope,
    };
    let mut reference = Inventory::new("state", &[Kind::SecurityGroup]);
    let claims = Scope::partial(vec![Part::Members("/IpPermissions".into())]);
    let claimed =
        json!({"GroupId": "sg-1", "IpPermissions": {"tcp 443 10.0.0.0/8": {"FromPort": 443}}});
    reference.insert(
        Kind::SecurityGroup,
        "sg-1".into(),
        resource(claimed, claims),
    );
    let mut live = Inventory::new("live", &[Kind::SecurityGroup]);
    let group = json!({"GroupId": "sg-1", "GroupName": "g", "IpPermissions": {"tcp 22 0.0.0.0/0": {"FromPort": 22}}});
    live.insert(
        Kind::SecurityGroup,
        "sg-1".into(),
        resource(group, Scope::default()),
    );
    let report = compare(
        &[Kind::SecurityGroup],
        vec![(ReferenceKind::Terraform, reference)],
        live,
        Vec::new(),
        &Rules::default(),
    );
    let r = &report.resources[0];
    assert_eq!((r.status, r.partial), (Status::Modified, true));
    let got: Vec<(&str, Op)> = r.changes.iter().map(|c| (c.path.as_str(), c.op)).collect();
    assert_eq!(got, [("/IpPermissions/tcp 443 10.0.0.0~18", Op::Removed)]);
    // The shown diff holds only what was compared.
    assert!(r
        .actual
        .as_ref()
        .unwrap()
        .document
        .get("GroupName")
        .is_none());
}

#[test]
fn equal_documents_have_no_changes() {
    let d = json!({"a": [1, 2], "b": {"c": null}});
    assert!(changes(&d, &d.clone()).is_empty());
}

#[test]
fn the_json_report_names_references_as_one_string() {
    use crate::model::Origin;
    use crate::scope::Scope;
    let queue = |name: &str| Resource {
        document: json!({"QueueName": name}),
        origin: Origin(name.into()),
        scope: Scope::default(),
    };
    let mut golden = Inventory::new("golden", &[Kind::SqsQueue]);
    golden.insert(Kind::SqsQueue, "a".into(), queue("a"));
    let state = Inventory::new("x.tfstate", &[Kind::SqsQueue]);
    let mut live = Inventory::new("live", &[Kind::SqsQueue]);
    live.insert(Kind::SqsQueue, "a".into(), queue("a"));
    live.insert(Kind::SqsQueue, "b".into(), queue("b"));
    let report = compare(
        &[Kind::SqsQueue],
        vec![
            (ReferenceKind::Golden, golden),
            (ReferenceKind::Terraform, state),
        ],
        live,
        Vec::new(),
        &Rules::default(),
    );
    let json = serde_json::to_value(&report).unwrap();
    let got: Vec<(&str, &str)> = json["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["reference"].as_str().unwrap()))
        .collect();
    // Schema v1: a described resource names its reference, an unmanaged one every reference.
    assert_eq!(got, [("a", "golden"), ("b", "golden,terraform")]);
    assert_eq!(report.references, ["golden/", "x.tfstate"]);
}

#[test]
fn an_error_without_a_kind_leaves_every_kind_unjudged() {
    use crate::model::Origin;
    use crate::scope::Scope;
    let queue = |name: &str| Resource {
        document: json!({"QueueName": name}),
        origin: Origin(name.into()),
        scope: Scope::default(),
    };
    let mut golden = Inventory::new("golden", &[Kind::SqsQueue, Kind::IamRole]);
    golden.insert(Kind::SqsQueue, "a".into(), queue("a"));
    golden.insert(Kind::IamRole, "r".into(), queue("r"));
    // The account could not be told: the actual side was emptied, one error says why.
    let live = Inventory::new("live", &[]);
    let unknown = ErrorEntry {
        target: None,
        kind: None,
        message: "which account the credentials belong to cannot be told".into(),
    };
    let report = compare(
        &[Kind::SqsQueue, Kind::IamRole],
        vec![(ReferenceKind::Golden, golden)],
        live,
        vec![unknown],
        &Rules::default(),
    );
    assert!(report.resources.is_empty(), "{:?}", report.resources);
    assert_eq!(report.summary.missing, 0);
    assert_eq!(report.summary.errors, 1);
}
