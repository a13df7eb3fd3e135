//! Renderer: the stable JSON report (`driftwatch.report/v1`, described in the
//! README's `driftwatch check` formats): the serde form of [`crate::diff::Report`].

use crate::diff::Report;

pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("a report always serializes");
    s.push('\n');
    s
}
