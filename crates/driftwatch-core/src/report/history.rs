//! Renderer: `driftwatch history`, the runs of a history database and one resource's timeline,
//! in console, JSON and Markdown. Only reads the rows the database gave. References, targets
//! and the resource asked about are escaped (`escape`) for the terminal or Markdown.

use std::fmt::Write;

use serde::Serialize;

use super::escape::{code_span, control, markdown};
use crate::history::rows::{RunRow, TimelineRow};

/// Any list of rows as a JSON array.
pub fn json<T: Serialize>(rows: &[T]) -> String {
    let mut s = serde_json::to_string_pretty(rows).expect("rows always serialize");
    s.push('\n');
    s
}

pub fn runs_console(rows: &[RunRow]) -> String {
    if rows.is_empty() {
        return "no runs recorded yet\n".to_string();
    }
    let mut out = String::new();
    for r in rows {
        let _ = writeln!(
            out,
            "run {:>4}  {}  {} findings: {} new, {} known, {} resolved{}  [{}]",
            r.run,
            r.checked_at,
            r.findings,
            r.new,
            r.known,
            r.resolved,
            errors(r.errors),
            control(&scope(&r.scope))
        );
    }
    out
}

pub fn runs_markdown(rows: &[RunRow]) -> String {
    let mut out = String::from(
        "| run | checked at | findings | new | known | resolved | errors | scope |\n\
         | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |\n",
    );
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            r.run,
            r.checked_at,
            r.findings,
            r.new,
            r.known,
            r.resolved,
            r.errors,
            markdown(&scope(&r.scope))
        );
    }
    out
}

pub fn timeline_console(what: &str, rows: &[TimelineRow]) -> String {
    if rows.is_empty() {
        return format!("{}: no finding in the recorded runs\n", control(what));
    }
    let mut out = format!("{}\n", control(what));
    for r in rows {
        let _ = writeln!(out, "  {}", timeline_line(r));
    }
    out
}

pub fn timeline_markdown(what: &str, rows: &[TimelineRow]) -> String {
    let mut out = format!(
        "## {}\n\n| run | checked at | status | since | reference | fingerprint |\n\
         | ---: | --- | --- | --- | --- | --- |\n",
        code_span(what)
    );
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {}{} | {} | {}{} | {} |",
            r.run,
            r.checked_at,
            r.status,
            if r.new { " (new)" } else { "" },
            r.first_seen.as_deref().unwrap_or(""),
            markdown(
                &r.target
                    .as_ref()
                    .map(|t| format!("[{t}] "))
                    .unwrap_or_default()
            ),
            markdown(&r.reference),
            r.fingerprint.as_deref().map(short).unwrap_or("")
        );
    }
    out
}

/// `run 3  2026-11-29T02:00:00Z  modified (new)  against golden  fingerprint 1a2b3c4d5e6f`.
fn timeline_line(r: &TimelineRow) -> String {
    let target = r
        .target
        .as_ref()
        .map(|t| format!(" [{t}]"))
        .unwrap_or_default();
    let state = match (r.status.as_str(), r.new) {
        ("resolved", _) => "resolved".to_string(),
        (s, true) => format!("{s} (new)"),
        (s, false) => format!(
            "{s} (since {})",
            r.first_seen.as_deref().unwrap_or("an earlier run")
        ),
    };
    let fp = r
        .fingerprint
        .as_deref()
        .map(|f| format!("  fingerprint {}", short(f)))
        .unwrap_or_default();
    let line = format!(
        "run {:>4}  {}{target}  {state}  against {}{fp}",
        r.run, r.checked_at, r.reference
    );
    control(&line).into_owned()
}

fn short(fingerprint: &str) -> &str {
    &fingerprint[..fingerprint.len().min(12)]
}

fn errors(n: i64) -> String {
    match n {
        0 => String::new(),
        1 => ", 1 error".to_string(),
        n => format!(", {n} errors"),
    }
}

/// `=aws_iam_role,aws_sqs_queue` (one unnamed target) reads better without the `=`, and every
/// kind as `every kind`.
fn scope(s: &str) -> String {
    let every: Vec<&str> = crate::model::Kind::ALL.iter().map(|k| k.as_str()).collect();
    let s = s.replace(&format!("={}", every.join(",")), "=every kind");
    s.strip_prefix('=').map(str::to_string).unwrap_or(s)
}
