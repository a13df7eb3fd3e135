//! Findings by resource: a report holds one entry per (resource, reference); people read one
//! block per resource, with the changes once when every reference agrees and per reference
//! otherwise. Pure; renderers other than JSON read the report through [`groups`].

use super::escape::control;
use super::words;
use crate::diff::{Report, ResourceReport, Status};

/// The entries of one (target, kind, id), in report order.
pub struct Group<'a> {
    pub entries: Vec<&'a ResourceReport>,
}

impl<'a> Group<'a> {
    pub fn first(&self) -> &'a ResourceReport {
        self.entries[0]
    }

    /// The resource's status: missing or unmanaged as every entry says (the actual side is the
    /// same for all), else modified if any reference differs.
    pub fn status(&self) -> Status {
        let any = |s: Status| self.entries.iter().any(|e| e.status == s);
        [Status::Missing, Status::Unmanaged, Status::Modified]
            .into_iter()
            .find(|s| any(*s))
            .unwrap_or(Status::InSync)
    }

    /// Every reference says the same: same status and same changes.
    pub fn agree(&self) -> bool {
        let f = self.first();
        self.entries
            .iter()
            .all(|e| e.status == f.status && e.changes == f.changes)
    }

    /// The references, each by its origin (`golden/…json`, `state.tfstate: module.x.aws_y.z`).
    pub fn origins(&self) -> Vec<String> {
        // A report read back from JSON (`merge`) has no documents: its entries' reference says.
        self.entries
            .iter()
            .filter(|e| e.expected.is_some() || e.status != Status::Unmanaged)
            .map(|e| origin(e))
            .collect()
    }

    /// True when a reference compared only part of the resource.
    pub fn partial(&self) -> bool {
        self.entries.iter().any(|e| e.partial)
    }
}

/// Every resource of the report, in report order.
pub fn groups(report: &Report) -> Vec<Group<'_>> {
    let mut out: Vec<Group> = Vec::new();
    let mut at: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for r in &report.resources {
        let key = (r.target.as_deref(), r.kind, r.id.as_str());
        match at.get(&key) {
            Some(&i) => out[i].entries.push(r),
            None => {
                at.insert(key, out.len());
                out.push(Group { entries: vec![r] });
            }
        }
    }
    out
}

/// The resources with drift against some reference.
pub fn drifted(report: &Report) -> Vec<Group<'_>> {
    groups(report)
        .into_iter()
        .filter(|g| g.status() != Status::InSync)
        .collect()
}

/// Where an entry's expected document came from, or its reference's name; control characters
/// shown, like everything this module returns.
pub fn origin(r: &ResourceReport) -> String {
    let o = r
        .expected
        .as_ref()
        .map(|e| e.origin.0.clone())
        .unwrap_or_else(|| r.reference.to_string());
    control(&o).into_owned()
}

/// An entry's id, control characters shown.
pub fn id(r: &ResourceReport) -> String {
    control(&r.id).into_owned()
}

/// An entry's changes in words, one per line (keys and values from the data, so control
/// characters shown).
pub fn words_of(r: &ResourceReport) -> Vec<String> {
    let e = r.expected.as_ref().map(|x| &x.document);
    let a = r.actual.as_ref().map(|x| &x.document);
    r.changes
        .iter()
        .map(|c| control(&words::change(c, e, a)).into_owned())
        .collect()
}

/// `a`, `a and b`, `a, b and c`.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Counts by resource for the summary line: (in sync, modified, missing, unmanaged).
pub fn counts(report: &Report) -> [usize; 4] {
    counts_of(&groups(report))
}

/// [`counts`] of resources grouped already.
pub fn counts_of(groups: &[Group]) -> [usize; 4] {
    let mut n = [0; 4];
    for g in groups {
        n[count_index(g.status())] += 1;
    }
    n
}

/// Where a status is counted in [`counts`]' array.
pub fn count_index(status: Status) -> usize {
    match status {
        Status::InSync => 0,
        Status::Modified => 1,
        Status::Missing => 2,
        Status::Unmanaged => 3,
    }
}

/// One line saying where a drifted resource stands against its references.
pub fn describe(report: &Report, g: &Group) -> String {
    let f = g.first();
    if !g.agree() {
        let each: Vec<String> = g
            .entries
            .iter()
            .map(|e| format!("{}: {}", origin(e), super::describe(report, e)))
            .collect();
        return each.join("; ");
    }
    match f.status {
        Status::Missing => format!(
            "described in {}, not found in {}",
            and_list(&g.origins()),
            control(&report.actual_source)
        ),
        _ => super::describe(report, f),
    }
}

/// The origins of the references a resource differs from.
pub fn origins_of_drift(g: &Group) -> Vec<String> {
    g.entries
        .iter()
        .filter(|e| e.status != Status::InSync)
        .map(|e| origin(e))
        .collect()
}

/// With history: how a resource stands against the previous run, in a few words: `new`, or
/// `since 2026-11-01` (the earliest `first_seen` of its entries); `None` without history.
pub fn seen_words(g: &Group) -> Option<String> {
    let seen: Vec<_> = g.entries.iter().filter_map(|e| e.seen.as_ref()).collect();
    if seen.is_empty() {
        return None;
    }
    if seen.iter().any(|s| s.new) {
        return Some("new".to_string());
    }
    Some(
        match seen.iter().filter_map(|s| s.first_seen.as_deref()).min() {
            Some(t) => format!("since {}", control(t.get(..10).unwrap_or(t))),
            None => "known".to_string(),
        },
    )
}

/// With history, by resource: new (any reference new), known, and resolved resources.
pub fn history_counts(report: &Report) -> Option<[usize; 3]> {
    report.summary.new?;
    let drifted = drifted(report);
    let new = drifted
        .iter()
        .filter(|g| seen_words(g).as_deref() == Some("new"))
        .count();
    Some([new, drifted.len() - new, resolved(report).len()])
}

/// `3 new, 9 known, 1 resolved`, with history.
pub fn history_words(report: &Report) -> Option<String> {
    let [new, known, resolved] = history_counts(report)?;
    Some(format!("{new} new, {known} known, {resolved} resolved"))
}

/// The resolved findings, one per resource (target, kind, id), in report order.
pub fn resolved(report: &Report) -> Vec<&crate::diff::Resolved> {
    let mut seen = std::collections::HashSet::new();
    report
        .resolved
        .iter()
        .flatten()
        .filter(|r| seen.insert((r.target.as_deref(), r.kind.as_str(), r.id.as_str())))
        .collect()
}

/// One resolved resource on one line: `[target] kind id (was missing, first seen 2026-11-01)`.
pub fn resolved_line(r: &crate::diff::Resolved) -> String {
    let target = r
        .target
        .as_ref()
        .map(|t| format!("[{t}] "))
        .unwrap_or_default();
    let since = r
        .first_seen
        .as_deref()
        .map(|t| format!(", first seen {}", t.get(..10).unwrap_or(t)))
        .unwrap_or_default();
    let line = format!("{target}{} {} (was {}{since})", r.kind, r.id, r.status);
    control(&line).into_owned()
}
