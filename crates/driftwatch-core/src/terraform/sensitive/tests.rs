//! Sensitive marks: every shape a state writes them in, and where they land once mapped.

use serde_json::json;

use super::{from_show_json, from_v4, paths, perturb};

#[test]
fn v4_paths_of_steps_become_one_tree() {
    let marks = from_v4(Some(&json!([
        [{"type": "get_attr", "value": "tags"}, {"type": "index", "value": {"value": "token", "type": "string"}}],
        [{"type": "get_attr", "value": "ingress"}, {"type": "index", "value": {"value": 0, "type": "number"}}],
        [{"type": "get_attr", "value": "container_definitions"}]
    ])))
    .unwrap();
    assert_eq!(
        marks,
        json!({"tags": {"token": true}, "ingress": {"0": true}, "container_definitions": true})
    );
    assert_eq!(from_v4(Some(&json!([]))), None);
    assert_eq!(from_v4(None), None);
}

#[test]
fn path_objects_and_lone_steps_are_read_and_unknown_shapes_mark_everything() {
    let marks = from_v4(Some(&json!([
        {"path": [{"type": "get_attr", "value": "policy"}]},
        {"type": "get_attr", "value": "name"}
    ])))
    .unwrap();
    assert_eq!(marks, json!({"policy": true, "name": true}));
    // An unknown step marks what holds it: here the whole instance.
    assert_eq!(
        from_v4(Some(&json!([[{"type": "splat"}]]))).unwrap(),
        json!(true)
    );
    assert_eq!(from_v4(Some(&json!({"x": 1}))).unwrap(), json!(true));
    assert_eq!(from_v4(Some(&json!(["tags"]))).unwrap(), json!(true));
}

#[test]
fn show_json_mirrors_mark_only_when_something_is_true() {
    assert_eq!(from_show_json(Some(&json!({}))), None);
    assert_eq!(from_show_json(Some(&json!({"tags": {}}))), None);
    let m = json!({"tags": {"token": true}, "ingress": [false, true]});
    assert_eq!(from_show_json(Some(&m)), Some(m.clone()));
    assert_eq!(from_show_json(Some(&json!({"x": 3}))), Some(json!(true)));
}

#[test]
fn perturbing_changes_marked_values_inside_json_text_too_and_nothing_else() {
    let a = json!({"name": "api", "tags": {"token": "t", "team": "ml"}, "n": 5,
        "container_definitions": "[{\"name\":\"web\",\"cpu\":1}]"});
    let p = perturb(
        &a,
        &json!({"tags": {"token": true}, "container_definitions": true}),
    );
    assert_eq!(p["name"], "api");
    assert_eq!(p["tags"]["team"], "ml");
    assert_ne!(p["tags"]["token"], "t");
    let defs: serde_json::Value =
        serde_json::from_str(p["container_definitions"].as_str().unwrap()).unwrap();
    assert_ne!(defs[0]["name"], "web");
    assert_ne!(defs[0]["cpu"], 1);
}

#[test]
fn tags_all_follows_tags() {
    let a = json!({"tags": {"k": "v"}, "tags_all": {"k": "v", "default": "d"}});
    let p = perturb(&a, &json!({"tags": true}));
    assert_ne!(p["tags_all"]["k"], "v");
    assert_ne!(p["tags_all"]["default"], "d");
}

#[test]
fn paths_name_leaves_objects_whose_keys_differ_and_whole_lists() {
    let plain = json!({"Name": "q", "Tags": {"a": "1", "b": "2"}, "env": {"X": "1"},
        "list": [1, 2, 3]});
    let other = json!({"Name": "q", "Tags": {"a": "1~", "b": "2"}, "env": {"X~": "1"},
        "list": [1, 2, 4]});
    assert_eq!(paths(&plain, &other), ["/Tags/a", "/env", "/list"]);
    assert!(paths(&plain, &plain).is_empty());
}

fn mapped(instance: serde_json::Value) -> crate::terraform::map::Described {
    use crate::normalize::{normalize_raw, Redaction};
    let redaction = Redaction::configured(None);
    let canon = |kind, doc| normalize_raw(kind, doc, &redaction);
    let state = json!({"version": 4, "resources": [instance]});
    let instances = crate::terraform::state::parse(state).unwrap();
    let mut m = crate::terraform::map::map_with(instances, Some(&canon)).unwrap();
    m.resources.remove(0)
}

fn queue(sensitive: serde_json::Value) -> serde_json::Value {
    json!({"mode": "managed", "type": "aws_sqs_queue", "name": "q", "instances": [{
        "attributes": {"name": "jobs", "visibility_timeout_seconds": 60,
            "tags": {"token": "t0k", "team": "ml"}},
        "sensitive_attributes": sensitive}]})
}

#[test]
fn a_sensitive_tag_hides_that_tag_only_and_an_unknown_shape_hides_all() {
    let d = mapped(queue(json!([[{"type": "get_attr", "value": "tags"},
        {"type": "index", "value": {"value": "token", "type": "string"}}]])));
    assert_eq!(d.scope.sensitive, ["/Tags/token"]);
    let d = mapped(queue(json!("tags")));
    assert_eq!(d.scope.sensitive, [""]);
    let d = mapped(queue(json!([])));
    assert!(d.scope.sensitive.is_empty());
}

#[test]
fn sensitive_container_definitions_hide_every_container() {
    let defs = json!([{"name": "web", "image": "app:1", "essential": true,
        "environment": [{"name": "LABEL", "value": "x"}]}]);
    let d = mapped(
        json!({"mode": "managed", "type": "aws_ecs_task_definition", "name": "t",
        "instances": [{"attributes": {"family": "api", "container_definitions": defs.to_string(),
            "cpu": "256", "memory": "512", "network_mode": "awsvpc"},
        "sensitive_attributes": [[{"type": "get_attr", "value": "container_definitions"}]]}]}),
    );
    assert_eq!(d.scope.sensitive, ["/containerDefinitions"]);
}

#[test]
fn marks_inside_a_value_of_another_shape_change_the_whole_value() {
    let a = json!({"container_definitions": "[{\"name\":\"app\",\"image\":\"secret-marker\"}]",
                   "name": "q"});
    let p = perturb(
        &a,
        &json!({"container_definitions": {"0": true}, "name": {"x": false}}),
    );
    assert!(
        !p["container_definitions"]
            .as_str()
            .unwrap()
            .contains("\"secret-marker\""),
        "{p}"
    );
    // Marks that mark nothing leave the value as it is.
    assert_eq!(p["name"], json!("q"));
}
