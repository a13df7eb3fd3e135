//! `driftwatch merge`, the pure part: the shards' reports of one plan made into one report, and
//! everything that keeps the union from standing for the plan said as an error (a report that
//! cannot be read or is not a shard's, another plan's or another shard count's, a shard out of
//! range, twice or missing, an account of the plan in no report or in two). The report of what
//! was read is still made, so people see it; the binary reads the files and writes the result.

use std::collections::{BTreeMap, BTreeSet};

use super::plan::OrgPlan;
use super::shard::{slice, ShardSpec};
use super::targets::{MergeRef, ShardRef, TargetState, TargetStatus};
use crate::diff::{Coverage, ErrorEntry, NotChecked, References, Report};

/// One report given to `merge`: its file (as messages name it) and what reading it gave.
pub struct Input {
    pub file: String,
    pub report: Result<Report, String>,
}

/// The merged report, and whether the reports make one whole run of the plan.
pub struct Merged {
    pub report: Report,
    /// Something above went wrong (exit 2; its errors say what): the union is not a run of the
    /// plan, so no history is marked or recorded with it.
    pub invalid: bool,
}

/// Merges the shard reports `inputs` of `plan`.
pub fn merge(plan: &OrgPlan, inputs: Vec<Input>) -> Merged {
    let mut problems = Vec::new();
    let (shards, count) = accept(plan, inputs, &mut problems);
    let mut targets = not_checked_shards(plan, &shards, count, &mut problems);
    targets.extend(unit_coverage(plan, &shards, &targets, &mut problems));
    let mut report = union(shards.into_iter().map(|(_, _, r)| r).collect());
    // Those of accounts not checked at all are said once, by the problem naming why.
    add_target_errors(&mut report);
    targets.append(&mut report.targets);
    targets.extend(plan.excluded.iter().map(|e| TargetStatus {
        account: e.account_id.clone(),
        region: None,
        status: TargetState::Excluded,
        error: None,
        reason: Some(e.reason.clone()),
    }));
    targets.sort_by(|a, b| (&a.account, &a.region).cmp(&(&b.account, &b.region)));
    let invalid = !problems.is_empty();
    for message in problems {
        report.add_error(ErrorEntry {
            target: None,
            kind: None,
            message,
        });
    }
    report.targets = targets;
    report.merge = Some(MergeRef {
        plan_id: plan.plan_id.clone(),
        shards: count,
    });
    report.actual_source = match plan.units.len() {
        1 => "the account of the plan".to_string(),
        n => format!("the {n} accounts of the plan"),
    };
    Merged { report, invalid }
}

/// The reports that are shards of `plan`, each once, with their shard, and the shard count
/// (that of the first such report; 0 when none). The others are named in `problems`.
fn accept(
    plan: &OrgPlan,
    inputs: Vec<Input>,
    problems: &mut Vec<String>,
) -> (Vec<(String, ShardRef, Report)>, usize) {
    let mut kept: Vec<(String, ShardRef, Report)> = Vec::new();
    let mut count = None;
    for Input { file, report } in inputs {
        let report = match report {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("{file}: cannot be read: {e}"));
                continue;
            }
        };
        let Some(shard) = report.shard.clone() else {
            problems.push(format!(
                "{file}: not a shard's report (it has no `shard`; a shard writes one with \
                 `check --plan PLAN --shard K/N --format json`)"
            ));
            continue;
        };
        if shard.plan_id != plan.plan_id {
            problems.push(format!(
                "{file}: its plan_id {} is not the plan's ({}): a shard of another plan",
                shard.plan_id, plan.plan_id
            ));
            continue;
        }
        if shard.count == 0 {
            problems.push(format!(
                "{file}: shard {}/0 is no shard of any plan",
                shard.index
            ));
            continue;
        }
        let (n, first) = *count.get_or_insert((shard.count, kept.len()));
        if shard.count != n {
            problems.push(format!(
                "{file}: shard {}/{} of {} shards, not {n} as {} says",
                shard.index, shard.count, shard.count, kept[first].0
            ));
            continue;
        }
        if !(1..=n).contains(&shard.index) {
            problems.push(format!(
                "{file}: shard index {} is out of 1..{n}",
                shard.index
            ));
            continue;
        }
        if let Some((other, _, _)) = kept.iter().find(|(_, s, _)| s.index == shard.index) {
            problems.push(format!(
                "{file}: shard {}/{n} is {other} already (the same shard twice)",
                shard.index
            ));
            continue;
        }
        kept.push((file, shard, report));
    }
    (kept, count.map_or(0, |(n, _)| n))
}

