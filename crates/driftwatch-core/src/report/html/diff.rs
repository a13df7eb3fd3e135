//! A modified resource's unified diff as the page shows it: a folded `<details>` holding one
//! `<span>` per line, classed by what the line is. The script makes the side-by-side view
//! from these lines when asked; without it the unified diff is all there is.

use maud::{html, Markup};

use crate::diff::ResourceReport;
use crate::report::{unified_diff, Line};

/// A diff longer than this starts folded.
pub(super) const FOLD_LINES: usize = 40;
/// In a report with more findings than this, every diff starts folded: the page stays quick
/// to open and to scroll, and a filter or a permalink unfolds what is asked for.
pub(super) const FOLD_FINDINGS: usize = 200;

/// Nothing for an entry without documents on both sides (not modified, or read back by
/// `merge`, whose reports carry the changes but not the documents).
pub(super) fn block(r: &ResourceReport, many: bool) -> Markup {
    let lines = unified_diff(r);
    if lines.is_empty() {
        return html! {};
    }
    let open = !many && lines.len() <= FOLD_LINES;
    html! {
        details.diff open[open] {
            summary { "Diff (" (lines.len()) " lines)" }
            button.sbs type="button" aria-pressed="false" hidden { "Side by side" }
            pre.udiff {
                @for (line, text) in &lines {
                    // The line end inside the line: copied text keeps its lines, and a block
                    // that ends in one shows no empty line after it.
                    span class={ "l " (class(*line)) } { (text) "\n" }
                }
            }
        }
    }
}

fn class(line: Line) -> &'static str {
    match line {
        Line::Header => "hdr",
        Line::Hunk => "hunk",
        Line::Context => "ctx",
        Line::Removed => "del",
        Line::Added => "add",
    }
}
