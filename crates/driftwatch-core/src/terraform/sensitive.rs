//! Values Terraform marks sensitive, and where they land in our canonical documents. Pure.
//!
//! A state says which of an instance's attributes are sensitive: a raw version 4 state in
//! `sensitive_attributes` (a list of paths, each a list of steps such as
//! `{"type":"get_attr","value":"tags"}` and `{"type":"index","value":{"value":0,"type":"number"}}`),
//! `terraform show -json` in `sensitive_values` (an object mirroring the attributes, `true`
//! where a value is sensitive). Both become one [`Marks`] tree in Terraform's attribute space.
//!
//! Mapping renames and reshapes attributes (a `container_definitions` JSON string becomes
//! containers keyed by name; `tags` become `Tags`), so no table could say where a marked value
//! lands. Instead the instance is mapped twice, once with every marked value changed
//! ([`perturb`]), and both documents are normalized: every canonical path where they differ
//! holds something derived from a sensitive value ([`paths`]). A difference in an object's keys
//! (a sensitive container name) marks the whole object, and one inside a list marks the whole
//! list (a set is sorted, so its items move), erring on the side of hiding.
//!
//! **Fail closed**: a mark in a shape we do not know, or an instance that no longer maps once
//! perturbed, makes every value of the resource sensitive ([`WHOLE`]).

use serde_json::{Map, Value};

/// A tree shaped like an instance's attributes: `true` where the value (and all inside it) is
/// sensitive, objects and arrays where only some members are.
pub type Marks = Value;

/// The canonical path that stands for the whole document: every value in it is sensitive.
pub const WHOLE: &str = "";

/// The marks of a raw version 4 state's instance (`sensitive_attributes`); `None` when none.
/// A path or a step in a shape we do not know marks as much as it can be sure of: the path
/// up to that step, so an unknown shape marks the whole instance.
pub fn from_v4(sensitive_attributes: Option<&Value>) -> Option<Marks> {
    let list = match sensitive_attributes {
        None | Some(Value::Null) => return None,
        Some(Value::Array(list)) if list.is_empty() => return None,
        Some(Value::Array(list)) => list,
        // Not a list: a shape we do not know.
        Some(_) => return Some(Value::Bool(true)),
    };
    let mut marks = Value::Object(Map::new());
    for path in list {
        let steps: Vec<&Value> = match path {
            // Terraform 0.15 to 1.x: a path is a list of steps.
            Value::Array(steps) => steps.iter().collect(),
            // A path written as an object holding its steps.
            Value::Object(o) => match o.get("path").or_else(|| o.get("steps")) {
                Some(Value::Array(steps)) => steps.iter().collect(),
                // A lone step.
                _ if o.contains_key("type") => vec![path],
                _ => return Some(Value::Bool(true)),
            },
            _ => return Some(Value::Bool(true)),
        };
        mark(&mut marks, &steps);
    }
    Some(marks)
}

/// Marks the value at `steps` (as far as the steps are understood).
fn mark(marks: &mut Value, steps: &[&Value]) {
    let Some((step, rest)) = steps.split_first() else {
        *marks = Value::Bool(true);
        return;
    };
    if marks == &Value::Bool(true) {
        return;
    }
    let key = match (step.get("type").and_then(Value::as_str), step.get("value")) {
        (Some("get_attr"), Some(Value::String(name))) => name.clone(),
        // `{"value": 0, "type": "number"}` or `{"value": "k", "type": "string"}`, or the bare key.
        (Some("index"), Some(Value::Object(k))) => match k.get("value") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return *marks = Value::Bool(true),
        },
        (Some("index"), Some(Value::String(s))) => s.clone(),
        (Some("index"), Some(Value::Number(n))) => n.to_string(),
        _ => return *marks = Value::Bool(true),
    };
    if !marks.is_object() {
        *marks = Value::Object(Map::new());
    }
    let child = marks
        .as_object_mut()
        .expect("an object")
        .entry(key)
        .or_insert(Value::Null);
    mark(child, rest);
}

/// The marks of a `terraform show -json` resource (`sensitive_values`); `None` when none.
/// Anything but `true`, objects and arrays marks nothing (`false`); an unknown scalar marks
/// the whole resource.
pub fn from_show_json(sensitive_values: Option<&Value>) -> Option<Marks> {
    let v = sensitive_values?;
    match any(v) {
        Ok(false) => None,
        Ok(true) => Some(v.clone()),
        Err(()) => Some(Value::Bool(true)),
    }
}

