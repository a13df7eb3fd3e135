//! One account written in every input format driftwatch accepts — a terraformer state in format
//! 3, a format-4 state with `attributes_flat`, `terraform show -json` of a plan — maps to the
//! same canonical documents.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{map::map, state::parse};
use crate::model::Kind;
use crate::normalize::normalize;

fn canonical(rel: &str) -> BTreeMap<(Kind, String), Value> {
    let path = format!("{}/tests/fixtures/terraform-state/{rel}", repo!());
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mapped = map(parse(doc).unwrap()).unwrap();
    assert!(
        mapped.not_checked.is_empty(),
        "{rel}: {:?}",
        mapped.not_checked
    );
    mapped
        .resources
        .into_iter()
        .map(|d| {
            (
                (d.kind, d.id),
                normalize(d.kind, d.document, &Default::default()),
            )
        })
        .collect()
}

#[test]
fn a_terraformer_state_in_format_3_maps_every_resource() {
    let docs = canonical("v3/terraformer.tfstate");
    let ids: Vec<(Kind, &str)> = docs.keys().map(|(k, id)| (*k, id.as_str())).collect();
    assert_eq!(
        ids,
        [
            (Kind::EcsTaskDefinition, "retainwise-backend"),
            (Kind::IamRole, "retainwise-backend-task"),
            (Kind::SqsQueue, "jobs"),
            (Kind::SqsQueue, "jobs-dlq"),
            (Kind::SecurityGroup, "sg-0f1e2d3c4b5a69788"),
        ]
    );
    let jobs = &docs[&(Kind::SqsQueue, "jobs".to_string())];
    assert_eq!(jobs["VisibilityTimeout"], 300);
    assert_eq!(jobs["RedrivePolicy"]["maxReceiveCount"], 3);
    assert_eq!(jobs["Tags"], json!({"team": "ml"}));
    let group = &docs[&(Kind::SecurityGroup, "sg-0f1e2d3c4b5a69788".to_string())];
    assert_eq!(
        group["IpPermissions"].as_object().unwrap().len(),
        2,
        "one rule per CIDR: {group:#}"
    );
    let first = group["IpPermissions"].as_object().unwrap().values().next();
    assert_eq!(first.unwrap()["FromPort"], 443);
    let role = &docs[&(Kind::IamRole, "retainwise-backend-task".to_string())];
    assert!(role["RolePolicyList"]["consume"].is_object(), "{role:#}");
    let td = &docs[&(Kind::EcsTaskDefinition, "retainwise-backend".to_string())];
    assert_eq!(
        td["containerDefinitions"]["backend"]["environment"]["ENABLE_SQS"],
        "true"
    );
}

#[test]
fn every_format_of_one_account_maps_to_the_same_documents() {
    let v3 = canonical("v3/terraformer.tfstate");
    assert_eq!(canonical("flatmap/upgraded-from-0.11.tfstate"), v3);
    assert_eq!(canonical("plan/plan.json"), v3);
}
