//! The findings of each stored run as a chart, inline SVG: per run a bar of new findings on
//! known ones above the axis and the resolved ones below it, so what came and what went read
//! apart by place as well as by colour; the same numbers follow as a table.

use maud::{html, Markup};

use super::{section, text};
use crate::diff::Report;
use crate::history::rows::RunRow;

const WIDTH: i64 = 720;
const HEIGHT: i64 = 220;
/// Room for the axis labels on the left and the dates below.
const LEFT: i64 = 44;
const BOTTOM: i64 = 24;
const TOP: i64 = 8;

/// Nothing without history points.
pub(super) fn chart(report: &Report) -> Markup {
    let runs = &report.trend;
    if runs.is_empty() {
        return html! {};
    }
    let up = runs
        .iter()
        .map(|r| r.new.max(0) + r.known.max(0))
        .max()
        .unwrap_or(0)
        .max(1);
    let down = runs.iter().map(|r| r.resolved.max(0)).max().unwrap_or(0);
    let plot = HEIGHT - TOP - BOTTOM;
    // The axis sits where the tallest bar above it and the tallest below it both fit.
    let axis = TOP + plot * up / (up + down);
    // A database edited by hand may hold anything: a negative count draws nothing.
    let scale = |n: i64| n.max(0) * plot / (up + down);
    let slot = (WIDTH - LEFT) / runs.len() as i64;
    let bar = (slot * 2 / 3).clamp(2, 48);
    let title = format!(
        "Findings per run over the last {} run{}: new and known findings above the axis, \
         resolved ones below",
        runs.len(),
        if runs.len() == 1 { "" } else { "s" }
    );
    let body = html! {
        svg #trend-chart role="img" aria-labelledby="trend-title" width=(WIDTH) height=(HEIGHT)
            viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } {
            title #trend-title { (title) }
            line.axis x1=(LEFT) x2=(WIDTH) y1=(axis) y2=(axis) {}
            text.tick x=(LEFT - 6) y=(TOP + 10) text-anchor="end" { (up) }
            text.tick x=(LEFT - 6) y=(axis + 4) text-anchor="end" { "0" }
            @if down > 0 {
                text.tick x=(LEFT - 6) y=(HEIGHT - BOTTOM) text-anchor="end" { "−" (down) }
            }
            @for (i, r) in runs.iter().enumerate() {
                @let x = LEFT + i as i64 * slot + (slot - bar) / 2;
                @let known = scale(r.known);
                @let new = scale(r.new);
                g.run data-run=(r.run) data-checked-at=(text(&r.checked_at)) data-new=(r.new)
                    data-known=(r.known) data-resolved=(r.resolved) {
                    title { (point_words(r)) }
                    rect.t-known x=(x) y=(axis - known) width=(bar) height=(known) {}
                    rect.t-new x=(x) y=(axis - known - new) width=(bar) height=(new) {}
                    rect.t-resolved x=(x) y=(axis) width=(bar) height=(scale(r.resolved)) {}
                    @if i == 0 || i + 1 == runs.len() {
                        text.tick x=(x + bar / 2) y=(HEIGHT - 6) text-anchor="middle" {
                            (text(day(&r.checked_at)))
                        }
                    }
                }
            }
        }
        p.legend {
            span.key.k-new {} "new " span.key.k-known {} "known " span.key.k-resolved {}
            "resolved (below the axis)"
        }
        details {
            summary { "The runs as a table" }
            table #trend-table {
                thead {
                    tr {
                        th scope="col" { "Run" } th scope="col" { "Checked at" }
                        th scope="col" { "New" } th scope="col" { "Known" }
                        th scope="col" { "Resolved" } th scope="col" { "Errors" }
                    }
                }
                tbody {
                    @for r in runs {
                        tr {
                            th scope="row" { (r.run) } td { (text(&r.checked_at)) }
                            td { (r.new) } td { (r.known) } td { (r.resolved) } td { (r.errors) }
                        }
                    }
                }
            }
        }
    };
    section("trend", "Findings per run", body)
}

/// What a bar's tooltip says.
fn point_words(r: &RunRow) -> String {
    text(&format!(
        "run {} at {}: {} new, {} known, {} resolved",
        r.run, r.checked_at, r.new, r.known, r.resolved
    ))
}

/// The date of an RFC 3339 time.
fn day(t: &str) -> &str {
    t.get(..10).unwrap_or(t)
}
