//! Renderer: the stable JSON report (`driftwatch.report/v1`, described in the
//! README's `driftwatch check` formats): the serde form of [`crate::diff::Report`].

use crate::diff::Report;

/// The report as text.
pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("a report always serializes");
    s.push('\n');
    s
}

/// [`render`] written to `w` as it is serialized, byte for byte the same.
pub fn write(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, report)?;
    w.write_all(b"\n")
}
