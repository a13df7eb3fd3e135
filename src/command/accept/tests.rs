use serde_json::json;

use super::*;
use crate::ignore::IdGlob;
use crate::model::{Origin, Resource};

const TD: Kind = Kind::EcsTaskDefinition;

fn inv(docs: &[(&str, Value)]) -> Inventory {
    let mut inv = Inventory::new("x", &[TD]);
    for (id, doc) in docs {
        let r = Resource {
            document: doc.clone(),
            origin: Origin(id.to_string()),
            scope: Default::default(),
        };
        inv.insert(TD, id.to_string(), r);
    }
    inv
}

fn sel(glob: &str) -> Vec<(Kind, IdGlob)> {
    vec![(TD, IdGlob::parse(glob).unwrap())]
}

#[test]
fn only_what_differs_is_written_and_what_is_gone_removed() {
    let golden = inv(&[
        ("api", json!({"cpu": 1})),
        ("old", json!({"cpu": 1})),
        ("same", json!({"cpu": 3})),
    ]);
    let live = inv(&[
        ("api", json!({"cpu": 2})),
        ("new", json!({"cpu": 5})),
        ("same", json!({"cpu": 3})),
    ]);
    let plan = plan(&golden, &live, &sel("*"), &Rules::default(), false);
    assert_eq!(
        plan.writes,
        vec![
            (TD, "api".into(), json!({"cpu": 2})),
            (TD, "new".into(), json!({"cpu": 5}))
        ]
    );
    assert_eq!(plan.removals, vec![(TD, "old".to_string())]);
    assert_eq!(plan.unchanged, 1);
    assert!(plan.unmatched.is_empty());
}

#[test]
fn a_selector_that_names_nothing_is_reported() {
    let golden = inv(&[("api", json!({}))]);
    let plan = plan(&golden, &inv(&[]), &sel("nope-*"), &Rules::default(), false);
    assert_eq!(
        plan.unmatched,
        vec!["aws_ecs_task_definition:nope-*".to_string()]
    );
}

#[test]
fn ignored_paths_keep_the_golden_value_and_ignored_resources_are_left_alone() {
    let rules = Rules::parse("aws_ecs_task_definition:*:/image\naws_ecs_task_definition:scratch\n")
        .unwrap();
    let golden = inv(&[
        ("api", json!({"image": "a:1", "cpu": 1})),
        ("scratch", json!({})),
    ]);
    let live = inv(&[
        ("api", json!({"image": "a:2", "cpu": 1})),
        ("scratch", json!({"cpu": 9})),
    ]);
    let plan = plan(&golden, &live, &sel("*"), &rules, false);
    assert!(plan.writes.is_empty(), "{plan:?}");
    assert_eq!(plan.unchanged, 1);
    assert_eq!(plan.ignored, vec![(TD, "scratch".to_string())]);
}
