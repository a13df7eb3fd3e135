//! Renderer: ignore rules that would silence the current findings (`--format ignore`), so a
//! team can accept known drift in one reviewed commit of `.driftignore`. Each rule once per
//! resource, whatever the number of references reporting it.

use std::fmt::Write;

use super::group;
use crate::diff::{Report, Status};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let groups = group::drifted(report);
    let _ = writeln!(
        out,
        "# driftwatch: rules that silence the {} findings below; review before committing",
        groups.len()
    );
    let esc = |s: &str| glob::Pattern::escape(s);
    for g in groups {
        let r = g.first();
        match g.status() {
            Status::Modified => {
                let refs = group::origins_of_drift(&g);
                let _ = writeln!(out, "# {} {}: modified ({})", r.kind, r.id, refs.join(", "));
                // Each path once, whichever references report it, said in words above it.
                let mut seen: Vec<&str> = Vec::new();
                for e in &g.entries {
                    for (c, words) in e.changes.iter().zip(group::words_of(e)) {
                        if seen.contains(&c.path.as_str()) {
                            continue;
                        }
                        seen.push(&c.path);
                        let _ = writeln!(out, "#   {words}");
                        let _ = writeln!(out, "{}:{}:{}", r.kind, esc(&r.id), esc(&c.path));
                    }
                }
            }
            Status::Missing | Status::Unmanaged => {
                let _ = writeln!(out, "# {} {}: {}", r.kind, r.id, g.status().as_str());
                let _ = writeln!(out, "{}:{}", r.kind, esc(&r.id));
            }
            Status::InSync => {}
        }
    }
    out
}
