//! One test per flatmap shape, and a round trip of every typed fixture state through a flatmap.

use serde_json::{json, Map, Value};

use super::decode;

fn flat(pairs: &[(&str, &str)]) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Value::from(*v)))
        .collect()
}

#[test]
fn scalars_stay_strings_unless_the_schema_types_them() {
    let got = decode(
        &flat(&[
            (
                "id",
                "https://sqs.us-east-1.amazonaws.com/123456789012/jobs",
            ),
            ("name", "jobs"),
            ("visibility_timeout_seconds", "300"),
            ("fifo_queue", "false"),
            ("kms_master_key_id", ""),
            ("policy", "{\"Version\":\"2012-10-17\"}"),
        ]),
        "aws_sqs_queue",
    );
    assert_eq!(
        got,
        json!({"id": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs", "name": "jobs",
               "visibility_timeout_seconds": 300, "fifo_queue": false, "kms_master_key_id": "",
               "policy": "{\"Version\":\"2012-10-17\"}"})
    );
    // The task definition's cpu is a string in the provider's schema: it stays one.
    let td = decode(
        &flat(&[("cpu", "512"), ("revision", "3")]),
        "aws_ecs_task_definition",
    );
    assert_eq!(td, json!({"cpu": "512", "revision": 3}));
}

#[test]
fn a_value_the_schema_cannot_convert_stays_a_string() {
    let got = decode(
        &flat(&[("delay_seconds", "soon"), ("fifo_queue", "yes")]),
        "aws_sqs_queue",
    );
    assert_eq!(got, json!({"delay_seconds": "soon", "fifo_queue": "yes"}));
}

