//! Renderer: the terminal. A summary line; then, for each drifted resource, a unified diff of
//! the canonical documents. Nothing but the summary when all is in sync. The `-q` form is a
//! line per finding under the summary, and nothing at all when all is in sync.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};

use super::{
    describe, partial_note, unified_diff, ErrorEntry, Line, Report, ResourceReport, Status,
};

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
    for r in report.drifted() {
        let (sign, style) = match r.status {
            Status::Modified => ('~', YELLOW),
            Status::Missing => ('-', RED),
            Status::Unmanaged => ('+', GREEN),
            Status::InSync => continue,
        };
        let title = format!("{sign} {} {}: {}", r.kind, r.id, r.status.as_str());
        let _ = writeln!(
            out,
            "\n{} ({}){}",
            paint(style.bold(), &title),
            describe(report, r),
            partial_note(r)
        );
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
    }
    for e in report.errors.iter().filter(|_| errors) {
        let _ = writeln!(out, "\n{} {}", paint(RED.bold(), "error:"), error_line(e));
    }
    out
}

/// The `-q` report: the summary line and one line per drifted resource, for a cron mail. The
/// caller prints nothing at all when the run is clean (exit 0).
pub fn quiet(report: &Report) -> String {
    let mut out = summary_line(report);
    out.push('\n');
    for r in report.drifted() {
        out.push_str(&finding_line(report, r));
        out.push('\n');
    }
    out
}

/// One drifted resource on one line, e.g. `modified aws_ecs_task_definition backend
/// (golden/aws_ecs_task_definition/backend.json): 2 changes`.
pub fn finding_line(report: &Report, r: &ResourceReport) -> String {
    let target = r
        .target
        .as_ref()
        .map(|t| format!("[{t}] "))
        .unwrap_or_default();
    let file = match (&r.expected, r.status) {
        (Some(e), Status::Modified) => format!(" ({})", e.origin.0),
        _ => String::new(),
    };
    format!(
        "{target}{} {} {}{file}: {}",
        r.status.as_str(),
        r.kind,
        r.id,
        describe(report, r)
    )
}

/// What could not be checked and why, on one line (without the `error:` label).
pub fn error_line(e: &ErrorEntry) -> String {
    let what = e.kind.map(|k| format!(" {k}")).unwrap_or_default();
    let target = e
        .target
        .as_ref()
        .map(|t| format!(" (target {t})"))
        .unwrap_or_default();
    format!("could not check{what}{target}: {}", e.message)
}

/// One line a cron log or a CI step can show alone.
pub fn summary_line(report: &Report) -> String {
    let s = &report.summary;
    let checked = s.in_sync + s.modified + s.missing;
    let verdict = if s.errors > 0 {
        "could not check everything"
    } else if report.has_drift() {
        "drift found"
    } else {
        "in sync"
    };
    let mut parts = Vec::new();
    for (n, what) in [
        (s.modified, "modified"),
        (s.missing, "missing"),
        (s.unmanaged, "unmanaged"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    parts.push(format!("{} in sync", s.in_sync));
    if s.errors > 0 {
        parts.push(format!(
            "{} {}",
            s.errors,
            if s.errors == 1 { "error" } else { "errors" }
        ));
    }
    format!(
        "driftwatch: {verdict}: {} ({checked} expected resources compared with {})",
        parts.join(", "),
        report.actual_source
    )
}

/// Coverage and the Terraform types not checked, when a state was a reference.
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
            .map(|n| format!("{} ({})", n.r#type, n.count))
            .collect();
        lines.push(format!(
            "not checked (Terraform types driftwatch does not map): {}",
            list.join(", ")
        ));
    }
    lines
}
