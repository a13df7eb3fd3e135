//! `driftwatch check`: runs one comparison per target (account and region) concurrently, merges
//! their reports and writes them. Global kinds (IAM) are fetched once per account. What to
//! compare, target by target, is settled before (`settings`).

mod shard;

use super::shared::finish::{finish, After};
use super::shared::merge::{add_terraform_figures, merge};
use super::shared::say_unused_rules;
use crate::aws;
use crate::diff;
use crate::diff::{Account, ReferenceKind, Report};
use crate::error::{Error, Result};
use crate::filter::{apply_filters, keep_findings};
use crate::model::{Inventory, Kind, Place};
use crate::progress::Progress;
use crate::settings::CheckSettings;
use crate::source;

/// Checks, writes the report, and returns the exit code it stands for.
pub(crate) fn execute(s: &CheckSettings) -> Result<u8> {
    let report = match &s.shard {
        Some(shard) => shard::run(s, shard)?,
        None => run(s, &s.plans)?,
    };
    say_unused_rules(&s.rules);
    let targets = history_targets(s, &report);
    finish(
        report,
        After {
            history: s.history.as_ref(),
            targets,
            fail_on: s.fail_on.as_deref(),
            fail_on_new: s.fail_on_new,
            output: &s.output,
            notify: &s.notify,
        },
    )
}

/// Each target with its kinds and the account it checked, for the history.
fn history_targets(s: &CheckSettings, report: &Report) -> Vec<crate::history::owner::Target> {
    s.plans
        .iter()
        .map(|p| crate::history::owner::Target {
            name: p.name.clone(),
            kinds: p.kinds.clone(),
            identity: report
                .accounts
                .iter()
                .find(|a| a.target == p.name)
                .map(|a| a.identity.clone()),
        })
        .collect()
}

/// Runs every plan (`s.plans`, or a shard's accounts and regions) and merges the reports, each
/// finding labelled with its target.
pub(crate) fn run(s: &CheckSettings, plans: &[crate::settings::Plan]) -> Result<Report> {
    // References first: a bad file is exit 2 before any AWS call.
    let prepared = references(s, plans)?;
    let recorded: Vec<Recorded> = prepared.iter().map(|p| p.recorded.clone()).collect();
    let actuals = actuals(s, plans, &recorded)?;
    let lent = lend_global_kinds(plans, &actuals);
    let mut reports = Vec::new();
    for (((plan, prepared), a), lent) in plans.iter().zip(prepared).zip(actuals).zip(lent) {
        let Actual {
            inventory: mut actual,
            errors,
            import_ids: ids,
            identity,
        } = a;
        let account = identity.clone().map(|identity| Account {
            target: None,
            identity,
        });
        let inventory = lent.as_ref().unwrap_or(&actual);
        let findings = cross_checks(s, plan, inventory, identity, &ids)?;
        let mut references = prepared.references;
        for (_, inv) in references.iter_mut() {
            apply_filters(inv, &s.filters);
        }
        apply_filters(&mut actual, &s.filters);
        let mut report = diff::compare(&plan.kinds, references, actual, errors, &s.rules);
        report.import_ids = ids
            .into_iter()
            .map(|((k, id), i)| ((None, k, id), i))
            .collect();
        if let Some(nc) = prepared.not_checked {
            add_terraform_figures(&mut report, nc);
        }
        report.set_checks(findings);
        report.accounts = account.into_iter().collect();
        reports.push((plan.name.clone(), report));
    }
    Ok(merge(reports))
}

/// IAM is global, so it is fetched once per account, by the first target of that account
/// ([`crate::settings::Plan`]s of the later ones leave it out): those targets hold no roles or
/// policies of their own, and their cross-resource checks (a task role's access to a queue of
/// this region, its trust policy, `iam:PassRole` on it) would judge nothing. Each such target's
/// checks get the global kinds that a target of the same account read: a copy of its inventory
/// with them added, for the checks only (the target's comparison keeps its own kinds). `None`
/// where nothing is lent. Same account: [`crate::settings::account_key`], as the plans decide.
fn lend_global_kinds(
    plans: &[crate::settings::Plan],
    actuals: &[Actual],
) -> Vec<Option<Inventory>> {
    let account = |p: &crate::settings::Plan| crate::settings::account_key(&p.aws);
    plans
        .iter()
        .zip(actuals)
        .map(|(plan, own)| {
            let mut lent: Option<Inventory> = None;
            for kind in Kind::ALL.iter().copied().filter(|k| k.is_global()) {
                if own.inventory.kinds.contains(&kind) {
                    continue;
                }
                let lender = plans.iter().zip(actuals).find(|(p, a)| {
                    account(p) == account(plan) && a.inventory.kinds.contains(&kind)
                });
                let Some((_, lender)) = lender else { continue };
                let inv = lent.get_or_insert_with(|| own.inventory.clone());
                inv.kinds.push(kind);
                for ((k, id), r) in &lender.inventory.resources {
                    if *k == kind {
                        inv.resources.insert((*k, id.clone()), r.clone());
                    }
                }
            }
            lent
        })
        .collect()
}

