//! Stage: diff. Compares an expected inventory (a reference) with an actual one (the account or
//! a snapshot) and returns a [`Report`]. Pure: no I/O, and it never formats text for people.
//! The report and everything in it are defined here too (`outcome.rs`), as the engine's output;
//! `report/` renders them.

mod fail_on;
mod outcome;
mod read;

use serde_json::Value;

pub use fail_on::FailOn;
pub use outcome::{
    Account, Change, Coverage, ErrorEntry, NotChecked, Op, ReferenceKind, ReferenceKinds,
    References, Report, Resolved, ResourceReport, Seen, Status, Summary, SCHEMA,
};

use crate::ignore::Rules;
use crate::model::{Inventory, Kind, Resource};
use crate::scope::{self, Scope};

/// Compares each reference (`(kind, inventory)`: golden files, Terraform state) with `actual`
/// for each kind in `kinds`. A resource a reference describes gets one status per reference; a
/// resource no reference describes is `unmanaged` once. A kind listed in `failed` could not be
/// read from the actual side: it gets an error entry and no statuses, so a failed fetch never
/// reads as "missing" or "in sync". An error without a kind stands for the whole actual side
/// (whose account it is could not be told): then no kind gets a status. The inventories are consumed: each document moves into the
/// report entry that shows it instead of being copied (a state of 50,000 resources is held once).
pub fn compare(
    kinds: &[Kind],
    mut references: Vec<(ReferenceKind, Inventory)>,
    mut actual: Inventory,
    failed: Vec<ErrorEntry>,
    rules: &Rules,
) -> Report {
    let all_refs = ReferenceKinds::new(references.iter().map(|(kind, _)| *kind).collect());
    let labels = references
        .iter()
        .map(|(kind, inv)| reference_label(*kind, &inv.source))
        .collect();
    let mut resources = Vec::new();
    let nothing_compared = failed.iter().any(|e| e.kind.is_none());
    for &kind in kinds {
        if nothing_compared || failed.iter().any(|e| e.kind == Some(kind)) {
            continue;
        }
        let act = take_kind(&mut actual, kind);
        let refs = references
            .iter_mut()
            .map(|(reference, inv)| (*reference, take_kind(inv, kind)))
            .collect();
        let rows: Vec<Row> = rows(act, refs)
            .into_iter()
            .filter(|row| !rules.ignores_resource(kind, &row.id))
            .collect();
        // Each resource is compared on its own: the work is spread over the cores, in order.
        let compared = crate::parallel::map(rows, |row| {
            let Row { id, act, expected } = row;
            let strip = |r: Resource| stripped(rules, kind, &id, r);
            let act = act.map(strip);
            let expected: Vec<(ReferenceKind, Resource)> = expected
                .into_iter()
                .map(|(reference, r)| (reference, strip(r)))
                .collect();
            if expected.is_empty() {
                vec![ResourceReport {
                    target: None,
                    kind,
                    id,
                    status: Status::Unmanaged,
                    reference: all_refs.clone(),
                    partial: false,
                    changes: Vec::new(),
                    seen: None,
                    expected: None,
                    actual: act,
                }]
            } else {
                described(kind, &id, expected, act)
            }
        });
        resources.extend(compared.into_iter().flatten());
    }
    let mut report = Report::new(resources, failed, &actual.source);
    report.references = labels;
    report
}

/// One id of a kind, with what each side holds for it.
struct Row {
    id: String,
    act: Option<Resource>,
    /// The references that describe it, in the run's order of references.
    expected: Vec<(ReferenceKind, Resource)>,
}

/// The resources of `kind`, taken out of `inv`, sorted by id.
fn take_kind(inv: &mut Inventory, kind: Kind) -> Vec<(String, Resource)> {
    let mut tail = inv.resources.split_off(&(kind, String::new()));
    let next = tail.keys().find(|(k, _)| *k != kind).cloned();
    if let Some(next) = next {
        let mut after = tail.split_off(&next);
        inv.resources.append(&mut after);
    }
    tail.into_iter().map(|((_, id), r)| (id, r)).collect()
}

/// The ids on any side, sorted, each once, with each side's resource: one merge of the sides'
/// sorted lists instead of a search per id and side.
fn rows(
    act: Vec<(String, Resource)>,
    refs: Vec<(ReferenceKind, Vec<(String, Resource)>)>,
) -> Vec<Row> {
    let mut act = act.into_iter().peekable();
    let mut refs: Vec<_> = refs
        .into_iter()
        .map(|(reference, list)| (reference, list.into_iter().peekable()))
        .collect();
    let mut out = Vec::new();
    loop {
        let mut next: Option<&String> = act.peek().map(|(id, _)| id);
        for (_, list) in refs.iter_mut() {
            if let Some((id, _)) = list.peek() {
                if next.is_none_or(|n| id < n) {
                    next = Some(id);
                }
            }
        }
        let Some(id) = next.cloned() else {
            return out;
        };
        let act = act.next_if(|(i, _)| *i == id).map(|(_, r)| r);
        let expected = refs
            .iter_mut()
            .filter_map(|(reference, list)| {
                list.next_if(|(i, _)| *i == id)
                    .map(|(_, r)| (*reference, r))
            })
            .collect();
        out.push(Row { id, act, expected });
    }
}

