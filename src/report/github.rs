//! Renderer: GitHub Actions workflow commands. Each drifted resource becomes an `::error`
//! annotation, pointing at its golden file when it has one, so drift shows on the run's summary
//! and in the pull request's files view.

use std::fmt::Write;

use super::{describe, partial_note, Report, Status};

pub fn annotations(report: &Report) -> String {
    let mut out = String::new();
    for r in report.drifted() {
        let file = match (&r.expected, r.reference.as_str()) {
            (Some(e), "golden") => Some(e.origin.0.as_str()),
            _ => None,
        };
        let title = format!("driftwatch: {} {} {}", r.kind, r.id, r.status.as_str());
        let message = if r.status == Status::Modified {
            let paths: Vec<&str> = r.changes.iter().map(|c| c.path.as_str()).collect();
            format!(
                "{} differs from {}: {}{}",
                r.id,
                r.reference,
                paths.join(", "),
                partial_note(r)
            )
        } else {
            format!("{}{}", describe(report, r), partial_note(r))
        };
        let location = file
            .map(|f| format!("file={},", property(f)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "::error {location}title={}::{}",
            property(&title),
            data(&message)
        );
    }
    for e in &report.errors {
        let what = e.kind.map(|k| format!(" {k}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "::error title=driftwatch could not check{what}::{}",
            data(&e.message)
        );
    }
    out
}

/// Escaping of a workflow command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping of a workflow command's property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}
