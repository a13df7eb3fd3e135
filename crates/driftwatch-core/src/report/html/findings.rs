//! What the run found, one `<article>` per resource (grouped as the console groups them) and
//! per check finding, each with its permalink and the data attributes the filters read; the
//! errors before them, what was resolved and not judged after them.

use std::collections::{BTreeMap, BTreeSet};

use maud::{html, Markup};

use super::{anchor, body as text_node, diff, plural, section, text};
use crate::checks::{Finding, Severity};
use crate::diff::{Report, ResourceReport, Status};
use crate::report::checks::{not_judged_line, NOT_JUDGED};
use crate::report::console::error_line;
use crate::report::group::{self, Group};
use crate::report::{hint, terraform_import};

/// What could not be checked, before anything else: a finding count is only as good as this.
pub(super) fn errors(report: &Report) -> Markup {
    if report.errors.is_empty() {
        return html! {};
    }
    let body = html! {
        p { "These were not checked: the counts above leave them out." }
        ul.errors { @for e in &report.errors { li.error { (error_line(e)) } } }
    };
    section("errors", "Could not check", body)
}

/// The filters, then every finding: broken references, drifted resources, check warnings.
pub(super) fn list(report: &Report, all: &[Group]) -> Markup {
    let groups: Vec<&Group> = all
        .iter()
        .filter(|g| g.status() != Status::InSync)
        .collect();
    let (broken, warnings): (Vec<&Finding>, Vec<&Finding>) = report
        .checks
        .iter()
        .partition(|f| f.severity == Severity::Error);
    let total = groups.len() + report.checks.len();
    if total == 0 {
        let words = if report.checks_only {
            "No reference is broken."
        } else {
            "Nothing drifted and no reference is broken."
        };
        return section("findings", "Findings", html! { p.none { (words) } });
    }
    let mut groups = groups;
    groups.sort_by_key(|g| order(g.status()));
    let imports: BTreeMap<(Option<&str>, &str, &str), Option<String>> =
        terraform_import::blocks(report)
            .into_iter()
            .map(|(r, b)| ((r.target.as_deref(), r.kind.as_str(), r.id.as_str()), b))
            .collect();
    let many = total > diff::FOLD_FINDINGS;
    let mut ids = Anchors::default();
    let body = html! {
        (filters(report, &groups, total))
        div #list {
            @for f in &broken { (check(f, &mut ids)) }
            @for g in &groups { (resource(report, g, &imports, many, &mut ids)) }
            @for f in &warnings { (check(f, &mut ids)) }
        }
    };
    section("findings", "Findings", body)
}

/// Modified first: what changed under a described resource matters most, then what is gone,
/// then what nobody described.
fn order(s: Status) -> u8 {
    match s {
        Status::Modified => 0,
        Status::Missing => 1,
        Status::Unmanaged => 2,
        Status::InSync => 3,
    }
}

/// The filter form, hidden until the script shows it (without a script it would do nothing).
/// Each list holds what the findings hold.
fn filters(report: &Report, groups: &[&Group], total: usize) -> Markup {
    let mut targets = BTreeSet::new();
    let mut kinds = BTreeSet::new();
    for g in groups {
        targets.extend(g.first().target.as_deref().map(text));
        kinds.insert(g.first().kind.as_str());
    }
    for f in &report.checks {
        targets.extend(f.target.as_deref().map(text));
        kinds.insert(f.kind.as_str());
    }
    let checks: BTreeSet<&str> = report.checks.iter().map(|f| f.check.as_str()).collect();
    let history = report.summary.new.is_some();
    html! {
        form #filters role="search" aria-label="Filter the findings" hidden {
            @if !targets.is_empty() {
                (select("f-target", "Target", targets.iter().map(|t| (t.as_str(), t.as_str()))))
            }
            (select("f-kind", "Kind", kinds.iter().map(|k| (*k, *k))))
            (select("f-status", "Status", [
                ("modified", "modified"), ("missing", "missing"), ("unmanaged", "unmanaged"),
                ("broken", "broken reference"), ("warning", "check warning"),
            ]))
            @if history {
                (select("f-seen", "Seen", [("new", "new"), ("known", "known")]))
            }
            @if !checks.is_empty() {
                (select("f-check", "Check", checks.iter().map(|c| (*c, *c))))
            }
            span.field {
                label for="f-text" { "Search" }
                input #f-text type="search" placeholder="text in a finding" autocomplete="off";
            }
            output #shown for="f-text" aria-live="polite" data-shown=(total) data-total=(total) {
                (total) " of " (total) " shown"
            }
        }
    }
}

/// A labelled list with "all" first.
fn select<'a>(
    id: &str,
    label: &str,
    options: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Markup {
    html! {
        span.field {
            label for=(id) { (label) }
            select id=(id) {
                option value="" { "all" }
                @for (value, words) in options { option value=(value) { (words) } }
            }
        }
    }
}

