//! Types flatmap leaves: the numeric and boolean arguments and attributes of each Terraform
//! type driftwatch maps or folds are in its kind's tables (`numbers` and `bools` of
//! `kinds::TerraformType`, from the aws provider's documented schemas, 2.x to 5.x; a name only
//! one version has does no harm to the others).
//!
//! When a type gains a mapped numeric or boolean attribute, add it there: a test decodes every
//! typed fixture state through a flatmap and fails on a leaf the tables do not type.

use serde_json::{Number, Value};

use crate::kinds::{self, TerraformType};

/// Converts the string leaves the type's tables say are numbers or booleans. A type no kind
/// maps or folds is not compared, so its leaves stay as they are.
pub(super) fn type_leaves(resource_type: &str, attributes: &mut Value) {
    let Some(t) = kinds::terraform_type(resource_type) else {
        return;
    };
    if t.numbers.is_empty() && t.bools.is_empty() {
        return;
    }
    walk(t, &mut String::new(), attributes);
}

fn walk(leaves: &TerraformType, path: &mut String, v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                walk(leaves, path, child);
                path.truncate(len);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| walk(leaves, path, i)),
        Value::String(s) => {
            let typed = if leaves.numbers.contains(&path.as_str()) {
                number(s)
            } else if leaves.bools.contains(&path.as_str()) {
                boolean(s)
            } else {
                None
            };
            if let Some(t) = typed {
                *v = t;
            }
        }
        _ => {}
    }
}

fn number(s: &str) -> Option<Value> {
    if let Ok(i) = s.parse::<i64>() {
        return Some(Value::from(i));
    }
    s.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
}

fn boolean(s: &str) -> Option<Value> {
    match s {
        "true" => Some(Value::Bool(true)),
        "false" => Some(Value::Bool(false)),
        _ => None,
    }
}
