//! Renderer: the stable JSON report (`driftwatch.report/v1`, see DESIGN.md).

use super::Report;

pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("a report always serializes");
    s.push('\n');
    s
}
