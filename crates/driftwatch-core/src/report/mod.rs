//! Stage: report. Renderers, one file per format, that turn the engine's [`Report`] (defined
//! beside the engine, in [`crate::diff`]) into text for people and tools. They only read it;
//! this module holds what several of them share.

pub mod checks;
pub mod console;
pub mod driftignore;
pub mod escape;
mod format;
pub mod github;
pub mod group;
pub mod history;
#[cfg(test)]
mod hostile_tests;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod slack;
pub mod targets;
pub mod terraform_import;
pub mod words;

pub use format::Format;

use crate::canonical_json::pretty;
use crate::diff::{Report, ResourceReport, Status};
use crate::model::Resource;

/// What a line of a unified diff is, so each renderer can style it its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    Header,
    Hunk,
    Context,
    Removed,
    Added,
}

/// The unified diff (3 lines of context, line-end commas left out) between a modified resource's two canonical documents,
/// line by line without trailing newlines, control characters shown ([`escape::control`]: JSON
/// escapes C0 controls in keys and values, not DEL, C1 or an origin's). Empty for resources
/// that are not `modified`.
pub fn unified_diff(r: &ResourceReport) -> Vec<(Line, String)> {
    let (Some(e), Some(a)) = (&r.expected, &r.actual) else {
        return Vec::new();
    };
    if r.status != Status::Modified {
        return Vec::new();
    }
    let (old, new) = (uncomma(&pretty(&e.document)), uncomma(&pretty(&a.document)));
    let diff = similar::TextDiff::from_lines(&old, &new);
    let mut out = vec![
        (
            Line::Header,
            format!("--- {}", escape::control(&e.origin.0)),
        ),
        (
            Line::Header,
            format!("+++ {}", escape::control(&a.origin.0)),
        ),
    ];
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        out.push((Line::Hunk, hunk.header().to_string()));
        for change in hunk.iter_changes() {
            let (kind, sign) = match change.tag() {
                similar::ChangeTag::Equal => (Line::Context, ' '),
                similar::ChangeTag::Delete => (Line::Removed, '-'),
                similar::ChangeTag::Insert => (Line::Added, '+'),
            };
            let text = change.value().trim_end_matches('\n');
            out.push((kind, format!("{sign}{}", escape::control(text))));
        }
    }
    out
}

/// Pretty JSON without the commas at line ends: in a diff, a changed value is then one changed
/// line, not also its neighbour gaining or losing a comma (`-  },` / `+  }`).
fn uncomma(pretty: &str) -> String {
    let mut out = String::with_capacity(pretty.len());
    for line in pretty.lines() {
        out.push_str(line.strip_suffix(',').unwrap_or(line));
        out.push('\n');
    }
    out
}

/// One line saying where a drifted resource stands, for renderers that show no diff for it;
/// control characters shown.
pub fn describe(report: &Report, r: &ResourceReport) -> String {
    escape::control(&describe_raw(report, r)).into_owned()
}

fn describe_raw(report: &Report, r: &ResourceReport) -> String {
    match r.status {
        Status::Missing => format!(
            "described in {}, not found in {}",
            origin(&r.expected),
            report.actual_source
        ),
        Status::Unmanaged => format!(
            "found in {}, {}",
            report.actual_source,
            unmanaged(report, r)
        ),
        Status::Modified => match r.changes.len() {
            1 => "1 change".to_string(),
            n => format!("{n} changes"),
        },
        Status::InSync => "in sync".to_string(),
    }
}

/// `not described in golden/`, `described by neither golden/ nor x.tfstate`.
fn unmanaged(report: &Report, r: &ResourceReport) -> String {
    let names: Vec<String> = if report.references.is_empty() {
        r.reference.iter().map(|k| k.as_str().to_string()).collect()
    } else {
        report.references.clone()
    };
    match names.as_slice() {
        [one] => format!("not described in {one}"),
        [a, b] => format!("described by neither {a} nor {b}"),
        more => format!("described by none of {}", more.join(", ")),
    }
}

/// What to do about a finding, where the way out is not obvious: a resource that differs from a
/// Terraform state is fixed in Terraform, not by `accept`, which writes golden files only.
pub fn hint(r: &ResourceReport) -> Option<&'static str> {
    let terraform = r.reference.is_only(crate::diff::ReferenceKind::Terraform);
    (r.status == Status::Modified && terraform).then_some(
        "Terraform manages it: change the configuration to what runs, or apply the \
         configuration to undo the change (`driftwatch accept` writes golden files only)",
    )
}

/// What people read after a resource compared as a partial claim.
pub const PARTIAL_NOTE: &str = " (partial: only what this state manages)";

/// [`PARTIAL_NOTE`] for a partial claim, else nothing.
pub fn partial_note(r: &ResourceReport) -> &'static str {
    if r.partial {
        PARTIAL_NOTE
    } else {
        ""
    }
}

fn origin(res: &Option<Resource>) -> &str {
    res.as_ref().map(|x| x.origin.0.as_str()).unwrap_or("")
}
