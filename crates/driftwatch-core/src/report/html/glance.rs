//! The page's head sections: which run this is, its counts, and how much of each kind the
//! references describe, as bars with their numbers beside them.

use std::collections::BTreeMap;

use maud::{html, Markup};

use super::{section, text, Meta};
use crate::checks::Severity;
use crate::diff::Report;
use crate::report::console::terraform_lines;
use crate::report::group::{self, Group};

/// When, what with what, by which version, for which accounts.
pub(super) fn run(report: &Report, meta: &Meta) -> Markup {
    let references = if report.references.is_empty() {
        "—".to_string()
    } else {
        group::and_list(&report.references)
    };
    let accounts: Vec<String> = report
        .accounts
        .iter()
        .map(|a| {
            let i = &a.identity;
            let who = format!("{} ({}, {})", i.account, i.partition, i.region);
            match &a.target {
                Some(t) => format!("{t}: {who}"),
                None => who,
            }
        })
        .collect();
    let body = html! {
        dl.run {
            dt { "Report written" } dd { time datetime=(meta.written_at) { (meta.written_at) } }
            @if let Some(at) = &report.checked_at {
                dt { "Checked at" } dd { time datetime=(text(at)) { (text(at)) } }
            }
            dt { "driftwatch" } dd { (meta.version) }
            dt { "References" } dd { (text(&references)) }
            dt { "Compared with" } dd { (text(&report.actual_source)) }
            @if !accounts.is_empty() {
                dt { "Accounts" }
                dd { ul.plain { @for a in &accounts { li { (text(a)) } } } }
            }
            @if let Some(s) = &report.shard {
                dt { "Shard" } dd { (s.index) " of " (s.count) " of plan " code { (text(&s.plan_id)) } }
            }
            @if let Some(m) = &report.merge {
                dt { "Merged" } dd { (m.shards) " shards of plan " code { (text(&m.plan_id)) } }
            }
            @let lines = crate::report::targets::lines(report);
            @if !lines.is_empty() {
                dt { "Targets" }
                dd { ul.plain { @for l in &lines { li { (l) } } } }
            }
            @for l in terraform_lines(report) {
                dt { "Terraform" } dd { (l) }
            }
        }
    };
    section("run", "Run", body)
}

/// The counts of the summary line, one row each, by resource as the console counts them.
pub(super) fn summary(report: &Report, groups: &[Group]) -> Markup {
    let [in_sync, modified, missing, unmanaged] = group::counts_of(groups);
    let broken = report
        .checks
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = report.checks.len() - broken;
    let mut rows: Vec<(&str, &str, usize)> = Vec::new();
    if !report.checks_only {
        rows.extend([
            ("modified", "~ modified", modified),
            ("missing", "− missing", missing),
            ("unmanaged", "+ unmanaged", unmanaged),
            ("in_sync", "✓ in sync", in_sync),
        ]);
    }
    rows.extend([
        ("broken", "✖ broken references", broken),
        ("warnings", "⚠ check warnings", warnings),
        ("errors", "! could not check", report.summary.errors),
    ]);
    if let Some([new, known, resolved]) = group::history_counts(report) {
        rows.extend([
            ("new", "new since the previous run", new),
            ("known", "known before", known),
            ("resolved", "resolved since the previous run", resolved),
        ]);
    }
    let body = html! {
        table #counts {
            thead { tr { th scope="col" { "What" } th scope="col" { "How many" } } }
            tbody {
                @for (name, label, n) in rows {
                    tr data-count=(name) class={ "c-" (name) @if n == 0 { " zero" } } {
                        th scope="row" { (label) }
                        td { (n) }
                    }
                }
            }
        }
    };
    section("summary", "Summary", body)
}

/// Per kind, what the run found and how much of it the references describe: a stacked bar of
/// in sync, modified, missing and unmanaged resources, and the same numbers in words.
pub(super) fn coverage(report: &Report, groups: &[Group]) -> Markup {
    if report.checks_only {
        return html! {};
    }
    let mut kinds: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for g in groups {
        kinds.entry(g.first().kind.as_str()).or_default()[group::count_index(g.status())] += 1;
    }
    if kinds.is_empty() {
        return html! {};
    }
    let widest = kinds.values().map(|n| n.iter().sum::<usize>()).max();
    let widest = widest.unwrap_or(1).max(1);
    let body = html! {
        table #coverage-table {
            thead {
                tr {
                    th scope="col" { "Kind" }
                    th scope="col" { "Resources" }
                    th scope="col" { "Described" }
                    th scope="col" { "In sync, modified, missing, unmanaged" }
                }
            }
            tbody {
                @for (kind, n) in &kinds {
                    @let [in_sync, modified, missing, unmanaged] = *n;
                    @let found = in_sync + modified + unmanaged;
                    @let described = in_sync + modified;
                    @let words = format!(
                        "{kind}: {in_sync} in sync, {modified} modified, {missing} missing, {unmanaged} unmanaged"
                    );
                    tr data-kind=(kind) data-in_sync=(in_sync) data-modified=(modified)
                        data-missing=(missing) data-unmanaged=(unmanaged) {
                        th scope="row" { code { (kind) } }
                        td { (bar(n, widest, &words)) }
                        td { (described) " of " (found) " found" (percent(described, found)) }
                        td.nums { (in_sync) " · " (modified) " · " (missing) " · " (unmanaged) }
                    }
                }
            }
        }
        p.legend {
            span.key.k-in_sync {} "in sync " span.key.k-modified {} "modified "
            span.key.k-missing {} "missing (hatched) " span.key.k-unmanaged {} "unmanaged"
        }
    };
    section("coverage", "Coverage per kind", body)
}

/// ` (83%)`, or nothing when nothing was found.
fn percent(part: usize, whole: usize) -> String {
    (part * 100)
        .checked_div(whole)
        .map(|p| format!(" ({p}%)"))
        .unwrap_or_default()
}

/// A bar as long as the kind's count against the largest, in four parts.
fn bar(n: &[usize; 4], widest: usize, label: &str) -> Markup {
    const WIDTH: usize = 240;
    let mut x = 0;
    let parts: Vec<(usize, usize, &str)> = n
        .iter()
        .zip(["in_sync", "modified", "missing", "unmanaged"])
        .filter(|(count, _)| **count > 0)
        .map(|(count, class)| {
            let w = (count * WIDTH).div_ceil(widest).max(2);
            let at = x;
            x += w;
            (at, w, class)
        })
        .collect();
    html! {
        svg.bar role="img" aria-label=(label) width=(WIDTH + 8) height="14" viewBox={ "0 0 " (WIDTH + 8) " 14" } {
            @for (at, w, class) in parts {
                rect class={ "s-" (class) } x=(at) y="1" width=(w) height="12" {}
            }
        }
    }
}
