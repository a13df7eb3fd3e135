//! Parses Terraform state. Accepted, told apart by content: the raw state file in format
//! version 4 (Terraform 0.12 and later; instances in `attributes` or the legacy
//! `attributes_flat`) or 3 (Terraform 0.11 and before, terraformer; see `state_v3`), the output
//! of `terraform show -json` (`"format_version"` with `"values"`), and that of `terraform show
//! -json PLANFILE`, whose `prior_state` is the state. Anything else is an error, never an empty
//! state. Data sources are skipped. The values of secrets an instance holds in clear are
//! dropped as it is read (`secret_values`). Pure.

use serde_json::{Map, Value};

use super::sensitive::{self, Marks};
use super::{flatmap, state_v3};

/// One instance of a managed resource: `module.x.aws_iam_role.this["a"]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub address: String,
    pub r#type: String,
    pub attributes: Value,
    /// What Terraform marks sensitive in `attributes` (see `sensitive`); `None` when nothing.
    pub sensitive: Option<Marks>,
}

/// Top-level keys only the JSON of a plan has.
const PLAN_KEYS: [&str; 6] = [
    "prior_state",
    "planned_values",
    "resource_changes",
    "resource_drift",
    "output_changes",
    "configuration",
];

/// Whether `doc` is `terraform show -json PLANFILE`: its `prior_state` is what gets compared.
pub fn is_plan(doc: &Value) -> bool {
    doc.as_object().is_some_and(is_plan_object)
}

fn is_plan_object(obj: &Map<String, Value>) -> bool {
    obj.contains_key("format_version") && PLAN_KEYS.iter().any(|k| obj.contains_key(*k))
}

/// The managed resource instances of a state document, in state order. `Err` says what is
/// wrong with it, for a message that also names the file. The attributes are moved out of
/// `doc`, not copied: a large state is held once.
pub fn parse(doc: Value) -> Result<Vec<Instance>, String> {
    let Value::Object(obj) = doc else {
        return Err(format!("{EXPECTED}; found {}", json_kind(&doc)));
    };
    if obj.contains_key("format_version") {
        return from_show_json(obj);
    }
    match obj.get("version").and_then(Value::as_u64) {
        Some(4) => from_state_v4(obj),
        Some(3) => state_v3::parse(&Value::Object(obj)),
        Some(v) => Err(format!(
            "Terraform state format version {v} is not supported: expected version 3 \
             (Terraform 0.7 to 0.11, terraformer) or 4 (Terraform 0.12 and later); run \
             `terraform state pull` with a newer Terraform, or pass the output of \
             `terraform show -json`"
        )),
        None => Err(format!("{EXPECTED}; found {}", object_kind(&obj))),
    }
}

const EXPECTED: &str = "not a Terraform state: expected a raw state (\"version\": 3 or 4, \
     what `terraform state pull` prints), the output of `terraform show -json` \
     (\"format_version\" and \"values\") or of `terraform show -json PLANFILE` \
     (\"prior_state\")";

/// What a document that is not a state is, for the error message.
fn json_kind(doc: &Value) -> String {
    match doc {
        Value::Object(m) => object_kind(m),
        Value::Array(_) => "a JSON array".into(),
        _ => "a JSON scalar".into(),
    }
}

fn object_kind(m: &Map<String, Value>) -> String {
    let keys: Vec<String> = m.keys().take(8).map(|k| format!("\"{k}\"")).collect();
    let more = if m.len() > 8 { ", …" } else { "" };
    format!("an object with keys {}{more}", keys.join(", "))
}

/// `terraform show -json` of a state or of a plan. A state with no resources has no `values`
/// and nothing else but its versions; any other document with a `format_version` (the JSON of
/// `terraform providers schema`, `terraform validate`, …) is not a state.
fn from_show_json(mut obj: Map<String, Value>) -> Result<Vec<Instance>, String> {
    if is_plan_object(&obj) {
        return match obj.remove("prior_state") {
            Some(Value::Object(prior)) if !is_plan_object(&prior) => from_show_json(prior),
            Some(_) => Err("the plan's \"prior_state\" is not a state".into()),
            None => Err(
                "a plan (`terraform show -json PLANFILE`) without \"prior_state\": \
                 Terraform leaves it out when the state was empty, so there is nothing to \
                 compare. Pass the state itself (the state file, `terraform state pull`, or \
                 `terraform show -json` without a plan file)"
                    .into(),
            ),
        };
    }
    match obj.get_mut("values").map(Value::take) {
        Some(values @ Value::Object(_)) => Ok(from_show_json_values(values)),
        Some(_) => Err("\"values\" of a `terraform show -json` state is not an object".into()),
        None if obj.keys().all(|k| {
            matches!(
                k.as_str(),
                "format_version" | "terraform_version" | "checks"
            )
        }) =>
        {
            Ok(Vec::new())
        }
        None => Err(format!("{EXPECTED}; found {}", object_kind(&obj))),
    }
}