#[test]
fn lists_keep_their_order_by_index() {
    let got = decode(
        &flat(&[
            ("requires_compatibilities.#", "11"),
            ("requires_compatibilities.0", "a"),
            ("requires_compatibilities.1", "b"),
            ("requires_compatibilities.2", "c"),
            ("requires_compatibilities.3", "d"),
            ("requires_compatibilities.4", "e"),
            ("requires_compatibilities.5", "f"),
            ("requires_compatibilities.6", "g"),
            ("requires_compatibilities.7", "h"),
            ("requires_compatibilities.8", "i"),
            ("requires_compatibilities.9", "j"),
            ("requires_compatibilities.10", "k"),
        ]),
        "aws_ecs_task_definition",
    );
    // 10 after 9, not after 1.
    assert_eq!(
        got["requires_compatibilities"],
        json!(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"])
    );
}

#[test]
fn maps_take_the_whole_rest_of_the_key_dots_included() {
    let got = decode(
        &flat(&[
            ("tags.%", "2"),
            ("tags.Team", "ml"),
            ("tags.kubernetes.io/cluster/prod", "owned"),
            ("tags_all.%", "0"),
        ]),
        "aws_sqs_queue",
    );
    assert_eq!(
        got,
        json!({"tags": {"Team": "ml", "kubernetes.io/cluster/prod": "owned"}, "tags_all": {}})
    );
}

#[test]
fn map_values_that_look_like_numbers_stay_strings() {
    let got = decode(
        &flat(&[("tags.%", "1"), ("tags.port", "80")]),
        "aws_sqs_queue",
    );
    assert_eq!(got, json!({"tags": {"port": "80"}}));
}

#[test]
fn sets_keyed_by_hash_become_lists_of_their_items() {
    let got = decode(
        &flat(&[
            ("security_groups.#", "2"),
            ("security_groups.3451278932", "sg-2"),
            ("security_groups.1085732712", "sg-1"),
        ]),
        "aws_security_group_rule",
    );
    assert_eq!(got, json!({"security_groups": ["sg-1", "sg-2"]}));
}

#[test]
fn nested_blocks_in_sets_with_their_own_lists_and_typed_leaves() {
    let got = decode(
        &flat(&[
            ("ingress.#", "2"),
            ("ingress.2541437006.cidr_blocks.#", "1"),
            ("ingress.2541437006.cidr_blocks.0", "0.0.0.0/0"),
            ("ingress.2541437006.description", ""),
            ("ingress.2541437006.from_port", "443"),
            ("ingress.2541437006.ipv6_cidr_blocks.#", "0"),
            ("ingress.2541437006.protocol", "tcp"),
            ("ingress.2541437006.security_groups.#", "0"),
            ("ingress.2541437006.self", "false"),
            ("ingress.2541437006.to_port", "443"),
            ("ingress.753360330.cidr_blocks.#", "0"),
            ("ingress.753360330.from_port", "0"),
            ("ingress.753360330.protocol", "-1"),
            ("ingress.753360330.self", "true"),
            ("ingress.753360330.to_port", "0"),
        ]),
        "aws_security_group",
    );
    assert_eq!(
        got,
        json!({"ingress": [
            {"cidr_blocks": [], "from_port": 0, "protocol": "-1", "self": true, "to_port": 0},
            {"cidr_blocks": ["0.0.0.0/0"], "description": "", "from_port": 443,
             "ipv6_cidr_blocks": [], "protocol": "tcp", "security_groups": [], "self": false,
             "to_port": 443}
        ]})
    );
}

#[test]
fn single_blocks_nested_two_deep_and_maps_inside_blocks() {
    let got = decode(
        &flat(&[
            ("network_configuration.#", "1"),
            ("network_configuration.0.assign_public_ip", "true"),
            ("network_configuration.0.subnets.#", "1"),
            ("network_configuration.0.subnets.1234", "subnet-1"),
            ("deployment_circuit_breaker.#", "1"),
            ("deployment_circuit_breaker.0.enable", "true"),
            ("deployment_circuit_breaker.0.rollback", "false"),
            ("desired_count", "2"),
        ]),
        "aws_ecs_service",
    );
    assert_eq!(
        got,
        json!({"network_configuration": [{"assign_public_ip": true, "subnets": ["subnet-1"]}],
               "deployment_circuit_breaker": [{"enable": true, "rollback": false}],
               "desired_count": 2})
    );
    let td = decode(
        &flat(&[
            ("proxy_configuration.#", "1"),
            ("proxy_configuration.0.container_name", "envoy"),
            ("proxy_configuration.0.properties.%", "2"),
            ("proxy_configuration.0.properties.AppPorts", "8080"),
            ("proxy_configuration.0.properties.IgnoredUID", "1337"),
            ("volume.#", "1"),
            ("volume.99.name", "data"),
            ("volume.99.efs_volume_configuration.#", "1"),
            (
                "volume.99.efs_volume_configuration.0.transit_encryption_port",
                "2049",
            ),
            (
                "volume.99.efs_volume_configuration.0.authorization_config.#",
                "1",
            ),
            (
                "volume.99.efs_volume_configuration.0.authorization_config.0.iam",
                "ENABLED",
            ),
        ]),
        "aws_ecs_task_definition",
    );
    assert_eq!(
        td,
        json!({"proxy_configuration": [{"container_name": "envoy",
                   "properties": {"AppPorts": "8080", "IgnoredUID": "1337"}}],
               "volume": [{"name": "data", "efs_volume_configuration": [{
                   "transit_encryption_port": 2049,
                   "authorization_config": [{"iam": "ENABLED"}]}]}]})
    );
}

#[test]
fn empty_lists_and_maps_are_empty_not_absent() {
    let got = decode(
        &flat(&[("ingress.#", "0"), ("egress.#", "0"), ("tags.%", "0")]),
        "aws_security_group",
    );
    assert_eq!(got, json!({"ingress": [], "egress": [], "tags": {}}));
}

#[test]
fn maps_counted_with_a_hash_in_very_old_states_are_maps() {
    let got = decode(
        &flat(&[("tags.#", "1"), ("tags.Name", "api")]),
        "aws_security_group",
    );
    assert_eq!(got, json!({"tags": {"Name": "api"}}));
}

/// The flatmap Terraform would write for typed `attributes`: lists and sets by index with `#`,
/// maps with `%`, blocks (objects in lists) by attribute, every leaf a string, nulls left out.
fn flatten(attributes: &Value) -> Map<String, Value> {
    fn attr(key: &str, v: &Value, out: &mut Map<String, Value>) {
        match v {
            Value::Null => {}
            Value::Array(items) => {
                out.insert(format!("{key}.#"), Value::from(items.len().to_string()));
                for (i, item) in items.iter().enumerate() {
                    let k = format!("{key}.{i}");
                    match item {
                        Value::Object(m) => m
                            .iter()
                            .for_each(|(n, x)| attr(&format!("{k}.{n}"), x, out)),
                        other => attr(&k, other, out),
                    }
                }
            }
            Value::Object(m) => {
                out.insert(format!("{key}.%"), Value::from(m.len().to_string()));
                for (n, x) in m {
                    attr(&format!("{key}.{n}"), x, out);
                }
            }
            Value::String(s) => {
                out.insert(key.to_string(), Value::from(s.as_str()));
            }
            other => {
                out.insert(key.to_string(), Value::from(other.to_string()));
            }
        }
    }
    let mut out = Map::new();
    for (k, v) in attributes.as_object().unwrap() {
        attr(k, v, &mut out);
    }
    out
}

fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, x)| !x.is_null())
                .map(|(k, x)| (k.clone(), without_nulls(x)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

#[test]
fn every_typed_fixture_survives_a_flatmap_round_trip() {
    let root = repo!();
    let mut files: Vec<String> = glob::glob(&format!(
        "{root}/tests/fixtures/terraform-state/*/*.tfstate"
    ))
    .unwrap()
    .map(|p| p.unwrap().display().to_string())
    .collect();
    files.push(format!("{root}/demo/terraform.tfstate"));
    let mut checked = 0;
    for file in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for r in doc["resources"].as_array().into_iter().flatten() {
            let ty = r["type"].as_str().unwrap();
            // Types no kind maps or folds are not typed: they are not compared.
            if r["mode"] != "managed" || crate::kinds::terraform_type(ty).is_none() {
                continue;
            }
            for i in r["instances"].as_array().unwrap() {
                let Some(typed) = i.get("attributes") else {
                    continue;
                };
                assert_eq!(
                    decode(&flatten(typed), ty),
                    without_nulls(typed),
                    "{file}: {ty}.{}: a numeric or boolean attribute missing from its kind's schema.rs (numbers, bools)?",
                    r["name"]
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 40, "only {checked} instances checked");
}
