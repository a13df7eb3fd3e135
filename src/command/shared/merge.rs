//! One report from several: the targets' reports of a `check` merged, and the Terraform figures
//! (types not checked, coverage) a report with a state reference carries (`check`, `diff`).

use std::collections::BTreeMap;

use crate::diff::{Coverage, NotChecked, Report};

/// One report from several targets' reports; each finding carries its target's name.
pub(crate) fn merge(mut reports: Vec<(Option<String>, Report)>) -> Report {
    if reports.len() == 1 && reports[0].0.is_none() {
        return reports.remove(0).1;
    }
    let mut resources = Vec::new();
    let mut errors = Vec::new();
    let mut checks = crate::checks::Outcome::default();
    let mut judged = 0;
    let mut not_checked: BTreeMap<String, usize> = Default::default();
    let mut any_state = false;
    let mut import_ids = BTreeMap::new();
    let mut sources = Vec::new();
    let mut references: Vec<String> = Vec::new();
    let mut accounts = Vec::new();
    for (name, r) in reports {
        for x in &r.references {
            if !references.contains(x) {
                references.push(x.clone());
            }
        }
        any_state |= r.coverage.is_some();
        for ((_, kind, id), i) in r.import_ids {
            import_ids.insert((name.clone(), kind, id), i);
        }
        for n in r.not_checked {
            *not_checked.entry(n.r#type).or_default() += n.count;
        }
        sources.push(match &name {
            Some(n) => format!("{n}: {}", r.actual_source),
            None => r.actual_source.clone(),
        });
        resources.extend(r.resources.into_iter().map(|mut x| {
            x.target = name.clone();
            x
        }));
        errors.extend(r.errors.into_iter().map(|mut e| {
            e.target = name.clone();
            e
        }));
        let mut outcome = crate::checks::Outcome {
            findings: r.checks,
            not_judged: r.not_judged,
            judged: Vec::new(),
        };
        if let Some(name) = &name {
            outcome.set_target(name);
        }
        checks.extend(outcome);
        judged += r.summary.references.map_or(0, |x| x.judged);
        accounts.extend(r.accounts.into_iter().map(|mut a| {
            a.target = name.clone();
            a
        }));
    }
    let mut merged = Report::new(resources, errors, &sources.join(", "));
    merged.references = references;
    merged.import_ids = import_ids;
    merged.accounts = accounts;
    merged.set_checks(checks);
    if let Some(references) = merged.summary.references.as_mut() {
        // Each target's judged references were counted by its own report.
        references.judged = judged;
    } else if judged > 0 {
        merged.summary.references = Some(crate::diff::References {
            judged,
            not_judged: 0,
        });
    }
    if any_state {
        add_terraform_figures(&mut merged, not_checked);
    }
    merged
}

/// With a Terraform reference the report also says what it did not check and how much of the
/// account the references describe.
pub(crate) fn add_terraform_figures(report: &mut Report, not_checked: BTreeMap<String, usize>) {
    report.not_checked = not_checked
        .into_iter()
        .map(|(r#type, count)| NotChecked { r#type, count })
        .collect();
    report.coverage = Some(Coverage::of(report));
}