fn from_state_v4(mut obj: Map<String, Value>) -> Result<Vec<Instance>, String> {
    let Some(Value::Array(resources)) = obj.remove("resources") else {
        return Err("state version 4 without a \"resources\" list".into());
    };
    let mut out = Vec::new();
    for mut r in resources {
        if r.get("mode").and_then(Value::as_str) != Some("managed") {
            continue;
        }
        let instances = match r.get_mut("instances").map(Value::take) {
            Some(Value::Array(instances)) => instances,
            _ => Vec::new(),
        };
        let ty = r.get("type").and_then(Value::as_str).unwrap_or_default();
        let base = v4_base(&r);
        for i in instances {
            out.push(v4_instance(&base, ty, i)?);
        }
    }
    Ok(out)
}

/// The address of a managed resource of a version 4 state, without an instance's index:
/// `module.x.aws_iam_role.this`. `resource` is the resource without its instances.
pub(super) fn v4_base(resource: &Value) -> String {
    let ty = resource
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let name = resource
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match resource.get("module").and_then(Value::as_str) {
        Some(m) => format!("{m}.{ty}.{name}"),
        None => format!("{ty}.{name}"),
    }
}

/// One instance of the managed resource at `base` (of type `ty`) in a version 4 state.
pub(super) fn v4_instance(base: &str, ty: &str, i: Value) -> Result<Instance, String> {
    let address = format!("{base}{}", index_suffix(i.get("index_key")));
    let sensitive = sensitive::from_v4(i.get("sensitive_attributes"));
    let attributes = instance_attributes(i, ty).ok_or_else(|| {
        format!("{address}: an instance with neither \"attributes\" nor \"attributes_flat\"")
    })?;
    Ok(super::secret_values::dropped(Instance {
        address,
        r#type: ty.to_string(),
        attributes,
        sensitive,
    }))
}

/// An instance's attributes: `attributes`, or the legacy flatmap `attributes_flat` that states
/// upgraded from Terraform 0.11 may still hold (Terraform reads both).
fn instance_attributes(mut instance: Value, resource_type: &str) -> Option<Value> {
    match instance.get_mut("attributes").map(Value::take) {
        Some(a @ Value::Object(_)) => Some(a),
        _ => match instance.get("attributes_flat") {
            Some(Value::Object(flat)) => Some(flatmap::decode(flat, resource_type)),
            _ => None,
        },
    }
}

/// `count` instances are `[0]`, `for_each` instances `["key"]`.
fn index_suffix(key: Option<&Value>) -> String {
    match key {
        Some(Value::Number(n)) => format!("[{n}]"),
        Some(Value::String(s)) => format!("[{}]", Value::from(s.as_str())),
        _ => String::new(),
    }
}

