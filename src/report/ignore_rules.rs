//! Renderer: ignore rules that would silence the current findings (`--format ignore`), so a
//! team can accept known drift in one reviewed commit of `.driftignore`.

use std::fmt::Write;

use super::{Report, Status};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# driftwatch: rules that silence the {} findings below; review before committing",
        report.drifted().count()
    );
    let esc = |s: &str| glob::Pattern::escape(s);
    for r in report.drifted() {
        match r.status {
            Status::Modified => {
                let _ = writeln!(out, "# {} {}: modified ({})", r.kind, r.id, r.reference);
                for c in &r.changes {
                    let _ = writeln!(out, "{}:{}:{}", r.kind, esc(&r.id), esc(&c.path));
                }
            }
            Status::Missing | Status::Unmanaged => {
                let _ = writeln!(out, "# {} {}: {}", r.kind, r.id, r.status.as_str());
                let _ = writeln!(out, "{}:{}", r.kind, esc(&r.id));
            }
            Status::InSync => {}
        }
    }
    out
}
