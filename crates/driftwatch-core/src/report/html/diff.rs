//! A modified resource's unified diff as the page shows it: a folded `<details>` holding one
//! `<span>` per line, classed by what the line is. The script adds the side-by-side button to
//! a diff when it is opened, and makes that view from these lines when asked; without it the
//! unified diff is all there is.

use maud::{html, Markup};

use super::body;

use crate::diff::ResourceReport;
use crate::report::{unified_diff, Line};

/// A diff longer than this starts folded.
pub(super) const FOLD_LINES: usize = 40;
/// In a report with more findings than this, every diff starts folded: the page stays quick
/// to open and to scroll, and a filter or a permalink unfolds what is asked for.
pub(super) const FOLD_FINDINGS: usize = 200;

/// Nothing for an entry without documents on both sides (not modified, or read back by
/// `merge`, whose reports carry the changes but not the documents).
/// The `---`/`+++` lines are left out: the finding names both sides above its diff.
pub(super) fn block(r: &ResourceReport, many: bool) -> Markup {
    let lines: Vec<(Line, String)> = unified_diff(r)
        .into_iter()
        .filter(|(line, _)| *line != Line::Header)
        .collect();
    if lines.is_empty() {
        return html! {};
    }
    let open = !many && lines.len() <= FOLD_LINES;
    html! {
        details.diff open[open] {
            summary { "Diff (" (lines.len()) " lines)" }
            pre.udiff {
                @for (line, text) in &lines {
                    // The line end inside the line: copied text keeps its lines, and a block
                    // that ends in one shows no empty line after it.
                    @match class(*line) {
                        Some(c) => span class=(c) { (body(text)) "\n" },
                        None => span { (body(text)) "\n" },
                    }
                }
            }
        }
    }
}

/// Context lines have no class: most lines are context.
fn class(line: Line) -> Option<&'static str> {
    match line {
        Line::Header | Line::Context => None,
        Line::Hunk => Some("hunk"),
        Line::Removed => Some("del"),
        Line::Added => Some("add"),
    }
}