fn from_show_json_values(mut values: Value) -> Vec<Instance> {
    let mut out = Vec::new();
    let mut stack = vec![values["root_module"].take()];
    while let Some(mut module) = stack.pop() {
        let resources = match module.get_mut("resources").map(Value::take) {
            Some(Value::Array(resources)) => resources,
            _ => Vec::new(),
        };
        for mut r in resources {
            if r.get("mode").and_then(Value::as_str) != Some("managed") {
                continue;
            }
            out.push(super::secret_values::dropped(Instance {
                address: r
                    .get("address")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .into(),
                r#type: r
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .into(),
                attributes: r.get_mut("values").map(Value::take).unwrap_or(Value::Null),
                sensitive: sensitive::from_show_json(r.get("sensitive_values")),
            }));
        }
        if let Some(Value::Array(children)) = module.get_mut("child_modules").map(Value::take) {
            stack.extend(children);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{is_plan, parse};
    use serde_json::json;

    #[test]
    fn state_v4_with_modules_count_and_for_each() {
        let s = json!({"version": 4, "resources": [
            {"mode": "data", "type": "aws_iam_policy_document", "name": "d", "instances": [{"attributes": {}}]},
            {"mode": "managed", "type": "aws_sqs_queue", "name": "q", "module": "module.jobs",
             "instances": [{"index_key": 0, "attributes": {"name": "a"}}, {"index_key": 1, "attributes": {"name": "b"}}]},
            {"mode": "managed", "type": "aws_iam_role", "name": "r",
             "instances": [{"index_key": "api", "attributes": {"name": "api"}}]}
        ]});
        let addrs: Vec<String> = parse(s).unwrap().into_iter().map(|i| i.address).collect();
        assert_eq!(
            addrs,
            [
                "module.jobs.aws_sqs_queue.q[0]",
                "module.jobs.aws_sqs_queue.q[1]",
                "aws_iam_role.r[\"api\"]"
            ]
        );
    }

    #[test]
    fn show_json_with_child_modules() {
        let s = json!({"format_version": "1.0", "values": {"root_module": {
            "resources": [{"address": "aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue", "values": {"name": "q"}}],
            "child_modules": [{"address": "module.m", "resources": [
                {"address": "module.m.aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "values": {"name": "r"}},
                {"address": "module.m.data.aws_caller_identity.c", "mode": "data", "type": "aws_caller_identity", "values": {}}]}]}}});
        let got = parse(s).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].address, "module.m.aws_iam_role.r");
        assert_eq!(got[1].attributes, json!({"name": "r"}));
    }

    #[test]
    fn other_versions_and_other_json_are_errors() {
        let e = parse(json!({"version": 2, "modules": []})).unwrap_err();
        assert!(
            e.contains("version 2") && e.contains("expected version 3"),
            "{e}"
        );
        let e = parse(json!({"hello": 1})).unwrap_err();
        assert!(
            e.contains("not a Terraform state") && e.contains("\"hello\""),
            "{e}"
        );
        assert!(parse(json!([1])).unwrap_err().contains("a JSON array"));
        // `terraform providers schema -json` and `terraform validate -json` have a
        // format_version too; neither is a state.
        let e = parse(json!({"format_version": "1.0", "provider_schemas": {}})).unwrap_err();
        assert!(e.contains("\"provider_schemas\""), "{e}");
        assert!(parse(json!({"format_version": "1.0", "valid": true, "diagnostics": []})).is_err());
    }

    #[test]
    fn show_json_of_an_empty_state_is_empty() {
        let empty = json!({"format_version": "1.0", "terraform_version": "1.9.5"});
        assert_eq!(parse(empty.clone()).unwrap(), []);
        assert!(!is_plan(&empty));
    }

    fn plan(prior: Option<serde_json::Value>) -> serde_json::Value {
        let mut p = json!({"format_version": "1.2", "terraform_version": "1.9.5",
            "planned_values": {"root_module": {"resources": [
                {"address": "aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue",
                 "values": {"name": "q", "delay_seconds": 9}}]}},
            "resource_changes": [{"address": "aws_sqs_queue.q", "change": {"actions": ["update"]}}],
            "configuration": {}});
        if let Some(prior) = prior {
            p["prior_state"] = prior;
        }
        p
    }

    #[test]
    fn a_plan_is_read_as_its_prior_state() {
        let p = plan(Some(
            json!({"format_version": "1.0", "values": {"root_module": {
            "resources": [{"address": "aws_sqs_queue.q", "mode": "managed",
                "type": "aws_sqs_queue", "values": {"name": "q", "delay_seconds": 0}}]}}}),
        ));
        assert!(is_plan(&p));
        let got = parse(p).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].attributes["delay_seconds"], 0, "prior, not planned");
    }

    #[test]
    fn a_plan_without_prior_state_is_an_error_not_an_empty_state() {
        let e = parse(plan(None)).unwrap_err();
        assert!(e.contains("without \"prior_state\""), "{e}");
    }

    #[test]
    fn attributes_flat_instances_are_decoded() {
        let s = json!({"version": 4, "resources": [
            {"mode": "managed", "type": "aws_sqs_queue", "name": "q", "instances": [
                {"schema_version": 0, "attributes_flat": {"name": "jobs", "fifo_queue": "false",
                    "visibility_timeout_seconds": "60", "tags.%": "1", "tags.team": "ml"}}]}]});
        let got = parse(s).unwrap();
        assert_eq!(
            got[0].attributes,
            json!({"name": "jobs", "fifo_queue": false, "visibility_timeout_seconds": 60,
                   "tags": {"team": "ml"}})
        );
        let neither = json!({"version": 4, "resources": [
            {"mode": "managed", "type": "aws_sqs_queue", "name": "q", "instances": [
                {"schema_version": 0}]}]});
        assert!(parse(neither)
            .unwrap_err()
            .contains("aws_sqs_queue.q: an instance with neither"));
    }
}
