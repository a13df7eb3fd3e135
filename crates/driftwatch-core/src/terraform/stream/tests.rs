//! The stream maps a state exactly as the general path does, or leaves it to it.

use serde_json::{json, Value};

use super::{map_v4, map_v4_with};
use crate::terraform::map::{map, Mapped};
use crate::terraform::state::parse;

/// What the general path makes of `text`: the mapping, or the message.
fn general(text: &[u8]) -> Result<Mapped, String> {
    let doc: Value = serde_json::from_slice(text).map_err(|e| e.to_string())?;
    map(parse(doc)?)
}

fn same(a: &Mapped, b: &Mapped) {
    assert_eq!(a.resources, b.resources);
    assert_eq!(a.not_checked, b.not_checked);
}

#[test]
fn every_fixture_state_maps_as_the_general_path_maps_it() {
    let root = concat!(repo!(), "/tests/fixtures/terraform-state");
    let mut streamed = 0;
    for dir in std::fs::read_dir(root).unwrap() {
        for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let name = path.display().to_string();
            if !(name.ends_with(".tfstate") || name.ends_with(".json")) {
                continue;
            }
            let text = std::fs::read(&path).unwrap();
            let expected = general(&text).unwrap();
            let doc: Value = serde_json::from_slice(&text).unwrap();
            match map_v4(&text) {
                Some(got) => {
                    assert_eq!(doc["version"], 4, "{name}");
                    same(&got, &expected);
                    streamed += 1;
                }
                // Only what is not a raw version 4 state is left to the general path.
                None => assert!(doc["version"] != 4, "{name} was not streamed"),
            }
        }
    }
    assert!(streamed >= 10, "{streamed} fixture states streamed");
}

fn queue(name: &str) -> Value {
    json!({"index_key": name, "attributes": {"name": name, "tags": {"team": "ml"}}})
}

/// A resource with its keys in Terraform's order (`json!` would sort them).
fn resource(module: Option<&str>, mode: &str, ty: &str, instances: Value) -> String {
    let module = module.map_or(String::new(), |m| format!("\"module\": \"{m}\", "));
    format!(
        "{{{module}\"mode\": \"{mode}\", \"type\": \"{ty}\", \"name\": \"r\", \
         \"provider\": \"provider[\\\"registry.terraform.io/hashicorp/aws\\\"]\", \
         \"instances\": {instances}}}"
    )
}

/// A version 4 state as Terraform writes it.
fn state(resources: &[String]) -> String {
    format!(
        "{{\"version\": 4, \"terraform_version\": \"1.9.5\", \"serial\": 3, \
         \"outputs\": {{\"x\": {{\"value\": [1, {{\"a\": null}}]}}}}, \"resources\": [{}]}}",
        resources.join(", ")
    )
}

#[test]
fn modules_data_sources_related_resources_and_unknown_types_map_alike() {
    let text = state(&[
        resource(
            None,
            "data",
            "aws_iam_policy_document",
            json!([{"attributes": {}}]),
        ),
        resource(
            Some("module.jobs"),
            "managed",
            "aws_sqs_queue",
            json!([queue("a"), queue("b")]),
        ),
        resource(
            None,
            "managed",
            "aws_sqs_queue_policy",
            json!([{"attributes": {"queue_url": "https://sqs.us-east-1.amazonaws.com/1/a",
                                   "policy": "{\"Version\":\"2012-10-17\"}"}}]),
        ),
        resource(
            None,
            "managed",
            "aws_s3_object",
            json!([{"attributes": {"bucket": "b"}}]),
        ),
        resource(
            None,
            "managed",
            "aws_sqs_queue",
            json!([{"schema_version": 0, "attributes_flat": {"name": "old", "fifo_queue": "false"}}]),
        ),
    ]);
    let got = map_v4(text.as_bytes()).expect("streamed");
    same(&got, &general(text.as_bytes()).unwrap());
    assert_eq!(got.resources.len(), 3);
    assert_eq!(
        got.resources[0].address,
        "module.jobs.aws_sqs_queue.r[\"a\"]"
    );
    assert_eq!(got.not_checked.get("aws_s3_object"), Some(&1));
}