/// Whether a mirror of marks marks anything: `true` somewhere; `Err` for a shape that is no
/// mark (a string, a number), which marks everything it covers.
fn any(v: &Value) -> Result<bool, ()> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Null => Ok(false),
        Value::Object(m) => m.values().try_fold(false, |acc, v| Ok(acc | any(v)?)),
        Value::Array(a) => a.iter().try_fold(false, |acc, v| Ok(acc | any(v)?)),
        _ => Err(()),
    }
}

/// `tags_all` is computed from `tags` (plus the provider's default tags): a value sensitive in
/// one is there in the other, whichever one the mapping reads.
fn with_twins(marks: &Marks) -> Marks {
    let mut m = marks.clone();
    if let Value::Object(o) = &mut m {
        for (a, b) in [("tags", "tags_all"), ("tags_all", "tags")] {
            if let Some(v) = o.get(a).cloned() {
                o.entry(b).or_insert(v);
            }
        }
    }
    m
}

/// Whether the marks cover the whole instance.
pub fn is_whole(marks: &Marks) -> bool {
    marks == &Value::Bool(true)
}

/// `attributes` with every marked value changed (see [`changed`]).
pub fn perturb(attributes: &Value, marks: &Marks) -> Value {
    fn go(v: &Value, m: &Value) -> Value {
        match (v, m) {
            (_, Value::Bool(true)) => changed(v),
            (Value::Object(o), Value::Object(mo)) => Value::Object(
                o.iter()
                    .map(|(k, x)| match mo.get(k) {
                        Some(mk) => (k.clone(), go(x, mk)),
                        None => (k.clone(), x.clone()),
                    })
                    .collect(),
            ),
            (Value::Array(a), Value::Object(mo)) => Value::Array(
                a.iter()
                    .enumerate()
                    .map(|(i, x)| match mo.get(&i.to_string()) {
                        Some(mk) => go(x, mk),
                        None => x.clone(),
                    })
                    .collect(),
            ),
            (Value::Array(a), Value::Array(ma)) => Value::Array(
                a.iter()
                    .enumerate()
                    .map(|(i, x)| match ma.get(i) {
                        Some(mk) => go(x, mk),
                        None => x.clone(),
                    })
                    .collect(),
            ),
            // Marks inside a value of another shape (an object's marks on a JSON string): which
            // part they mean cannot be told, so the whole value is sensitive, never shown.
            (_, m) if any(m) != Ok(false) => changed(v),
            _ => v.clone(),
        }
    }
    go(attributes, &with_twins(marks))
}

/// Every value inside `v` changed, keys kept: text gets a suffix (JSON text, such as
/// `container_definitions`, has the values inside it changed), numbers grow by one, booleans
/// flip.
fn changed(v: &Value) -> Value {
    match v {
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(inner @ (Value::Object(_) | Value::Array(_))) => {
                Value::String(changed(&inner).to_string())
            }
            _ => Value::String(format!("{s}~sensitive")),
        },
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) if u < u64::MAX => Value::from(u + 1),
            (_, Some(i), _) => Value::from(i.wrapping_sub(1)),
            (_, _, Some(f)) => Value::from(f + 1.0),
            _ => Value::Null,
        },
        Value::Bool(b) => Value::Bool(!b),
        Value::Object(o) => Value::Object(o.iter().map(|(k, x)| (k.clone(), changed(x))).collect()),
        Value::Array(a) => Value::Array(a.iter().map(changed).collect()),
        Value::Null => Value::String("~sensitive".into()),
    }
}

/// The canonical paths (JSON Pointers) where `plain` and `perturbed`, the same instance's
/// normalized documents, differ: what a sensitive value decides.
pub fn paths(plain: &Value, perturbed: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(&mut String::new(), plain, perturbed, &mut out);
    out
}

fn walk(path: &mut String, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) if x.len() == y.len() && x.keys().eq(y.keys()) => {
            for (k, v) in x {
                let len = path.len();
                path.push('/');
                path.push_str(&k.replace('~', "~0").replace('/', "~1"));
                walk(path, v, &y[k], out);
                path.truncate(len);
            }
        }
        (a, b) if a != b => out.push(path.clone()),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