/// One entry per reference that describes the resource (`expected`, in the run's order of
/// references): `in_sync`, `modified` or `missing`.
fn described(
    kind: Kind,
    id: &str,
    expected: Vec<(ReferenceKind, Resource)>,
    mut act: Option<Resource>,
) -> Vec<ResourceReport> {
    let last = expected.len() - 1;
    let mut out = Vec::with_capacity(expected.len());
    for (i, (reference, exp)) in expected.into_iter().enumerate() {
        let partial = exp.scope.partial || act.as_ref().is_some_and(|a| a.scope.partial);
        // The actual document is copied only when several references are compared with it.
        let this_act = if i == last { act.take() } else { act.clone() };
        let (status, changes, exp, act) = match this_act {
            Some(a) => {
                let (exp, a) = compared(exp, a);
                let changes = changes(&exp.document, &a.document);
                let status = if changes.is_empty() {
                    Status::InSync
                } else {
                    Status::Modified
                };
                (status, changes, exp, Some(a))
            }
            None => (Status::Missing, Vec::new(), exp, None),
        };
        out.push(ResourceReport {
            target: None,
            kind,
            id: id.to_string(),
            status,
            reference: reference.into(),
            partial,
            changes,
            seen: None,
            expected: Some(exp),
            actual: act,
        });
    }
    out
}

/// The resource without its ignored parts. They are removed from both sides before comparing,
/// so they are neither reported nor counted and do not show in diffs either.
fn stripped(rules: &Rules, kind: Kind, id: &str, r: Resource) -> Resource {
    Resource {
        document: rules.strip(kind, id, r.document),
        ..r
    }
}

/// A reference as people name it: a golden folder with a trailing `/`, a state by its path.
fn reference_label(kind: ReferenceKind, source: &str) -> String {
    if kind == ReferenceKind::Golden && !source.ends_with('/') {
        format!("{source}/")
    } else {
        source.to_string()
    }
}

/// The two resources as they are compared: only what both sides can speak for (see
/// [`scope::view`]), so the changes and the shown diff hold nothing else.
fn compared(exp: Resource, act: Resource) -> (Resource, Resource) {
    if exp.scope == Scope::default() && act.scope == Scope::default() {
        // Both speak for the whole resource: nothing to restrict.
        return (exp, act);
    }
    let (e, a) = scope::view(exp.document, &exp.scope, act.document, &act.scope);
    (
        Resource {
            document: e,
            scope: exp.scope,
            origin: exp.origin,
        },
        Resource {
            document: a,
            scope: act.scope,
            origin: act.origin,
        },
    )
}

/// Every difference between two canonical documents, as JSON Pointer paths in document order,
/// each naming the smallest thing that differs: objects are compared member by member; in
/// lists, items present on one side only are `added` or `removed` one by one (an action added
/// to a policy statement, a port mapping removed) and items that changed are paired (by `Sid`,
/// else by order) and compared inside. A list with the same items in another order is one
/// `changed` (order matters in the lists normalization leaves unsorted, like `command`).
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
        (Value::Array(e), Value::Array(a)) => walk_list(path, e, a, out),
        (e, a) if e != a => out.push(Change::new(path, Op::Changed, Some(e), Some(a))),
        _ => {}
    }
}

fn walk_list(path: &mut String, e: &[Value], a: &[Value], out: &mut Vec<Change>) {
    if e == a {
        return;
    }
    // Items equal on both sides are not changes, wherever they stand.
    let mut a_left: Vec<usize> = (0..a.len()).collect();
    let mut e_left = Vec::new();
    for (i, item) in e.iter().enumerate() {
        match a_left.iter().position(|&j| a[j] == *item) {
            Some(p) => {
                a_left.remove(p);
            }
            None => e_left.push(i),
        }
    }
    if e_left.is_empty() && a_left.is_empty() {
        out.push(Change::new(
            path,
            Op::Changed,
            Some(&Value::from(e.to_vec())),
            Some(&Value::from(a.to_vec())),
        ));
        return;
    }
    // Changed objects: pair by `Sid` (IAM statements), then by order; compare pairs inside.
    let mut pairs = Vec::new();
    let sid = |v: &Value| v.get("Sid").and_then(Value::as_str).map(str::to_string);
    e_left.retain(|&i| {
        let Some(s) = sid(&e[i]) else { return true };
        match a_left
            .iter()
            .position(|&j| sid(&a[j]).as_deref() == Some(s.as_str()))
        {
            Some(p) => {
                pairs.push((i, a_left.remove(p)));
                false
            }
            None => true,
        }
    });
    let structured = |v: &Value| v.is_object() || v.is_array();
    while let (Some(&i), Some(&j)) = (e_left.first(), a_left.first()) {
        if !(structured(&e[i]) && structured(&a[j])) {
            break;
        }
        pairs.push((e_left.remove(0), a_left.remove(0)));
    }
    let at = |path: &String, i: usize| format!("{path}/{i}");
    for i in e_left {
        out.push(Change::new(&at(path, i), Op::Removed, Some(&e[i]), None));
    }
    for j in a_left {
        out.push(Change::new(&at(path, j), Op::Added, None, Some(&a[j])));
    }
    for (i, j) in pairs {
        let mut p = at(path, i);
        walk(&mut p, &e[i], &a[j], out);
    }
}

/// RFC 6901, undone: `~1` → `/`, `~0` → `~` (a segment, or a whole pointer read as a person
/// reads its keys). Borrowed when there is nothing to undo.
pub fn unescape(pointer: &str) -> std::borrow::Cow<'_, str> {
    if pointer.contains('~') {
        pointer.replace("~1", "/").replace("~0", "~").into()
    } else {
        pointer.into()
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
mod tests;
