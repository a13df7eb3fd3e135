//! Terraform state format version 3: what Terraform 0.7 to 0.11 wrote and terraformer still
//! writes. `modules[]` each with a `path` (`["root", "ecs"]` is `module.ecs`) and `resources`
//! keyed `TYPE.NAME`, `TYPE.NAME.N` (the `count` index) or `data.TYPE.NAME`; each resource's
//! current object is `primary`, its attributes a flatmap (see `flatmap`). Data sources are
//! skipped, as in version 4. Pure.

use serde_json::Value;

use super::flatmap;
use super::state::Instance;

/// The managed resource instances of a version-3 state, module by module.
pub fn parse(doc: &Value) -> Result<Vec<Instance>, String> {
    let modules = doc
        .get("modules")
        .and_then(Value::as_array)
        .ok_or("state version 3 without a \"modules\" list")?;
    let mut out = Vec::new();
    for module in modules {
        let prefix = module_prefix(module.get("path"))?;
        let resources = match module.get("resources") {
            None | Some(Value::Null) => continue,
            Some(Value::Object(r)) => r,
            Some(_) => return Err(format!("{prefix}\"resources\" is not an object")),
        };
        for (key, resource) in resources {
            let Some(k) = resource_key(key) else {
                return Err(format!(
                    "{prefix}{key}: a resource key that is not TYPE.NAME, TYPE.NAME.INDEX or \
                     data.TYPE.NAME"
                ));
            };
            if k.data {
                continue;
            }
            // No `primary`: only deposed objects are left, nothing exists as this resource.
            let Some(primary) = resource.get("primary").filter(|p| p.is_object()) else {
                continue;
            };
            let ty = resource
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or(k.r#type);
            let index = k.index.map(|i| format!("[{i}]")).unwrap_or_default();
            out.push(super::secret_values::dropped(Instance {
                address: format!("{prefix}{}.{}{index}", k.r#type, k.name),
                r#type: ty.to_string(),
                attributes: attributes(primary, ty),
                // Terraform 0.11 had no sensitive marks in its state.
                sensitive: None,
            }));
        }
    }
    Ok(out)
}

/// `primary.attributes` decoded; `primary.id` stands in for an `id` the flatmap lacks.
fn attributes(primary: &Value, resource_type: &str) -> Value {
    let empty = serde_json::Map::new();
    let flat = primary
        .get("attributes")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut attributes = flatmap::decode(flat, resource_type);
    if let (Value::Object(m), Some(id)) = (&mut attributes, primary.get("id")) {
        m.entry("id").or_insert_with(|| id.clone());
    }
    attributes
}

/// `["root"]` → ``, `["root", "ecs", "queues"]` → `module.ecs.module.queues.`.
fn module_prefix(path: Option<&Value>) -> Result<String, String> {
    let parts: Vec<&str> = path
        .and_then(Value::as_array)
        .map(|p| p.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    match parts.split_first() {
        Some((&"root", rest)) => Ok(rest.iter().map(|m| format!("module.{m}.")).collect()),
        _ => Err(format!(
            "a module whose \"path\" is not [\"root\", …]: {}",
            path.unwrap_or(&Value::Null)
        )),
    }
}

struct Key<'a> {
    data: bool,
    r#type: &'a str,
    name: &'a str,
    index: Option<u64>,
}

/// `aws_sqs_queue.jobs`, `aws_sqs_queue.jobs.1` or `data.aws_iam_policy_document.x`.
fn resource_key(key: &str) -> Option<Key<'_>> {
    let (data, rest) = match key.strip_prefix("data.") {
        Some(rest) => (true, rest),
        None => (false, key),
    };
    let parts: Vec<&str> = rest.split('.').collect();
    let (r#type, name, index) = match parts.as_slice() {
        [t, n] => (*t, *n, None),
        [t, n, i] => (*t, *n, Some(i.parse().ok()?)),
        _ => return None,
    };
    (!r#type.is_empty() && !name.is_empty()).then_some(Key {
        data,
        r#type,
        name,
        index,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::parse;

    #[test]
    fn modules_counts_data_sources_and_flatmap_attributes() {
        let doc = json!({"version": 3, "terraform_version": "0.11.14", "modules": [
            {"path": ["root"], "resources": {
                "data.aws_iam_policy_document.trust": {"type": "aws_iam_policy_document",
                    "primary": {"id": "1", "attributes": {"json": "{}"}}},
                "aws_sqs_queue.jobs": {"type": "aws_sqs_queue", "primary": {
                    "id": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs",
                    "attributes": {"name": "jobs", "delay_seconds": "5", "tags.%": "1",
                                   "tags.team": "ml"}}}}},
            {"path": ["root", "ecs", "workers"], "resources": {
                "aws_sqs_queue.q.0": {"type": "aws_sqs_queue", "primary": {"id": "u0",
                    "attributes": {"id": "u0", "name": "a"}}},
                "aws_sqs_queue.q.1": {"type": "aws_sqs_queue", "primary": {"id": "u1",
                    "attributes": {"name": "b"}}},
                "aws_sqs_queue.gone": {"type": "aws_sqs_queue", "primary": null,
                    "deposed": [{"id": "x", "attributes": {"name": "old"}}]}}}
        ]});
        let got = parse(&doc).unwrap();
        let addresses: Vec<&str> = got.iter().map(|i| i.address.as_str()).collect();
        assert_eq!(
            addresses,
            [
                "aws_sqs_queue.jobs",
                "module.ecs.module.workers.aws_sqs_queue.q[0]",
                "module.ecs.module.workers.aws_sqs_queue.q[1]"
            ]
        );
        assert_eq!(
            got[0].attributes,
            json!({"id": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs", "name": "jobs",
                   "delay_seconds": 5, "tags": {"team": "ml"}})
        );
        assert_eq!(got[2].attributes["id"], "u1", "primary.id stands in");
    }

    #[test]
    fn malformed_version_3_states_are_errors() {
        assert!(parse(&json!({"version": 3}))
            .unwrap_err()
            .contains("\"modules\""));
        assert!(
            parse(&json!({"version": 3, "modules": [{"path": ["ecs"], "resources": {}}]}))
                .unwrap_err()
                .contains("[\"root\", …]")
        );
        assert!(parse(&json!({"version": 3, "modules": [{"path": ["root"],
            "resources": {"aws_sqs_queue": {"primary": {}}}}]}))
        .unwrap_err()
        .contains("TYPE.NAME"));
    }
}
