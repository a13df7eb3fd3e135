//! Stage: diff. Compares an expected inventory (a reference) with an actual one (the account or
//! a snapshot) and returns a [`Report`]. Pure: no I/O, and it never formats text for people.

use serde_json::Value;

use crate::model::{Inventory, Kind};
use crate::report::{Change, ErrorEntry, Op, Report, ResourceReport, Status};

/// Compares `expected` (named `reference` in the report) with `actual` for each kind in `kinds`.
/// A kind listed in `failed` could not be read from the actual side: it gets an error entry and
/// no statuses, so a failed fetch never reads as "missing" or "in sync".
pub fn compare(
    kinds: &[Kind],
    reference: &str,
    expected: &Inventory,
    actual: &Inventory,
    failed: Vec<ErrorEntry>,
) -> Report {
    let mut resources = Vec::new();
    for &kind in kinds {
        if failed.iter().any(|e| e.kind == Some(kind)) {
            continue;
        }
        let mut ids: Vec<&str> = expected
            .of_kind(kind)
            .chain(actual.of_kind(kind))
            .map(|(id, _)| id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            let key = (kind, id.to_string());
            let exp = expected.resources.get(&key);
            let act = actual.resources.get(&key);
            let (status, changes) = match (exp, act) {
                (Some(e), Some(a)) => {
                    let changes = changes(&e.document, &a.document);
                    let status = if changes.is_empty() {
                        Status::InSync
                    } else {
                        Status::Modified
                    };
                    (status, changes)
                }
                (Some(_), None) => (Status::Missing, Vec::new()),
                (None, Some(_)) => (Status::Unmanaged, Vec::new()),
                (None, None) => unreachable!("id came from one of the two inventories"),
            };
            resources.push(ResourceReport {
                kind,
                id: id.to_string(),
                status,
                reference: reference.to_string(),
                changes,
                expected: exp.cloned(),
                actual: act.cloned(),
            });
        }
    }
    Report::new(resources, failed, &actual.source)
}

/// Every difference between two canonical documents, as JSON Pointer paths in document order.
/// Objects are compared member by member; arrays (ordered lists and sorted sets alike) and
/// scalars are compared whole, so a change names the smallest keyed thing that differs.
pub fn changes(expected: &Value, actual: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    walk(&mut String::new(), expected, actual, &mut out);
    out
}

fn walk(path: &mut String, expected: &Value, actual: &Value, out: &mut Vec<Change>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let mut keys: Vec<&String> = e.keys().chain(a.keys()).collect();
            keys.sort_unstable();
            keys.dedup();
            for k in keys {
                let len = path.len();
                path.push('/');
                push_escaped(path, k);
                match (e.get(k), a.get(k)) {
                    (Some(ev), Some(av)) => walk(path, ev, av, out),
                    (Some(ev), None) => out.push(Change::new(path, Op::Removed, Some(ev), None)),
                    (None, Some(av)) => out.push(Change::new(path, Op::Added, None, Some(av))),
                    (None, None) => {}
                }
                path.truncate(len);
            }
        }
        (e, a) if e != a => out.push(Change::new(path, Op::Changed, Some(e), Some(a))),
        _ => {}
    }
}

/// RFC 6901: `~` → `~0`, `/` → `~1`.
fn push_escaped(path: &mut String, key: &str) {
    for c in key.chars() {
        match c {
            '~' => path.push_str("~0"),
            '/' => path.push_str("~1"),
            c => path.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_each_leaf_change_with_a_pointer() {
        let e = json!({"c": {"web": {"environment": {"A": "1", "B": "2"}, "cpu": 256}}, "t/x": 1});
        let a = json!({"c": {"web": {"environment": {"A": "0", "C": "3"}, "cpu": 256}}, "t/x": 2});
        let got: Vec<(String, Op)> = changes(&e, &a)
            .into_iter()
            .map(|c| (c.path, c.op))
            .collect();
        assert_eq!(
            got,
            vec![
                ("/c/web/environment/A".into(), Op::Changed),
                ("/c/web/environment/B".into(), Op::Removed),
                ("/c/web/environment/C".into(), Op::Added),
                ("/t~1x".into(), Op::Changed),
            ]
        );
    }

    #[test]
    fn equal_documents_have_no_changes() {
        let d = json!({"a": [1, 2], "b": {"c": null}});
        assert!(changes(&d, &d.clone()).is_empty());
    }
}
