//! Decodes Terraform's legacy "flatmap" attributes — `primary.attributes` of state format 3 and
//! `attributes_flat` of format 4 — into the structure `attributes` has, so the mapping reads
//! both alike. Pure.
//!
//! A flatmap is one string per leaf, keyed by its path: `name`, `tags.%` (a map's size) and
//! `tags.Team` (a map entry, whose key may hold dots), `ingress.#` (a list's or set's length),
//! `ingress.0.from_port` (list items by index) or `ingress.2541437006.cidr_blocks.0` (set items
//! by hash). Lists and sets become arrays (a set in hash order: sets are sorted later), maps
//! objects, nested blocks arrays of objects, exactly as `attributes` holds them.
//!
//! Every leaf is a string in a flatmap and the flatmap does not say which were numbers or
//! booleans. The kinds' tables (see [`leaves`]) list, per resource type, the numeric and boolean
//! attributes of the types driftwatch maps (from the provider's documented schema); those leaves
//! are converted,
//! every other leaf stays the string it is (which is its type in the schema). A value a hint
//! cannot convert (not a number, not `true`/`false`) stays a string, so it still compares and
//! shows as a difference instead of vanishing.

mod leaves;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// The structured attributes of one instance of `resource_type`, from its flatmap.
pub fn decode(flat: &Map<String, Value>, resource_type: &str) -> Value {
    let entries: Vec<(&str, &Value)> = flat.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let mut attributes = Value::Object(object(&entries));
    leaves::type_leaves(resource_type, &mut attributes);
    attributes
}

/// The value stored under one key, given the entries below it (keys relative to it; `""` is
/// the key itself).
fn value(entries: &[(&str, &Value)]) -> Value {
    if let Some((_, v)) = entries.iter().find(|(k, _)| k.is_empty()) {
        return (*v).clone();
    }
    if entries.iter().any(|(k, _)| *k == "#") {
        return list(entries);
    }
    if entries.iter().any(|(k, _)| *k == "%") {
        return Value::Object(map(entries));
    }
    Value::Object(object(entries))
}

/// A nested block or the top level: attribute names never hold dots, so the first segment of
/// each key names the attribute.
fn object(entries: &[(&str, &Value)]) -> Map<String, Value> {
    children(entries)
        .into_iter()
        .map(|(name, below)| (name.to_string(), value(&below)))
        .collect()
}

/// `#` gives the length of a list (items keyed 0, 1, …) or a set (items keyed by hash). Very
/// old states also counted maps with `#`: items not keyed by numbers are read as a map.
fn list(entries: &[(&str, &Value)]) -> Value {
    let items: Vec<(&str, &Value)> = entries.iter().copied().filter(|(k, _)| *k != "#").collect();
    let groups = children(&items);
    let mut keyed: Vec<(i64, Value)> = Vec::new();
    for (key, below) in &groups {
        // `~` marks a set item with computed parts in some older states.
        match key.trim_start_matches('~').parse::<i64>() {
            Ok(n) => keyed.push((n, value(below))),
            Err(_) => return Value::Object(map(&items)),
        }
    }
    keyed.sort_by_key(|(n, _)| *n);
    Value::Array(keyed.into_iter().map(|(_, v)| v).collect())
}

/// A map of strings: everything after the map's own name is the key, dots included
/// (`tags.kubernetes.io/cluster/prod`).
fn map(entries: &[(&str, &Value)]) -> Map<String, Value> {
    entries
        .iter()
        .filter(|(k, _)| *k != "%" && *k != "#")
        .map(|(k, v)| (k.to_string(), (*v).clone()))
        .collect()
}

/// Entries grouped by their first key segment, each with the rest of its key.
fn children<'a>(entries: &[(&'a str, &'a Value)]) -> BTreeMap<&'a str, Vec<(&'a str, &'a Value)>> {
    let mut groups: BTreeMap<&str, Vec<(&str, &Value)>> = BTreeMap::new();
    for (key, v) in entries {
        let (head, rest) = key.split_once('.').unwrap_or((key, ""));
        groups.entry(head).or_default().push((rest, v));
    }
    groups
}

#[cfg(test)]
mod tests;
