//! Renderer parts for the cross-resource check findings (`Report::checks`) and the references
//! they could not judge (`Report::not_judged`), one function per format; each format's renderer
//! calls its own after the drift. Pure: reads the report only. Ids, subjects and messages quote
//! the data: each format escapes them through `escape`.

use std::fmt::Write;

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use super::escape::{self, control};
use crate::checks::{Finding, NotJudged, Severity};
use crate::diff::Report;

/// The console section's title.
pub const TITLE: &str = "Broken references";

/// The title of the section listing the references not judged.
pub const NOT_JUDGED: &str = "Not judged (not described by what was checked)";

/// One finding on one line: `error queue-access aws_ecs_task_definition worker: message`, after
/// its target (`[prod] `) when it has one.
pub fn line(f: &Finding) -> String {
    format!("{}{} {}", target(f), f.severity.as_str(), body(f))
}

fn target(f: &Finding) -> String {
    target_of(f.target.as_deref())
}

fn target_of(t: Option<&str>) -> String {
    t.map(|t| format!("[{}] ", control(t))).unwrap_or_default()
}

/// A reference not judged on one line: `[prod] task-role aws_ecs_task_definition web
/// (not-described): message`.
pub fn not_judged_line(n: &NotJudged) -> String {
    let text = format!(
        "{} {} {} ({}): {}",
        n.check,
        n.kind,
        n.id,
        n.reason.as_str(),
        n.message
    );
    format!("{}{}", target_of(n.target.as_deref()), control(&text))
}

/// "12 references judged, 3 not judged" (`verify`), or only "3 references not judged"
/// (`check`, whose summary is about drift); None when the checks met no reference.
pub fn judged_words(report: &Report, with_judged: bool) -> Option<String> {
    let r = report.summary.references?;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    match (with_judged, r.not_judged) {
        (true, 0) => Some(format!("{} reference{} judged", r.judged, plural(r.judged))),
        (true, n) => Some(format!(
            "{} reference{} judged, {n} not judged",
            r.judged,
            plural(r.judged)
        )),
        (false, 0) => None,
        (false, n) => Some(format!("{n} reference{} not judged", plural(n))),
    }
}

/// The finding without its severity and target, control characters shown.
fn body(f: &Finding) -> String {
    let text = format!("{} {} {}: {}", f.check, f.kind, f.id, f.message);
    control(&text).into_owned()
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

/// The console sections after the drift: a title and a line per finding, then the references
/// not judged, dimmed; empty without any.
pub fn console(report: &Report, paint: &dyn Fn(anstyle::Style, &str) -> String) -> String {
    let mut out = findings_console(report, paint);
    if !report.not_judged.is_empty() {
        let bold = anstyle::Style::new().bold();
        let dim = anstyle::Style::new().dimmed();
        let _ = writeln!(out, "\n{}", paint(bold, NOT_JUDGED));
        for n in &report.not_judged {
            let _ = writeln!(out, "  {}", paint(dim, &not_judged_line(n)));
        }
    }
    out
}

fn findings_console(report: &Report, paint: &dyn Fn(anstyle::Style, &str) -> String) -> String {
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
        let severity = paint(style, f.severity.as_str());
        let _ = writeln!(out, "  {severity} {}{}", target(f), body(f));
    }
    out
}

/// The Markdown sections: a table of findings, then the references not judged in a collapsed
/// `<details>` (a pull request comment stays about what is broken).
pub fn markdown(report: &Report) -> String {
    let mut out = findings_markdown(report);
    if report.not_judged.is_empty() {
        return out;
    }
    let n = report.not_judged.len();
    let _ = writeln!(
        out,
        "\n<details><summary>{n} reference{} not judged (not described by what was checked)</summary>\n",
        if n == 1 { "" } else { "s" }
    );
    let _ = writeln!(out, "| check | kind | resource | reason | what |");
    let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
    for n in &report.not_judged {
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {} | {} | {} |",
            n.check,
            n.kind,
            escape::table_code(&n.id),
            n.reason.as_str(),
            escape::markdown(&n.message)
        );
    }
    let _ = writeln!(out, "\n</details>");
    out
}

fn findings_markdown(report: &Report) -> String {
    let mut out = String::new();
    if report.checks.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\n### {TITLE}\n");
    let _ = writeln!(out, "| severity | check | kind | resource | what |");
    let _ = writeln!(out, "| --- | --- | --- | --- | --- |");
    for f in &report.checks {
        let _ = writeln!(
            out,
            "| {} | `{}` | `{}` | {} | {} |",
            f.severity.as_str(),
            f.check,
            f.kind,
            escape::table_code(&f.id),
            escape::markdown(&f.message)
        );
    }
    out
}

