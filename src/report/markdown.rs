//! Renderer: Markdown for CI job summaries (GitHub `$GITHUB_STEP_SUMMARY`, GitLab, PR comments):
//! a table of drifted resources (a row per resource, or per reference when the references
//! differ), the changes in words, then a fenced diff per modified resource.

use std::fmt::Write;

use super::console::{summary_line, terraform_lines};
use super::group::{self, Group};
use super::{partial_note, unified_diff};
use crate::diff::{Report, ResourceReport, Status};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", summary_line(report));
    for line in terraform_lines(report) {
        let _ = writeln!(out, "{}\n", cell(&line));
    }
    if report.has_drift() {
        let _ = writeln!(
            out,
            "| status | kind | resource | reference | what differs |"
        );
        let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
        let groups = group::drifted(report);
        for g in &groups {
            for (r, refs) in rows(g) {
                let words = group::words_of(r);
                // The reference column names where a missing resource is described.
                let what = if r.status == Status::Missing {
                    format!("not found in {}", report.actual_source)
                } else if words.is_empty() {
                    group::describe(report, g)
                } else {
                    words.join("<br>")
                };
                let seen = group::seen_words(g)
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "| {}{seen} | `{}` | `{}`{} | {} | {} |",
                    r.status.as_str(),
                    r.kind,
                    cell(&r.id),
                    partial_note(r),
                    cell(&refs),
                    cell(&what)
                );
            }
        }
        for g in &groups {
            for (r, refs) in rows(g) {
                details(&mut out, r, &refs, g.agree());
            }
        }
    }
    out.push_str(&super::checks::markdown(report));
    let resolved = group::resolved(report);
    if !resolved.is_empty() {
        let _ = writeln!(out, "\n### Resolved since the previous run\n");
        for r in resolved {
            let _ = writeln!(out, "- {}", cell(&group::resolved_line(r)));
        }
    }
    if !report.errors.is_empty() {
        let _ = writeln!(out, "\n### Could not check\n");
        for e in &report.errors {
            let what = e.kind.map(|k| format!("`{k}`: ")).unwrap_or_default();
            let _ = writeln!(out, "- {what}{}", cell(&e.message));
        }
    }
    out
}

/// The rows of a resource: one naming every reference when they agree, else one per reference.
fn rows<'a>(g: &Group<'a>) -> Vec<(&'a ResourceReport, String)> {
    if g.agree() {
        vec![(g.first(), g.origins().join("<br>"))]
    } else {
        g.entries.iter().map(|e| (*e, group::origin(e))).collect()
    }
}

/// A modified resource's diff, folded.
fn details(out: &mut String, r: &ResourceReport, refs: &str, agree: bool) {
    let diff = unified_diff(r);
    if diff.is_empty() {
        return;
    }
    let against = if agree {
        String::new()
    } else {
        format!(" against {}", html(refs))
    };
    let _ = writeln!(
        out,
        "\n<details><summary><code>{} {}</code>{against}</summary>\n\n```diff",
        r.kind,
        html(&r.id)
    );
    for (_, line) in diff {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "```\n");
    if let Some(hint) = super::hint(r) {
        let _ = writeln!(out, "Hint: {}\n", html(hint));
    }
    let _ = writeln!(out, "</details>");
}

/// A table cell must not contain a raw `|` or a line break.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
