//! Renderer: JUnit XML, which GitLab, Jenkins and most CI dashboards display. One test case per
//! checked resource, whatever the number of references; drift is a failure naming each
//! reference that differs and carrying the diff; a kind that could not
//! be checked is an error. The XML itself is written by `quick-junit` (nextest's writer), so
//! escaping and the counts on each suite are what JUnit consumers expect; control characters,
//! which XML 1.0 cannot hold, are shown escaped ([`control`]) before it.

use std::collections::BTreeMap;

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};

use super::escape::control;
use super::group::{self, Group};
use super::{describe, unified_diff};
use crate::diff::{Report, ResourceReport, Status};

pub fn render(report: &Report) -> String {
    let mut suites: BTreeMap<String, TestSuite> = BTreeMap::new();
    for g in group::groups(report) {
        let r = g.first();
        let kind = r.kind.to_string();
        let mut case = TestCase::new(group::id(r), status(report, &g));
        case.set_classname(kind.as_str());
        suites
            .entry(kind.clone())
            .or_insert_with(|| TestSuite::new(kind))
            .add_test_case(case);
    }
    let mut out = quick_junit::Report::new("driftwatch");
    out.add_test_suites(suites.into_values());
    if let Some(suite) = super::checks::junit(report) {
        out.add_test_suite(suite);
    }
    // With history, the summary ("3 new, 9 known, 1 resolved") and each resolved resource, as
    // a passing case: dashboards show what got fixed.
    if let Some(words) = group::history_words(report) {
        let mut suite = TestSuite::new("history");
        suite.add_property(quick_junit::Property::new("summary", words));
        for r in group::resolved(report) {
            let mut case = TestCase::new(group::resolved_line(r), TestCaseStatus::success());
            case.set_classname("resolved");
            suite.add_test_case(case);
        }
        out.add_test_suite(suite);
    }
    if !report.errors.is_empty() {
        let mut suite = TestSuite::new("could not check");
        for e in &report.errors {
            let name = e
                .kind
                .map(|k| k.to_string())
                .unwrap_or_else(|| "run".into());
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(control(&e.message).into_owned());
            let mut case = TestCase::new(name, status);
            case.set_classname("driftwatch");
            suite.add_test_case(case);
        }
        out.add_test_suite(suite);
    }
    // Serializing into a String fails only on an I/O error of the writer, which a String has not.
    out.to_string().expect("JUnit XML serializes into a String")
}

/// Success when in sync; otherwise a failure typed by the status, what differs in words against
/// each reference as its message and the unified diffs as its text.
fn status(report: &Report, g: &Group) -> TestCaseStatus {
    let st = g.status();
    if st == Status::InSync {
        return TestCaseStatus::success();
    }
    let entries: Vec<&ResourceReport> = if g.agree() {
        vec![g.first()]
    } else {
        g.entries.clone()
    };
    let origins = if g.agree() {
        group::and_list(&g.origins())
    } else {
        String::new()
    };
    let mut each = Vec::new();
    let mut body = Vec::new();
    for e in entries {
        let what = match e.status {
            Status::Modified => group::words_of(e).join("; "),
            _ => describe(report, e),
        };
        // A missing or unmanaged resource's own words name where it is described.
        each.push(match (g.agree(), e.status) {
            (true, Status::Modified) => format!("modified against {origins}: {what}"),
            (true, _) => format!("{}: {}", e.status.as_str(), group::describe(report, g)),
            (false, _) => format!("{} against {}: {what}", e.status.as_str(), group::origin(e)),
        });
        body.extend(unified_diff(e).into_iter().map(|(_, l)| l));
    }
    if let Some(seen) = group::seen_words(g) {
        each.push(format!("[{seen}]"));
    }
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status.set_type(st.as_str()).set_message(each.join("\n"));
    if !body.is_empty() {
        status.set_description(body.join("\n"));
    }
    status
}
