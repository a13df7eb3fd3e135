//! Renderer: Markdown for CI job summaries (GitHub `$GITHUB_STEP_SUMMARY`, GitLab, PR comments):
//! a table of drifted resources, then a fenced diff per modified resource.

use std::fmt::Write;

use super::console::{summary_line, terraform_lines};
use super::{describe, partial_note, unified_diff, Report};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", summary_line(report));
    for line in terraform_lines(report) {
        let _ = writeln!(out, "{}\n", cell(&line));
    }
    if report.has_drift() {
        let _ = writeln!(out, "| status | kind | resource | what differs |");
        let _ = writeln!(out, "| --- | --- | --- | --- |");
        for r in report.drifted() {
            let what = if r.changes.is_empty() {
                describe(report, r)
            } else {
                r.changes
                    .iter()
                    .map(|c| format!("`{}`", c.path))
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            let _ = writeln!(
                out,
                "| {} | `{}` | `{}`{} | {} |",
                r.status.as_str(),
                r.kind,
                cell(&r.id),
                partial_note(r),
                cell(&what)
            );
        }
        for r in report.drifted() {
            let diff = unified_diff(r);
            if diff.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "\n<details><summary><code>{} {}</code></summary>\n\n```diff",
                r.kind,
                html(&r.id)
            );
            for (_, line) in diff {
                let _ = writeln!(out, "{line}");
            }
            let _ = writeln!(out, "```\n\n</details>");
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

/// A table cell must not contain a raw `|` or a line break.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
