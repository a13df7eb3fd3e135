//! Renderer: JUnit XML, which GitLab, Jenkins and most CI dashboards display. One test case per
//! checked resource and reference; drift is a failure carrying the diff; a kind that could not
//! be checked is an error.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{describe, unified_diff, Report, Status};

pub fn render(report: &Report) -> String {
    let mut suites: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut failures: BTreeMap<String, usize> = BTreeMap::new();
    for r in &report.resources {
        let kind = r.kind.to_string();
        let mut case = format!(
            "    <testcase classname=\"{}\" name=\"{} ({})\"",
            xml(&kind),
            xml(&r.id),
            xml(&r.reference)
        );
        if r.status == Status::InSync {
            case.push_str("/>");
        } else {
            *failures.entry(kind.clone()).or_default() += 1;
            let body: Vec<String> = unified_diff(r).into_iter().map(|(_, l)| l).collect();
            let changes: Vec<&str> = r.changes.iter().map(|c| c.path.as_str()).collect();
            let message = if changes.is_empty() {
                format!("{}: {}", r.status.as_str(), describe(report, r))
            } else {
                format!("{}: {}", r.status.as_str(), changes.join(", "))
            };
            let _ = write!(
                case,
                ">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>",
                r.status.as_str(),
                xml(&message),
                xml(&body.join("\n"))
            );
        }
        suites.entry(kind).or_default().push(case);
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"driftwatch\" tests=\"{}\" failures=\"{}\" errors=\"{}\">",
        report.resources.len() + report.errors.len(),
        failures.values().sum::<usize>(),
        report.errors.len()
    );
    for (kind, cases) in &suites {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
            xml(kind),
            cases.len(),
            failures.get(kind).copied().unwrap_or(0)
        );
        for c in cases {
            let _ = writeln!(out, "{c}");
        }
        let _ = writeln!(out, "  </testsuite>");
    }
    if !report.errors.is_empty() {
        let _ = writeln!(
            out,
            "  <testsuite name=\"could not check\" tests=\"{0}\" failures=\"0\" errors=\"{0}\">",
            report.errors.len()
        );
        for e in &report.errors {
            let name = e
                .kind
                .map(|k| k.to_string())
                .unwrap_or_else(|| "run".into());
            let _ = writeln!(
                out,
                "    <testcase classname=\"driftwatch\" name=\"{}\">\n      <error message=\"{}\"/>\n    </testcase>",
                xml(&name),
                xml(&e.message)
            );
        }
        let _ = writeln!(out, "  </testsuite>");
    }
    out.push_str("</testsuites>\n");
    out
}

/// XML text and attribute escaping.
fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}