/// The JUnit suite `checks`: a test case per check and resource with findings, failed for an
/// error, passed with the message as output for a warning; and a skipped case per reference not
/// judged.
pub fn junit(report: &Report) -> Option<TestSuite> {
    if report.checks.is_empty() && report.not_judged.is_empty() {
        return None;
    }
    let mut suite = TestSuite::new("checks");
    for n in &report.not_judged {
        let mut status = TestCaseStatus::skipped();
        status.set_message(control(&n.message).into_owned());
        status.set_type(n.reason.as_str());
        let name = format!("{} {} {}", n.kind, control(&n.id), control(&n.subject));
        let mut case = TestCase::new(name, status);
        case.set_classname(format!("checks.{}", n.check));
        suite.add_test_case(case);
    }
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
        let message: Vec<String> = same
            .iter()
            .map(|g| control(&g.message).into_owned())
            .collect();
        let status = if same.iter().any(|g| g.severity == Severity::Error) {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_type(f.check.as_str()).set_message(message.join("\n"));
            s
        } else {
            TestCaseStatus::success()
        };
        let mut case = TestCase::new(format!("{} {}", f.kind, control(&f.id)), status);
        case.set_classname(format!("checks.{}", f.check));
        if same.iter().all(|g| g.severity == Severity::Warning) {
            case.set_system_out(message.join("\n"));
        }
        suite.add_test_case(case);
    }
    Some(suite)
}

/// A workflow annotation per finding (`::error` or `::warning`), escaped by the annotation
/// renderer's `data` and `property`.
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
        let title = format!("driftwatch: {} {} {}", f.check, f.kind, control(&f.id));
        let _ = writeln!(
            out,
            "::{level} title={}::{}",
            property(&title),
            data(&control(&f.message))
        );
    }
    for n in &report.not_judged {
        let title = format!(
            "driftwatch: not judged: {} {} {}",
            n.check,
            n.kind,
            control(&n.id)
        );
        let _ = writeln!(
            out,
            "::notice title={}::{}",
            property(&title),
            data(&control(&n.message))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::CheckId;
    use crate::model::Kind;

    fn report() -> Report {
        let mut r = Report::new(Vec::new(), Vec::new(), "live (us-east-1)");
        r.set_checks(crate::checks::Outcome {
            findings: vec![
                Finding {
                    check: CheckId::PassRole,
                    severity: Severity::Error,
                    kind: Kind::IamRole,
                    id: "ci-deploy".into(),
                    subject: "arn:aws:iam::123456789012:role/api-task".into(),
                    message: "role ci-deploy may not pass api-task".into(),
                    target: None,
                },
                Finding {
                    check: CheckId::QueueAccess,
                    severity: Severity::Warning,
                    kind: Kind::EcsTaskDefinition,
                    id: "worker".into(),
                    subject: "arn:aws:sqs:us-east-1:123456789012:jobs".into(),
                    message: "allowed only under conditions".into(),
                    target: Some("prod".into()),
                },
            ],
            ..Default::default()
        });
        r
    }

    #[test]
    fn console_section_lists_each_finding_after_a_title() {
        let text = console(&report(), &|_, t| t.to_string());
        assert_eq!(
            text,
            "\nBroken references\n  error pass-role aws_iam_role ci-deploy: role ci-deploy may not pass api-task\n  \
             warning [prod] queue-access aws_ecs_task_definition worker: allowed only under conditions\n"
        );
        assert_eq!(counts(&report()), ["1 broken reference", "1 check warning"]);
        assert_eq!(
            console(&Report::new(Vec::new(), Vec::new(), "x"), &|_, t| t
                .to_string()),
            ""
        );
    }

    #[test]
    fn json_has_the_checks_array_and_their_count() {
        let v: serde_json::Value = serde_json::to_value(report()).unwrap();
        assert_eq!(v["summary"]["checks"], 2);
        assert_eq!(
            v["checks"][1],
            serde_json::json!({"check": "queue-access", "severity": "warning",
                "kind": "aws_ecs_task_definition", "id": "worker",
                "subject": "arn:aws:sqs:us-east-1:123456789012:jobs",
                "message": "allowed only under conditions", "target": "prod"})
        );
        let none: serde_json::Value =
            serde_json::to_value(Report::new(Vec::new(), Vec::new(), "x")).unwrap();
        assert!(none.get("checks").is_none() && none["summary"].get("checks").is_none());
    }

    #[test]
    fn markdown_junit_and_annotations_carry_them() {
        let r = report();
        let md = markdown(&r);
        assert!(md.contains("### Broken references"));
        assert!(md.contains("| error | `pass-role` | `aws_iam_role` | `ci-deploy` | role ci-deploy may not pass api-task |"));
        let mut out = quick_junit::Report::new("driftwatch");
        out.add_test_suite(junit(&r).unwrap());
        let xml = out.to_string().unwrap();
        assert!(
            xml.contains(
                "<testcase name=\"aws_iam_role ci-deploy\" classname=\"checks.pass-role\">"
            ),
            "{xml}"
        );
        assert!(
            xml.contains(
                "<failure message=\"role ci-deploy may not pass api-task\" type=\"pass-role\""
            ),
            "{xml}"
        );
        assert!(xml.contains("classname=\"checks.queue-access\""), "{xml}");
        let id = |s: &str| s.to_string();
        let gh = github(&r, &id, &id);
        assert!(
            gh.starts_with(
                "::error title=driftwatch: pass-role aws_iam_role ci-deploy::role ci-deploy"
            ),
            "{gh}"
        );
        assert!(
            gh.contains("::warning title=driftwatch: queue-access"),
            "{gh}"
        );
    }
}
