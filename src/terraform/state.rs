//! Parses Terraform state. Two shapes are accepted, told apart by content: the raw state file
//! (`"version": 4`, what backends store) and `terraform show -json` (`"format_version"` with
//! `"values"`). Data sources are skipped. Pure.

use serde_json::Value;

/// One instance of a managed resource: `module.x.aws_iam_role.this["a"]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub address: String,
    pub r#type: String,
    pub attributes: Value,
}

/// The managed resource instances of a state document, in state order. `Err` says what is
/// wrong with it, for a message that also names the file.
pub fn parse(doc: &Value) -> Result<Vec<Instance>, String> {
    let Some(obj) = doc.as_object() else {
        return Err("expected a Terraform state (a JSON object)".into());
    };
    if obj.contains_key("format_version") && obj.contains_key("values") {
        return Ok(from_show_json(&doc["values"]));
    }
    if obj.contains_key("format_version") {
        // `terraform show -json` of a state with no resources has no "values".
        return Ok(Vec::new());
    }
    match obj.get("version").and_then(Value::as_u64) {
        Some(4) => from_state_v4(doc),
        Some(v) => Err(format!(
            "Terraform state format version {v} is not supported: expected version 4 \
             (Terraform 0.12 and later); run `terraform state pull` with a current Terraform, \
             or pass the output of `terraform show -json`"
        )),
        None => Err(
            "expected a Terraform state (\"version\": 4) or the output of \
                     `terraform show -json` (\"format_version\")"
                .into(),
        ),
    }
}

fn from_state_v4(doc: &Value) -> Result<Vec<Instance>, String> {
    let resources = doc
        .get("resources")
        .and_then(Value::as_array)
        .ok_or("state version 4 without a \"resources\" list")?;
    let mut out = Vec::new();
    for r in resources {
        if r.get("mode").and_then(Value::as_str) != Some("managed") {
            continue;
        }
        let ty = r.get("type").and_then(Value::as_str).unwrap_or_default();
        let name = r.get("name").and_then(Value::as_str).unwrap_or_default();
        let module = r.get("module").and_then(Value::as_str);
        let base = match module {
            Some(m) => format!("{m}.{ty}.{name}"),
            None => format!("{ty}.{name}"),
        };
        for i in r
            .get("instances")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.push(Instance {
                address: format!("{base}{}", index_suffix(i.get("index_key"))),
                r#type: ty.to_string(),
                attributes: i.get("attributes").cloned().unwrap_or(Value::Null),
            });
        }
    }
    Ok(out)
}

/// `count` instances are `[0]`, `for_each` instances `["key"]`.
fn index_suffix(key: Option<&Value>) -> String {
    match key {
        Some(Value::Number(n)) => format!("[{n}]"),
        Some(Value::String(s)) => format!("[{}]", Value::from(s.as_str())),
        _ => String::new(),
    }
}

fn from_show_json(values: &Value) -> Vec<Instance> {
    let mut out = Vec::new();
    let mut stack = vec![&values["root_module"]];
    while let Some(module) = stack.pop() {
        for r in module
            .get("resources")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if r.get("mode").and_then(Value::as_str) != Some("managed") {
                continue;
            }
            out.push(Instance {
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
                attributes: r.get("values").cloned().unwrap_or(Value::Null),
            });
        }
        for child in module
            .get("child_modules")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            stack.push(child);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::parse;
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
        let addrs: Vec<String> = parse(&s).unwrap().into_iter().map(|i| i.address).collect();
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
        let got = parse(&s).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].address, "module.m.aws_iam_role.r");
        assert_eq!(got[1].attributes, json!({"name": "r"}));
    }

    #[test]
    fn other_versions_and_other_json_are_errors() {
        assert!(parse(&json!({"version": 3, "modules": []}))
            .unwrap_err()
            .contains("version 3"));
        assert!(parse(&json!({"hello": 1})).is_err());
        assert!(parse(&json!([1])).is_err());
    }
}
