//! Renderer: JUnit XML, which GitLab, Jenkins and most CI dashboards display. One test case per
//! checked resource and reference; drift is a failure carrying the diff; a kind that could not
//! be checked is an error. The XML itself is written by `quick-junit` (nextest's writer), so
//! escaping and the counts on each suite are what JUnit consumers expect.

use std::collections::BTreeMap;

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use super::{describe, unified_diff, Report, ResourceReport, Status};

pub fn render(report: &Report) -> String {
    let mut suites: BTreeMap<String, TestSuite> = BTreeMap::new();
    for r in &report.resources {
        let kind = r.kind.to_string();
        let mut case = TestCase::new(format!("{} ({})", r.id, r.reference), status(report, r));
        case.set_classname(kind.as_str());
        suites
            .entry(kind.clone())
            .or_insert_with(|| TestSuite::new(kind))
            .add_test_case(case);
    }
    let mut out = quick_junit::Report::new("driftwatch");
    out.add_test_suites(suites.into_values());
    if !report.errors.is_empty() {
        let mut suite = TestSuite::new("could not check");
        for e in &report.errors {
            let name = e
                .kind
                .map(|k| k.to_string())
                .unwrap_or_else(|| "run".into());
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(e.message.as_str());
            let mut case = TestCase::new(name, status);
            case.set_classname("driftwatch");
            suite.add_test_case(case);
        }
        out.add_test_suite(suite);
    }
    // Serializing into a String fails only on an I/O error of the writer, which a String has not.
    out.to_string().expect("JUnit XML serializes into a String")
}

/// Success when in sync; otherwise a failure typed by the status, the changed paths (or what
/// happened) as its message and the unified diff as its text.
fn status(report: &Report, r: &ResourceReport) -> TestCaseStatus {
    if r.status == Status::InSync {
        return TestCaseStatus::success();
    }
    let changes: Vec<&str> = r.changes.iter().map(|c| c.path.as_str()).collect();
    let message = if changes.is_empty() {
        format!("{}: {}", r.status.as_str(), describe(report, r))
    } else {
        format!("{}: {}", r.status.as_str(), changes.join(", "))
    };
    let body: Vec<String> = unified_diff(r).into_iter().map(|(_, l)| l).collect();
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status.set_type(r.status.as_str()).set_message(message);
    if !body.is_empty() {
        status.set_description(body.join("\n"));
    }
    status
}