/// A plan's golden folder and the identity it records (`None` without a golden folder).
type Recorded = Option<(std::path::PathBuf, Option<crate::model::Identity>)>;

/// What a plan compares against, read before anything is fetched.
struct Prepared {
    references: Vec<(ReferenceKind, Inventory)>,
    not_checked: Option<std::collections::BTreeMap<String, usize>>,
    recorded: Recorded,
}

/// Each plan's references: its golden folder (and what it records) and its Terraform states.
fn references(s: &CheckSettings, plans: &[crate::settings::Plan]) -> Result<Vec<Prepared>> {
    let mut prepared = Vec::new();
    for p in plans {
        let mut references = Vec::new();
        let mut recorded = None;
        if let Some(dir) = &p.golden {
            let inventory = source::golden::read(dir, &p.kinds, &s.redaction)?;
            references.push((ReferenceKind::Golden, inventory));
            recorded = Some((dir.clone(), source::golden::meta::read(dir)?));
        }
        let mut not_checked = None;
        if !p.states.is_empty() {
            let ws = p.workspace.as_deref();
            let read = source::terraform::read(&p.states, ws, &p.kinds, &p.aws, &s.redaction)?;
            references.push((ReferenceKind::Terraform, read.inventory));
            not_checked = Some(read.not_checked);
        }
        prepared.push(Prepared {
            references,
            not_checked,
            recorded,
        });
    }
    Ok(prepared)
}

/// A plan's actual side.
struct Actual {
    inventory: Inventory,
    /// What could not be read.
    errors: Vec<crate::diff::ErrorEntry>,
    /// The Terraform import ids of its resources.
    import_ids: source::live::ImportIds,
    /// The account and region it was taken from, when known.
    identity: Option<crate::model::Identity>,
}

/// Each plan's actual side: the `--actual` folder, or its account fetched (all concurrently).
fn actuals(
    s: &CheckSettings,
    plans: &[crate::settings::Plan],
    recorded: &[Recorded],
) -> Result<Vec<Actual>> {
    if let Some(dir) = s.actual.as_ref() {
        let actual_record = source::golden::meta::read(dir)?;
        let mut out = Vec::new();
        for (p, rec) in plans.iter().zip(recorded) {
            if let (Some((golden, Some(expected))), Some(actual)) = (rec, &actual_record) {
                if !s.any_account {
                    source::golden::meta::ensure_same(golden, expected, actual, &p.kinds)?;
                }
            }
            let inventory = source::golden::read(dir, &p.kinds, &s.redaction)?;
            let ids = import_ids(&inventory, actual_record.as_ref());
            out.push(Actual {
                inventory,
                errors: Vec::new(),
                import_ids: ids,
                identity: actual_record.clone(),
            });
        }
        return Ok(out);
    }
    let progress = Progress::new(s.output.quiet);
    let fetched = aws::block_on(futures::future::join_all(plans.iter().map(|p| {
        let aws_managed = s.include_aws_managed;
        source::live::fetch(&p.aws, &p.kinds, aws_managed, &s.redaction, &progress)
    })))?;
    let names = plans.iter().map(|p| p.name.as_deref());
    let failed = setup_failures(names.zip(&fetched));
    if !failed.is_empty() {
        return Err(Error::Setup(failed));
    }
    let mut out = Vec::new();
    for ((f, p), rec) in fetched.into_iter().flatten().zip(plans).zip(recorded) {
        let mut f = f;
        let golden = rec.as_ref().map(|(dir, rec)| (dir.as_path(), rec.as_ref()));
        same_account(golden, &mut f, &p.kinds, s.any_account)?;
        let identity = f.identity.as_ref().ok().cloned();
        out.push(Actual {
            inventory: f.inventory,
            errors: f.errors,
            import_ids: f.import_ids,
            identity,
        });
    }
    Ok(out)
}

/// The Terraform import ids a snapshot folder tells (from the canonical documents and the
/// account the folder records): not those of kinds imported by an ARN the canonical form drops.
fn import_ids(
    inv: &Inventory,
    account: Option<&crate::model::Identity>,
) -> source::live::ImportIds {
    inv.resources
        .iter()
        .filter_map(|((kind, id), r)| {
            let i = (kind.def().import_id)(id, &r.document, account)?;
            Some(((*kind, id.clone()), i))
        })
        .collect()
}

