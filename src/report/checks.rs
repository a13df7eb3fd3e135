//! Renderer parts for the cross-resource check findings (`Report::checks`), one function per
//! format; each format's renderer calls its own after the drift. Pure: reads the report only.

use std::fmt::Write;

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use crate::checks::{Finding, Severity};
use crate::diff::Report;

/// The console section's title.
pub const TITLE: &str = "Broken references";

/// One finding on one line: `error queue-access aws_ecs_task_definition worker: message`.
pub fn line(f: &Finding) -> String {
    let target = f
        .target
        .as_ref()
        .map(|t| format!("[{t}] "))
        .unwrap_or_default();
    format!(
        "{target}{} {} {} {}: {}",
        f.severity.as_str(),
        f.check,
        f.kind,
        f.id,
        f.message
    )
}

/// "2 broken references" (errors) and "1 to look at" (warnings), for summary lines.
pub fn counts(report: &Report) -> Vec<String> {
    let errors = report
        .checks
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = report.checks.len() - errors;
    let mut parts = Vec::new();
    if errors > 0 {
        let s = if errors == 1 { "" } else { "s" };
        parts.push(format!("{errors} broken reference{s}"));
    }
    if warnings > 0 {
        let s = if warnings == 1 { "" } else { "s" };
        parts.push(format!("{warnings} check warning{s}"));
    }
    parts
}

/// The console section after the drift: a title and a line per finding; empty without any.
pub fn console(report: &Report, paint: &dyn Fn(anstyle::Style, &str) -> String) -> String {
    let mut out = String::new();
    if report.checks.is_empty() {
        return out;
    }
    let bold = anstyle::Style::new().bold();
    let _ = writeln!(out, "\n{}", paint(bold, TITLE));
    for f in &report.checks {
        let style = match f.severity {
            Severity::Error => anstyle::AnsiColor::Red.on_default(),
            Severity::Warning => anstyle::AnsiColor::Yellow.on_default(),
        };
        let _ = writeln!(
            out,
            "  {} {}",
            paint(style, f.severity.as_str()),
            &line(f)[f.severity.as_str().len() + 1..]
        );
    }
    out
}

/// The Markdown section: a table of findings.
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    if report.checks.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\n### {TITLE}\n");
    let _ = writeln!(out, "| severity | check | kind | resource | what |");
    let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
    for f in &report.checks {
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let _ = writeln!(
            out,
            "| {} | `{}` | `{}` | `{}` | {} |",
            f.severity.as_str(),
            f.check,
            f.kind,
            cell(&f.id),
            cell(&f.message)
        );
    }
    out
}

/// The JUnit suite `checks`: a test case per check and resource with findings, failed for an
/// error, passed with the message as output for a warning.
pub fn junit(report: &Report) -> Option<TestSuite> {
    if report.checks.is_empty() {
        return None;
    }
    let mut suite = TestSuite::new("checks");
    let mut i = 0;
    while i < report.checks.len() {
        let f = &report.checks[i];
        let same: Vec<&Finding> = report.checks[i..]
            .iter()
            .take_while(|g| {
                (g.check, g.kind, &g.id, &g.target) == (f.check, f.kind, &f.id, &f.target)
            })
            .collect();
        i += same.len();
        let message: Vec<String> = same.iter().map(|g| g.message.clone()).collect();
        let status = if same.iter().any(|g| g.severity == Severity::Error) {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_type(f.check.as_str()).set_message(message.join("\n"));
            s
        } else {
            TestCaseStatus::success()
        };
        let mut case = TestCase::new(format!("{} {}", f.kind, f.id), status);
        case.set_classname(format!("checks.{}", f.check));
        if same.iter().all(|g| g.severity == Severity::Warning) {
            case.set_system_out(message.join("\n"));
        }
        suite.add_test_case(case);
    }
    Some(suite)
}

/// A workflow annotation per finding (`::error` or `::warning`), escaped by `escape`.
pub fn github(
    report: &Report,
    data: &dyn Fn(&str) -> String,
    property: &dyn Fn(&str) -> String,
) -> String {
    let mut out = String::new();
    for f in &report.checks {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let title = format!("driftwatch: {} {} {}", f.check, f.kind, f.id);
        let _ = writeln!(
            out,
            "::{level} title={}::{}",
            property(&title),
            data(&f.message)
        );
    }
    out
}
