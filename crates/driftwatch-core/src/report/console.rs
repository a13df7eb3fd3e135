//! Renderer: the terminal. A summary line; then, for each drifted resource, a unified diff of
//! the canonical documents. Nothing but the summary when all is in sync. The `-q` form is a
//! line per finding under the summary, and nothing at all when all is in sync. Text from the
//! data (ids, keys, paths, values, origins, messages) shows its control characters
//! ([`control`]): an escape sequence or a line starting `::error::` never reaches the
//! terminal or a CI runner reading stdout.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use super::escape::control;
use super::group::{self, Group};
use super::{describe, unified_diff, Line, PARTIAL_NOTE};
use crate::diff::{ErrorEntry, Report, ResourceReport, Status};

const BOLD: Style = Style::new().bold();
const RED: Style = AnsiColor::Red.on_default();
const GREEN: Style = AnsiColor::Green.on_default();
const YELLOW: Style = AnsiColor::Yellow.on_default();
const CYAN: Style = AnsiColor::Cyan.on_default();

/// The console report; with `color`, ANSI styles are included. With `errors`, the kinds that
/// could not be checked are listed at the end: for a report written to a file, which has no
/// stderr beside it. On stdout they are left out, since each error is said once, on stderr.
pub fn render(report: &Report, color: bool, errors: bool) -> String {
    let paint = |style: Style, text: &str| {
        if color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}", summary_line(report));
    for line in terraform_lines(report) {
        let _ = writeln!(out, "{line}");
    }
    for line in super::targets::lines(report) {
        let _ = writeln!(out, "{line}");
    }
    for g in group::drifted(report) {
        block(&mut out, report, &g, &paint);
    }
    out.push_str(&super::checks::console(report, &paint));
    let resolved = group::resolved(report);
    if !resolved.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint(GREEN.bold(), "resolved since the previous run:")
        );
        for r in resolved {
            let _ = writeln!(out, "  ✓ {}", group::resolved_line(r));
        }
    }
    for e in report.errors.iter().filter(|_| errors) {
        let _ = writeln!(out, "\n{} {}", paint(RED.bold(), "error:"), error_line(e));
    }
    out
}

/// One resource: a header, the references it was compared with, the changes in words and the
/// diff; once when the references agree, else per reference.
fn block(out: &mut String, report: &Report, g: &Group, paint: &dyn Fn(Style, &str) -> String) {
    let f = g.first();
    let status = g.status();
    let (sign, style) = match status {
        Status::Modified => ('~', YELLOW),
        Status::Missing => ('-', RED),
        Status::Unmanaged => ('+', GREEN),
        Status::InSync => return,
    };
    let title = format!("{sign} {} {}: {}", f.kind, group::id(f), status.as_str());
    let mut partial = if g.partial() { PARTIAL_NOTE } else { "" }.to_string();
    if let Some(seen) = group::seen_words(g) {
        partial.push_str(&format!(" [{seen}]"));
    }
    if g.agree() {
        let what = group::describe(report, g);
        let _ = writeln!(out, "\n{} ({what}){partial}", paint(style.bold(), &title));
        // With one reference, the diff's `---` line names it already.
        if status == Status::Modified && report.references.len() > 1 {
            for o in g.origins() {
                let _ = writeln!(out, "  against {o}");
            }
        }
        entry_body(out, f, paint);
    } else {
        let _ = writeln!(
            out,
            "\n{} (the references differ){partial}",
            paint(style.bold(), &title)
        );
        for e in &g.entries {
            let _ = writeln!(
                out,
                "  against {}: {}",
                group::origin(e),
                describe(report, e)
            );
            entry_body(out, e, paint);
        }
    }
}

/// An entry's changes in words, then its diff.
fn entry_body(out: &mut String, r: &ResourceReport, paint: &dyn Fn(Style, &str) -> String) {
    for w in group::words_of(r) {
        let _ = writeln!(out, "  · {w}");
    }
    for (line, text) in unified_diff(r) {
        let style = match line {
            Line::Header => BOLD,
            Line::Hunk => CYAN,
            Line::Removed => RED,
            Line::Added => GREEN,
            Line::Context => Style::new(),
        };
        let _ = writeln!(out, "{}", paint(style, &text));
    }
    if let Some(hint) = super::hint(r) {
        let _ = writeln!(out, "  {} {hint}", paint(CYAN, "hint:"));
    }
}

