//! Renderer: ignore rules that would silence the current findings (`--format ignore`), so a
//! team can accept known drift in one reviewed commit of `.driftignore`. Each rule once per
//! resource, whatever the number of references reporting it.
//!
//! Ids and paths are the data's: every comment shows its control characters and every rule is
//! escaped as a glob matching just that id and path ([`escape::ignore_glob`]), so a label key
//! holding `\n*:*\n` can never put a rule of its own into the file. A resource whose id holds
//! a `:`, which no rule can name, gets a comment saying so instead of a rule.

use std::fmt::Write;

use super::escape::{self, control};
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
    for g in groups {
        let r = g.first();
        let Some(id) = escape::ignore_glob(&r.id, false) else {
            let _ = writeln!(
                out,
                "# {} {}: {}; no rule: a rule cannot name an id holding `:`",
                r.kind,
                group::id(r),
                g.status().as_str()
            );
            continue;
        };
        match g.status() {
            Status::Modified => {
                let refs = group::origins_of_drift(&g);
                let _ = writeln!(
                    out,
                    "# {} {}: modified ({})",
                    r.kind,
                    group::id(r),
                    refs.join(", ")
                );
                // Each path once, whichever references report it, said in words above it.
                let mut seen: Vec<&str> = Vec::new();
                for e in &g.entries {
                    for (c, words) in e.changes.iter().zip(group::words_of(e)) {
                        if seen.contains(&c.path.as_str()) {
                            continue;
                        }
                        seen.push(&c.path);
                        let path = escape::ignore_glob(&c.path, true).unwrap_or_default();
                        let _ = writeln!(out, "#   {words}");
                        let _ = writeln!(out, "{}:{id}:{path}", r.kind);
                    }
                }
            }
            Status::Missing | Status::Unmanaged => {
                let _ = writeln!(
                    out,
                    "# {} {}: {}",
                    r.kind,
                    control(&r.id),
                    g.status().as_str()
                );
                let _ = writeln!(out, "{}:{id}", r.kind);
            }
            Status::InSync => {}
        }
    }
    out
}
