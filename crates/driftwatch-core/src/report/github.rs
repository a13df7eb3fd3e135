//! Renderer: GitHub Actions workflow commands. Each drifted resource (once, whatever the number
//! of references) becomes an `::error`
//! annotation, pointing at its golden file when it has one, so drift shows on the run's summary
//! and in the pull request's files view. Text from the data shows its control characters
//! ([`control`], so no line break of the data starts a workflow command) and is then escaped as
//! a command's message or property.

use std::fmt::Write;

use super::escape::control;
use super::{describe, group, PARTIAL_NOTE};
use crate::diff::{ReferenceKind, Report, Status};

pub fn annotations(report: &Report) -> String {
    let mut out = String::new();
    for g in group::drifted(report) {
        let r = g.first();
        // The golden file, when one describes the resource: the annotation shows on it.
        let file = g
            .entries
            .iter()
            .find(|e| e.reference.is_only(ReferenceKind::Golden))
            .and_then(|e| e.expected.as_ref())
            .map(|e| control(&e.origin.0).into_owned());
        let seen = group::seen_words(&g)
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        let id = group::id(r);
        let title = format!("driftwatch: {} {id} {}{seen}", r.kind, g.status().as_str());
        let partial = if g.partial() { PARTIAL_NOTE } else { "" };
        let message = if g.agree() && r.status == Status::Modified {
            format!(
                "{id} differs from {}: {}{partial}",
                group::and_list(&g.origins()),
                group::words_of(r).join("; ")
            )
        } else if g.agree() {
            format!("{}{partial}", group::describe(report, &g))
        } else {
            let each: Vec<String> = g
                .entries
                .iter()
                .map(|e| {
                    let what = match e.status {
                        Status::Modified => group::words_of(e).join("; "),
                        _ => describe(report, e),
                    };
                    format!("against {}: {what}", group::origin(e))
                })
                .collect();
            format!("{}{partial}", each.join("\n"))
        };
        let location = file
            .map(|f| format!("file={},", property(&f)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "::error {location}title={}::{}",
            property(&title),
            data(&message)
        );
    }
    out.push_str(&super::checks::github(report, &data, &property));
    for e in &report.errors {
        let what = e.kind.map(|k| format!(" {k}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "::error title=driftwatch could not check{what}::{}",
            data(&control(&e.message))
        );
    }
    out
}

/// Escaping of a workflow command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of a workflow command's property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}