/// One resource: its heading and permalink, where it stands against each reference, the
/// changes in words and the diff; once when the references agree, else per reference.
fn resource(
    report: &Report,
    g: &Group,
    imports: &BTreeMap<(Option<&str>, &str, &str), Option<String>>,
    many: bool,
    ids: &mut Anchors,
) -> Markup {
    let f = g.first();
    let status = g.status();
    let target = f.target.as_deref().map(text).unwrap_or_default();
    let id = ids.unique(anchor(&[&f.id], &[&target, f.kind.as_str(), &f.id]));
    let seen = group::seen_words(g);
    let seen_key = match seen.as_deref() {
        None => "",
        Some("new") => "new",
        Some(_) => "known",
    };
    let (sign, word) = match status {
        Status::Modified => ("~", "modified"),
        Status::Missing => ("−", "missing"),
        Status::Unmanaged => ("+", "unmanaged"),
        Status::InSync => ("✓", "in sync"),
    };
    let import = imports
        .get(&(f.target.as_deref(), f.kind.as_str(), f.id.as_str()))
        .cloned()
        .flatten();
    html! {
        article.finding id=(id) data-target=[non_empty(&target)] data-kind=(f.kind.as_str())
            data-status=(status.as_str()) data-seen=[non_empty(seen_key)] {
            // The resource's id is its permalink.
            h3 {
                span.badge { (sign) " " (word) }
                @if !target.is_empty() { " " span.target { "[" (target) "]" } }
                " " code { (f.kind.as_str()) } " " a href={ "#" (id) } { (group::id(f)) }
                @if let Some(s) = &seen { " " span class={ "seen s-" (seen_key) } { (s) } }
            }
            @if g.partial() { p.note { "Partial: only what the state manages was compared." } }
            @if g.agree() {
                (references(report, g))
                (body(f, many))
            } @else {
                p.refs { "The references differ." }
                @for e in &g.entries {
                    h4 { "Against " (group::origin(e)) ": " (crate::report::describe(report, e)) }
                    (body(e, many))
                }
            }
            @if status == Status::Unmanaged {
                (adopt(import))
            }
        }
    }
}

/// Where it stands, and both sides of the comparison: what describes it and what it was
/// compared with.
fn references(report: &Report, g: &Group) -> Markup {
    let origins = g.origins();
    html! {
        p.refs {
            (group::describe(report, g))
            @if !origins.is_empty() {
                br; "expected: " @for (i, o) in origins.iter().enumerate() {
                    @if i > 0 { ", " } code { (o) }
                }
                br; "actual: " (text(&report.actual_source))
            }
        }
    }
}

/// An entry's changes in words, its diff and what to do about it.
fn body(r: &ResourceReport, many: bool) -> Markup {
    let words = group::words_of(r);
    html! {
        @if !words.is_empty() {
            ul.changes { @for w in &words { li { (text_node(w)) } } }
        }
        (diff::block(r, many))
        @if let Some(h) = hint(r) { p.hint { "Hint: " (h) } }
    }
}

/// How to take an unmanaged resource in: its import block with a copy button when a state was
/// compared and the run read its id.
fn adopt(import: Option<String>) -> Markup {
    html! {
        @if let Some(block) = import {
            div.import {
                p { "Terraform import block:" }
                pre.import { code { (block) } }
                button.copy type="button" hidden { "Copy" }
            }
        }
    }
}

/// A check finding: the broken reference, what it names and why.
fn check(f: &Finding, ids: &mut Anchors) -> Markup {
    let target = f.target.as_deref().map(text).unwrap_or_default();
    let key = [
        &target,
        f.check.as_str(),
        f.kind.as_str(),
        &f.id,
        &f.subject,
        &f.message,
    ];
    let id = ids.unique(anchor(&[f.check.as_str(), &f.id], &key));
    let (status, badge) = match f.severity {
        Severity::Error => ("broken", "✖ broken reference"),
        Severity::Warning => ("warning", "⚠ check warning"),
    };
    html! {
        article class={ "finding check c-" (status) } id=(id) data-target=[non_empty(&target)]
            data-kind=(f.kind.as_str()) data-status=(status) data-check=(f.check.as_str()) {
            h3 {
                span.badge { (badge) }
                @if !target.is_empty() { " " span.target { "[" (target) "]" } }
                " " code.check-id { (f.check.as_str()) }
                " " code { (f.kind.as_str()) } " " a href={ "#" (id) } { (text(&f.id)) }
            }
            p.message { (text(&f.message)) }
            p.subject { "References " code { (text(&f.subject)) } }
        }
    }
}

/// The anchors given so far: two findings never share one, even the same check finding twice.
#[derive(Default)]
struct Anchors(BTreeSet<String>);

impl Anchors {
    fn unique(&mut self, id: String) -> String {
        let mut candidate = id.clone();
        let mut n = 1;
        while !self.0.insert(candidate.clone()) {
            n += 1;
            candidate = format!("{id}-{n}");
        }
        candidate
    }
}

/// An attribute the filters read is left out when empty: an absent one matches no choice but
/// "all", as an empty one would.
fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// With history: what the previous run found that is gone now.
pub(super) fn resolved(report: &Report) -> Markup {
    let resolved = group::resolved(report);
    if resolved.is_empty() {
        return html! {};
    }
    let body = html! {
        p { (plural(resolved.len(), "resource", "resources")) " drifted in the previous run and no longer do." }
        ul.resolved { @for r in resolved { li { "✓ " (group::resolved_line(r)) } } }
    };
    section("resolved", "Resolved since the previous run", body)
}

/// References the checks could not judge from what they were given, each with its reason.
pub(super) fn not_judged(report: &Report) -> Markup {
    if report.not_judged.is_empty() {
        return html! {};
    }
    let body = html! {
        ul.not-judged { @for n in &report.not_judged { li { (not_judged_line(n)) } } }
    };
    section("not-judged", NOT_JUDGED, body)
}