/// The `-q` report: the summary line and one line per drifted resource, for a cron mail. The
/// caller prints nothing at all when the run is clean (exit 0).
pub fn quiet(report: &Report) -> String {
    let mut out = summary_line(report);
    out.push('\n');
    for g in group::drifted(report) {
        out.push_str(&finding_line(report, &g));
        out.push('\n');
    }
    for f in &report.checks {
        out.push_str(&super::checks::line(f));
        out.push('\n');
    }
    for r in group::resolved(report) {
        out.push_str(&format!("resolved {}\n", group::resolved_line(r)));
    }
    out
}

/// One drifted resource on one line, e.g. `modified aws_ecs_task_definition backend
/// (golden/aws_ecs_task_definition/backend.json): 2 changes`.
pub fn finding_line(report: &Report, g: &Group) -> String {
    let r = g.first();
    let target = r
        .target
        .as_ref()
        .map(|t| format!("[{t}] "))
        .unwrap_or_default();
    let file = match g.status() {
        // Origins come escaped from `group`.
        Status::Modified if g.agree() => format!(" ({})", g.origins().join(", ")),
        _ => String::new(),
    };
    let seen = group::seen_words(g)
        .map(|s| format!(" [{s}]"))
        .unwrap_or_default();
    let line = format!(
        "{target}{} {} {}{file}: {}{seen}",
        g.status().as_str(),
        r.kind,
        r.id,
        group::describe(report, g)
    );
    control(&line).into_owned()
}

/// What could not be checked and why, on one line (without the `error:` label).
pub fn error_line(e: &ErrorEntry) -> String {
    let what = e.kind.map(|k| format!(" {k}")).unwrap_or_default();
    let target = e
        .target
        .as_ref()
        .map(|t| format!(" (target {t})"))
        .unwrap_or_default();
    let line = format!("could not check{what}{target}: {}", e.message);
    control(&line).into_owned()
}

/// One line a cron log or a CI step can show alone (source and reference names from the
/// command line or a state, so control characters shown).
pub fn summary_line(report: &Report) -> String {
    control(&summary_raw(report)).into_owned()
}

fn summary_raw(report: &Report) -> String {
    let s = &report.summary;
    let [in_sync, modified, missing, unmanaged] = group::counts(report);
    let checked = in_sync + modified + missing;
    let verdict = if s.errors > 0 {
        "could not check everything"
    } else if report.has_drift() {
        "drift found"
    } else if report.has_broken_references() {
        "broken references found"
    } else {
        "in sync"
    };
    let mut parts = Vec::new();
    for (n, what) in [
        (modified, "modified"),
        (missing, "missing"),
        (unmanaged, "unmanaged"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    if report.checks_only {
        return checks_summary(report, verdict);
    }
    parts.push(format!("{in_sync} in sync"));
    parts.extend(super::checks::counts(report));
    parts.extend(super::checks::judged_words(report, false));
    if s.errors > 0 {
        parts.push(format!(
            "{} {}",
            s.errors,
            if s.errors == 1 { "error" } else { "errors" }
        ));
    }
    // With several references, a resource counts once however many describe it.
    let described = match report.references.as_slice() {
        [_, _, ..] => format!(", described by {},", group::and_list(&report.references)),
        _ => String::new(),
    };
    let history = group::history_words(report)
        .map(|h| format!("; {h}"))
        .unwrap_or_default();
    format!(
        "driftwatch: {verdict}: {} ({checked} expected resources{described} compared with {}){history}",
        parts.join(", "),
        report.actual_source
    )
}

/// `verify`'s summary: no comparison, only the checks over one reference.
fn checks_summary(report: &Report, verdict: &str) -> String {
    let mut parts = super::checks::counts(report);
    if parts.is_empty() {
        parts.push("no broken references".to_string());
    }
    parts.extend(super::checks::judged_words(report, true));
    let verdict = if verdict == "in sync" {
        "consistent"
    } else {
        verdict
    };
    format!(
        "driftwatch: {verdict}: {} (cross-resource checks on {})",
        parts.join(", "),
        report.actual_source
    )
}

/// Coverage and the Terraform types not checked, when a state was a reference (the types are
/// the state's text: control characters shown).
pub fn terraform_lines(report: &Report) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(c) = &report.coverage {
        lines.push(format!(
            "coverage: {}% ({} of {} resources found are described by a reference)",
            c.percent, c.described, c.live
        ));
    }
    if !report.not_checked.is_empty() {
        let list: Vec<String> = report
            .not_checked
            .iter()
            .map(|n| format!("{} ({})", control(&n.r#type), n.count))
            .collect();
        lines.push(format!(
            "not checked (Terraform types driftwatch does not map): {}",
            list.join(", ")
        ));
    }
    lines
}
