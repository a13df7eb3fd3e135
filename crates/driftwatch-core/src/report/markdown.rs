//! Renderer: Markdown for CI job summaries (GitHub `$GITHUB_STEP_SUMMARY`, GitLab, PR comments):
//! a table of drifted resources (a row per resource, or per reference when the references
//! differ), the changes in words, then a fenced diff per modified resource. Text from the data
//! is inert wherever it goes (see `escape`): ids in code spans, words and messages with Markdown
//! and HTML escaped, the `<details>` summary HTML-escaped, each diff in a fence longer than any
//! backtick run inside it.

use std::fmt::Write;

use super::console::{summary_line, terraform_lines};
use super::escape::{self, html, markdown as text, table_code};
use super::group::{self, Group};
use super::{partial_note, unified_diff};
use crate::diff::{Report, ResourceReport, Status};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", text(&summary_line(report)));
    for line in terraform_lines(report) {
        let _ = writeln!(out, "{}\n", text(&line));
    }
    for line in super::targets::lines(report) {
        let _ = writeln!(out, "{}\n", text(&line));
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
                    text(&format!("not found in {}", report.actual_source))
                } else if words.is_empty() {
                    text(&group::describe(report, g))
                } else {
                    lines(&words)
                };
                let seen = group::seen_words(g)
                    .map(|s| format!(" ({})", text(&s)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "| {}{seen} | `{}` | {}{} | {} | {} |",
                    r.status.as_str(),
                    r.kind,
                    table_code(&r.id),
                    partial_note(r),
                    lines(&refs),
                    what
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
            let _ = writeln!(out, "- {}", text(&group::resolved_line(r)));
        }
    }
    if !report.errors.is_empty() {
        let _ = writeln!(out, "\n### Could not check\n");
        for e in &report.errors {
            let what = e.kind.map(|k| format!("`{k}`: ")).unwrap_or_default();
            let _ = writeln!(out, "- {what}{}", text(&e.message));
        }
    }
    out
}

/// The rows of a resource: one naming every reference when they agree, else one per reference.
fn rows<'a>(g: &Group<'a>) -> Vec<(&'a ResourceReport, Vec<String>)> {
    if g.agree() {
        vec![(g.first(), g.origins())]
    } else {
        g.entries
            .iter()
            .map(|e| (*e, vec![group::origin(e)]))
            .collect()
    }
}

/// Texts from the data, each escaped, one per line of a cell.
fn lines(items: &[String]) -> String {
    let escaped: Vec<String> = items.iter().map(|s| text(s)).collect();
    escaped.join("<br>")
}

/// A modified resource's diff, folded.
fn details(out: &mut String, r: &ResourceReport, refs: &[String], agree: bool) {
    let diff = unified_diff(r);
    if diff.is_empty() {
        return;
    }
    let against = if agree {
        String::new()
    } else {
        format!(" against {}", html(&refs.join(", ")))
    };
    let _ = writeln!(
        out,
        "\n<details><summary><code>{} {}</code>{against}</summary>\n",
        r.kind,
        html(&r.id)
    );
    // A backtick run as long as the fence would close it; the lines start with a sign, but a
    // longer fence needs no argument.
    let fence = escape::fence_for(diff.iter().map(|(_, l)| l.as_str()));
    let _ = writeln!(out, "{fence}diff");
    for (_, line) in diff {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "{fence}\n");
    if let Some(hint) = super::hint(r) {
        let _ = writeln!(out, "Hint: {}\n", html(hint));
    }
    let _ = writeln!(out, "</details>");
}