/// The accounts of each shard no report stands for, as not checked (with the missing shard
/// named in `problems`); every account when no shard report was read.
fn not_checked_shards(
    plan: &OrgPlan,
    shards: &[(String, ShardRef, Report)],
    count: usize,
    problems: &mut Vec<String>,
) -> Vec<TargetStatus> {
    if count == 0 {
        problems.push("no shard report of the plan was read: nothing was checked".into());
        return plan
            .units
            .iter()
            .map(|u| {
                TargetStatus::account_error(&u.account_id, "not checked: no shard report".into())
            })
            .collect();
    }
    let mut out = Vec::new();
    for index in 1..=count {
        if shards.iter().any(|(_, s, _)| s.index == index) {
            continue;
        }
        let units = slice(plan, ShardSpec { index, count });
        let its = match units.len() {
            1 => "account is".to_string(),
            n => format!("{n} accounts are"),
        };
        problems.push(format!(
            "shard {index}/{count}: no report (its {its} not checked)"
        ));
        out.extend(units.into_iter().map(|u| {
            TargetStatus::account_error(
                &u.account_id,
                format!("not checked: no report of shard {index}/{count}"),
            )
        }));
    }
    out
}

/// Each account of the plan must be in exactly one report's `targets` (those of missing shards,
/// in `missing`, are said already); an account in none is listed as not checked.
fn unit_coverage(
    plan: &OrgPlan,
    shards: &[(String, ShardRef, Report)],
    missing: &[TargetStatus],
    problems: &mut Vec<String>,
) -> Vec<TargetStatus> {
    let mut files: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (file, _, r) in shards {
        let accounts: BTreeSet<&str> = r.targets.iter().map(|t| t.account.as_str()).collect();
        for a in accounts {
            files.entry(a).or_default().push(file);
        }
    }
    let planned: BTreeSet<&str> = plan.units.iter().map(|u| u.account_id.as_str()).collect();
    for (account, in_files) in &files {
        if !planned.contains(account) {
            problems.push(format!(
                "{}: account {account} is not a unit of the plan",
                in_files.join(", ")
            ));
        }
    }
    let mut out = Vec::new();
    for unit in &plan.units {
        let a = unit.account_id.as_str();
        match files.get(a).map(Vec::as_slice) {
            Some([_]) => {}
            Some(many) if !many.is_empty() => problems.push(format!(
                "account {a} is in {} reports: {} (its findings would count twice)",
                many.len(),
                many.join(", ")
            )),
            _ if missing.iter().any(|t| t.account == a) => {}
            _ => {
                problems.push(format!(
                    "account {a} is a unit of the plan in no shard's report: not checked"
                ));
                out.push(TargetStatus::account_error(
                    a,
                    "not checked: in no shard's report".into(),
                ));
            }
        }
    }
    out
}

/// The union of the reports' findings, errors, check findings, references not judged, accounts
/// and targets, ordered by target (as one run over the same targets orders them), with the
/// summary and coverage recomputed.
fn union(reports: Vec<Report>) -> Report {
    let mut resources = Vec::new();
    let mut errors = Vec::new();
    let mut checks = crate::checks::Outcome::default();
    let (mut judged, mut any_state) = (0, false);
    let mut not_checked: BTreeMap<String, usize> = BTreeMap::new();
    let (mut accounts, mut targets) = (Vec::new(), Vec::new());
    for r in reports {
        resources.extend(r.resources);
        errors.extend(r.errors);
        checks.findings.extend(r.checks);
        checks.not_judged.extend(r.not_judged);
        judged += r.summary.references.map_or(0, |x| x.judged);
        any_state |= r.coverage.is_some();
        for n in r.not_checked {
            *not_checked.entry(n.r#type).or_default() += n.count;
        }
        accounts.extend(r.accounts);
        targets.extend(r.targets);
    }
    // Stable: each target's own order is kept.
    resources.sort_by(|a, b| a.target.cmp(&b.target));
    errors.sort_by(|a, b| a.target.cmp(&b.target));
    checks.findings.sort_by(|a, b| a.target.cmp(&b.target));
    checks.not_judged.sort_by(|a, b| a.target.cmp(&b.target));
    accounts.sort_by(|a, b| a.target.cmp(&b.target));
    let mut merged = Report::new(resources, errors, "");
    merged.accounts = accounts;
    merged.targets = targets;
    merged.set_checks(checks);
    if judged > 0 || merged.summary.references.is_some() {
        let not_judged = merged.summary.references.map_or(0, |r| r.not_judged);
        merged.summary.references = Some(References { judged, not_judged });
    }
    if any_state {
        merged.not_checked = not_checked
            .into_iter()
            .map(|(r#type, count)| NotChecked { r#type, count })
            .collect();
        merged.coverage = Some(Coverage::of(&merged));
    }
    merged
}

/// Every account or region a shard reports in error is an error of the report (exit 2), even
/// when that shard's report did not list it among its errors.
fn add_target_errors(report: &mut Report) {
    let failed: Vec<(String, String)> = report
        .targets
        .iter()
        .filter(|t| t.status == TargetState::Error)
        .map(|t| {
            (
                t.name(),
                t.error.clone().unwrap_or_else(|| "not checked".into()),
            )
        })
        .collect();
    for (target, message) in failed {
        if !report.errors.iter().any(|e| e.message.contains(&message)) {
            report.add_error(ErrorEntry {
                target: Some(target),
                kind: None,
                message,
            });
        }
    }
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