#[test]
fn anything_unusual_is_left_to_the_general_path() {
    let q = resource(None, "managed", "aws_sqs_queue", json!([queue("a")]));
    let late_type = r#"{"mode": "managed", "name": "q", "instances": [], "type": "aws_sqs_queue"}"#;
    let left = [
        // Not version 4, or not a raw state.
        r#"{"version": 3, "modules": []}"#.to_string(),
        r#"{"format_version": "1.0", "values": {"root_module": {}}}"#.to_string(),
        format!(r#"{{"version": 4, "format_version": "1.0", "resources": [{q}]}}"#),
        format!(r#"{{"version": 4.0, "resources": [{q}]}}"#),
        // Resources before the version: the stream cannot know what they are yet.
        format!(r#"{{"resources": [{q}], "version": 4}}"#),
        format!(r#"{{"version": 4, "resources": [{q}], "version": 3}}"#),
        format!(r#"{{"version": 4, "resources": [{q}], "resources": []}}"#),
        r#"{"version": 4}"#.to_string(),
        r#"{"version": 4, "resources": {}}"#.to_string(),
        r#"{"version": 4, "resources": [1]}"#.to_string(),
        // A resource's type, name, mode or module after its instances.
        state(&[late_type.to_string()]),
        state(&[resource(None, "managed", "aws_sqs_queue", json!("none"))]),
        // Errors: said by the general path.
        state(&[resource(None, "managed", "aws_sqs_queue", json!([{}]))]),
        state(&[q.clone(), q.clone()]),
        "[1]".to_string(),
    ];
    for text in left {
        assert!(map_v4(text.as_bytes()).is_none(), "{text}");
    }
    let ok = state(&[q]).into_bytes();
    assert!(map_v4(&ok).is_some());
    // Truncated, trailing text, not UTF-8.
    assert!(map_v4(&ok[..ok.len() - 3]).is_none());
    assert!(map_v4(&[ok.as_slice(), b" x"].concat()).is_none());
    let mut latin1 = ok.clone();
    let at = latin1.windows(3).position(|w| w == b"ml\"").unwrap();
    latin1[at] = 0xe9;
    assert!(map_v4(&latin1).is_none());
    assert!(general(&latin1).is_err());
}

#[test]
fn a_state_nested_past_the_parser_limit_is_left_to_the_general_path() {
    let deep = format!(
        "{{\"version\": 4, \"outputs\": {}1{}, \"resources\": []}}",
        "[".repeat(200),
        "]".repeat(200)
    );
    assert!(map_v4(deep.as_bytes()).is_none());
    assert!(general(deep.as_bytes()).is_err());
}

/// Each fixture state (`.tfstate`, `.json`) under `tests/fixtures/terraform-state`, with its name.
fn fixtures() -> Vec<(String, Vec<u8>)> {
    let root = concat!(repo!(), "/tests/fixtures/terraform-state");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(root).unwrap() {
        for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let name = path.display().to_string();
            if name.ends_with(".tfstate") || name.ends_with(".json") {
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    out
}

#[test]
fn normalizing_as_it_maps_gives_the_documents_normalizing_after_gives() {
    use crate::model::Kind;
    use crate::normalize::{normalize_raw, Redaction};
    let redaction = Redaction::default();
    let normalize = |kind: Kind, doc: Value| normalize_raw(kind, doc, &redaction);
    let (mut eager, mut after) = (0, 0);
    for (name, text) in fixtures() {
        let Some(got) = map_v4_with(&text, Some(&normalize), None) else {
            continue;
        };
        let mut expected = general(&text).unwrap();
        if got.normalized {
            for d in &mut expected.resources {
                d.document = normalize_raw(d.kind, d.document.take(), &redaction);
            }
            eager += 1;
        } else {
            // Related resources change their owner's document first: normalized after.
            assert!(crate::terraform::map::may_hold_related(
                std::str::from_utf8(&text).unwrap()
            ));
            after += 1;
        }
        assert_eq!(got.resources, expected.resources, "{name}");
        assert_eq!(got.not_checked, expected.not_checked, "{name}");
    }
    assert!(
        eager >= 3 && after >= 3,
        "{eager} normalized as mapped, {after} after"
    );
}

#[test]
fn a_related_type_spelled_with_escapes_leaves_the_state_to_the_general_path() {
    let policy = resource(
        None,
        "managed",
        "aws_sqs_queue_polic\\u0079",
        json!([{"attributes": {"queue_url": "https://sqs.us-east-1.amazonaws.com/1/a",
                               "policy": "{\"Version\":\"2012-10-17\"}"}}]),
    );
    let text = state(&[
        resource(None, "managed", "aws_sqs_queue", json!([queue("a")])),
        policy,
    ]);
    let normalize = |_: crate::model::Kind, doc: Value| doc;
    assert!(map_v4_with(text.as_bytes(), Some(&normalize), None).is_none());
    let got = map_v4(text.as_bytes()).expect("streamed without normalizing");
    assert_eq!(
        got.resources[0].document["Policy"],
        "{\"Version\":\"2012-10-17\"}"
    );
}