/// Refuses a golden folder recorded from another account or region than the one the
/// credentials reach (exit 2), unless `any_account`. A folder without a record still works, with
/// a warning: it was written before records existed, or by hand. When the caller's account
/// cannot be read, nothing fetched is compared, whatever the references (it may be any
/// account): one error in the report without a kind, which `diff::compare` reads as "no kind
/// was checked", so no golden file is reported missing and the history records nothing as new.
fn same_account(
    golden: Option<(&std::path::Path, Option<&crate::model::Identity>)>,
    fetched: &mut source::live::Fetched,
    kinds: &[Kind],
    any_account: bool,
) -> Result<()> {
    if any_account {
        return Ok(());
    }
    let e = match (&fetched.identity, golden) {
        (Ok(live), Some((dir, Some(rec)))) => {
            return source::golden::meta::ensure_same(dir, rec, live, kinds)
        }
        (Ok(_), Some((dir, None))) => {
            tracing::warn!(
                "{} does not record which account it was taken from ({} is missing); \
                 `driftwatch snapshot` writes it",
                dir.display(),
                source::golden::meta::FILE
            );
            return Ok(());
        }
        (Ok(_), None) => return Ok(()),
        // Every kind failed too: their errors already say why, and none is compared.
        (Err(_), _) if fetched.inventory.kinds.is_empty() => return Ok(()),
        (Err(e), _) => e,
    };
    let taken_from = match golden {
        Some((dir, Some(rec))) => format!("{} was taken from {rec}, and ", dir.display()),
        _ => String::new(),
    };
    fetched.errors.push(crate::diff::ErrorEntry {
        target: None,
        kind: None,
        message: format!(
            "{taken_from}which account the credentials belong to cannot be told ({e}); nothing \
             was compared, every resource is not checked (pass --any-account to compare anyway)"
        ),
    });
    fetched.inventory.kinds.clear();
    fetched.inventory.resources.clear();
    fetched.import_ids.clear();
    Ok(())
}

/// The targets that could not even start (no credentials, no region), one line per cause: a
/// cause shared by several targets (credentials missing from the environment) is said once,
/// naming them all. Empty when every target started.
fn setup_failures<'a, T: 'a, E: std::fmt::Display + 'a>(
    results: impl Iterator<Item = (Option<&'a str>, &'a std::result::Result<T, E>)>,
) -> String {
    let mut causes: Vec<(String, Vec<&str>)> = Vec::new();
    for (name, result) in results {
        let Err(e) = result else { continue };
        let message = e.to_string();
        match causes.iter_mut().find(|(m, _)| *m == message) {
            Some((_, names)) => names.extend(name),
            None => causes.push((message, name.into_iter().collect())),
        }
    }
    let lines: Vec<String> = causes
        .into_iter()
        .map(|(message, names)| match names.as_slice() {
            [] => message,
            [one] => format!("target {one}: {message}"),
            many => format!("targets {}: {message}", many.join(", ")),
        })
        .collect();
    lines.join("\n")
}

/// The cross-resource checks over a plan's actual inventory (before filters: a reference to a
/// resource out of scope still exists), keeping the findings on resources in scope and not
/// ignored. Live, the documents of the AWS-managed policies the checks need are fetched first.
fn cross_checks(
    s: &CheckSettings,
    plan: &crate::settings::Plan,
    actual: &Inventory,
    identity: Option<crate::model::Identity>,
    import_ids: &source::live::ImportIds,
) -> Result<crate::checks::Outcome> {
    if !s.checks.is_on() {
        return Ok(Default::default());
    }
    let mut extras = crate::checks::Extras {
        identity,
        backend: super::shared::backend(&plan.states, plan.workspace.as_deref(), &plan.lock_table),
        ..Default::default()
    };
    if s.actual.is_none() {
        let wanted = crate::checks::aws_managed_wanted(actual, &s.checks);
        extras.aws_managed = aws::block_on(source::live::aws_managed_policies(&plan.aws, &wanted))?;
        let at = extras
            .identity
            .as_ref()
            .map(Place::from)
            .unwrap_or_default();
        let stale = crate::checks::stale_service_revisions(actual);
        let revisions = source::live::service_revisions(&plan.aws, &stale, &s.redaction);
        extras.service_revisions = aws::block_on(revisions)?;
        let images = crate::checks::images_wanted(actual, &extras.service_revisions.read, &at);
        extras.images = Some(aws::block_on(source::live::images(&plan.aws, &images))?);
        let subnets = crate::checks::subnets_wanted(actual);
        extras.subnets = Some(aws::block_on(source::live::subnets(&plan.aws, &subnets))?);
        extras.import_ids = import_ids.clone();
    }
    let findings = crate::checks::run(actual, &extras, &s.checks);
    Ok(keep_findings(findings, actual, &s.filters, &s.rules))
}
