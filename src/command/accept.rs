//! `driftwatch accept KIND:ID-GLOB...`: a reviewed change taken into the golden files. Only the
//! named resources' files are rewritten (from the live account, or a snapshot folder with
//! `--actual`), atomically; every other file keeps its bytes. Ignored paths keep their golden
//! value. What changes is printed as `check` prints drift, so the commit is reviewable;
//! `--dry-run` prints it and writes nothing. With `[[targets]]`, each selector goes to one
//! target (`targets`), whose folder is written from its own account; a folder being written is
//! locked from its reading to its last write.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::aws;
use crate::diff::{self, ReferenceKind};
use crate::error::{Error, Result};
use crate::exit;
use crate::ignore::{IdGlob, Rules};
use crate::model::{Identity, Inventory, Kind};
use crate::out;
use crate::progress::Progress;
use crate::report;
use crate::settings::{AcceptSettings, AcceptTarget};
use crate::source;

/// What accepting the named resources does to the golden folder.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Plan {
    /// Files written: new resources, and those whose golden document differs from the account.
    pub writes: Vec<(Kind, String, Value)>,
    /// Files removed: resources the folder describes that the account no longer has.
    pub removals: Vec<(Kind, String)>,
    /// Named resources already in sync: their files keep their bytes.
    pub unchanged: usize,
    /// Named resources a rule ignores as a whole: their files are left as they are.
    pub ignored: Vec<(Kind, String)>,
    /// Selectors (`KIND:ID-GLOB`) that name no resource on either side.
    pub unmatched: Vec<String>,
}

pub(crate) fn execute(s: &AcceptSettings) -> Result<u8> {
    let holds = |t: &AcceptTarget, kind: Kind, glob: &IdGlob| -> Result<bool> {
        Ok(source::golden::ids(&t.golden, kind)?
            .iter()
            .any(|id| glob.matches(id)))
    };
    let chosen = targets::choose(&s.targets, &s.selectors, holds)?;
    // A snapshot folder is one account's and region's: taken into several targets' folders it
    // would be the wrong account's for all but one, unnoticed where a folder records none.
    if let (Some(dir), [_, _, ..]) = (&s.actual, chosen.as_slice()) {
        return Err(Error::Usage(format!(
            "--actual {} is one account's snapshot, and the resources named are in {} targets: \
             accept from it into one target at a time (`TARGET:KIND:ID-GLOB`); nothing was written",
            dir.display(),
            chosen.len()
        )));
    }
    // Every folder read and every account fetched before anything is written: a target that
    // cannot be read stops them all. Each folder's lock is held from its reading to its writing.
    let mut prepared = Vec::new();
    for (target, selectors) in chosen {
        let lock = match s.dry_run {
            true => None,
            false => Some(source::golden::lock::acquire(
                &target.golden,
                "accept",
                s.lock_timeout,
                s.output.quiet,
            )?),
        };
        prepared.push((prepare(s, target, &selectors)?, lock));
    }
    for (p, _lock) in prepared {
        if !s.output.quiet && p.report.has_drift() {
            out::print(&report::console::render(&p.report, s.output.color, false))?;
        }
        if !s.dry_run {
            let dir = &p.target.golden;
            source::golden::apply(dir, &p.plan.writes, &p.plan.removals)?;
            let wrote = !p.plan.writes.is_empty() || !p.plan.removals.is_empty();
            if let Some(identity) = p.record.as_ref().filter(|_| wrote) {
                // Accepting named resources makes no kind whole.
                source::golden::meta::write(dir, identity, &[])?;
            }
        }
        for (kind, id) in &p.plan.ignored {
            out::diag(&format!(
                "driftwatch: warning: {kind} {id} is ignored as a whole by the ignore rules; its \
                 golden file is left as it is"
            ));
        }
        if !s.output.quiet {
            out::line(&summary(s, &p))?;
        }
    }
    Ok(exit::IN_SYNC)
}

/// One target's accepting, worked out before anything is written.
struct Prepared<'a> {
    target: &'a AcceptTarget,
    plan: Plan,
    /// The named resources compared, as `check` reports them.
    report: diff::Report,
    /// Where the documents came from (`live (us-east-1)`, a folder).
    source: String,
    /// The account to record in a folder that records none yet.
    record: Option<Identity>,
}

/// Reads the target's golden folder and its account (or `--actual`), and plans the writes.
fn prepare<'a>(
    s: &AcceptSettings,
    target: &'a AcceptTarget,
    selectors: &[(Kind, IdGlob)],
) -> Result<Prepared<'a>> {
    let mut kinds: Vec<Kind> = selectors.iter().map(|(k, _)| *k).collect();
    kinds.sort();
    kinds.dedup();
    let dir = &target.golden;
    let recorded = source::golden::meta::read(dir)?;
    let mut golden = match dir.exists() {
        true => source::golden::read(dir, &kinds, &s.redaction)?,
        false => Inventory::new(dir.display().to_string(), &kinds),
    };
    let (mut actual, identity) = actual(s, target, &kinds, recorded.as_ref())?;
    let names = |kind: Kind, id: &str| selectors.iter().any(|(k, g)| *k == kind && g.matches(id));
    let in_scope = |(kind, id): &(Kind, String), _: &mut _| names(*kind, id);
    golden.resources.retain(in_scope);
    actual.resources.retain(in_scope);
    let plan = plan(&golden, &actual, selectors, &s.rules, s.include_aws_managed);
    if !plan.unmatched.is_empty() {
        return Err(Error::Usage(format!(
            "{} name{} no resource in {} or in {}; nothing was written",
            plan.unmatched.join(", "),
            if plan.unmatched.len() == 1 { "s" } else { "" },
            actual.source,
            dir.display()
        )));
    }
    let source = actual.source.clone();
    let references = vec![(ReferenceKind::Golden, golden)];
    let report = diff::compare(&kinds, references, actual, Vec::new(), &s.rules);
    Ok(Prepared {
        target,
        plan,
        report,
        source,
        // The folder's own record is kept as it is (it names this account, or --any-account).
        record: identity.filter(|_| recorded.is_none()),
    })
}

/// The documents to accept: the `--actual` folder's, or the target's account's, with the
/// account they come from when known. A kind that could not be read stops the command before
/// anything is written.
fn actual(
    s: &AcceptSettings,
    target: &AcceptTarget,
    kinds: &[Kind],
    recorded: Option<&Identity>,
) -> Result<(Inventory, Option<Identity>)> {
    if let Some(dir) = &s.actual {
        let found = source::golden::meta::read(dir)?;
        if let (Some(expected), Some(found)) = (recorded, &found) {
            if !s.any_account {
                source::golden::meta::ensure_same(&target.golden, expected, found, kinds)?;
            }
        }
        return Ok((source::golden::read(dir, kinds, &s.redaction)?, found));
    }
    let fetched = aws::block_on(source::live::fetch(
        &target.aws,
        kinds,
        s.include_aws_managed,
        &s.redaction,
        &Progress::new(s.output.quiet),
    ))?
    .map_err(Error::Fetch)?;
    if !fetched.errors.is_empty() {
        let lines: Vec<String> = fetched
            .errors
            .iter()
            .map(|e| match e.kind {
                Some(k) => format!("{k}: {}", e.message),
                None => e.message.clone(),
            })
            .collect();
        return Err(Error::NotRead { lines });
    }
    let identity = super::shared::identity::to_record(
        &target.golden,
        recorded,
        &fetched.identity,
        kinds,
        s.any_account,
    )?
    .cloned();
    Ok((fetched.inventory, identity))
}

/// What accepting does, from the named resources on both sides (`golden` and `actual` hold only
/// those). Pure.
pub(crate) fn plan(
    golden: &Inventory,
    actual: &Inventory,
    selectors: &[(Kind, IdGlob)],
    rules: &Rules,
    aws_managed: bool,
) -> Plan {
    let mut plan = Plan::default();
    for (kind, glob) in selectors {
        let mut ids = golden.of_kind(*kind).chain(actual.of_kind(*kind));
        if !ids.any(|(id, _)| glob.matches(id)) {
            plan.unmatched.push(format!("{kind}:{}", glob.as_str()));
        }
    }
    let keys: BTreeSet<&(Kind, String)> = golden
        .resources
        .keys()
        .chain(actual.resources.keys())
        .collect();
    for key in keys {
        let (kind, id) = (key.0, key.1.as_str());
        if rules.ignores_resource(kind, id) {
            plan.ignored.push(key.clone());
            continue;
        }
        let old = golden.resources.get(key).map(|r| &r.document);
        match actual.resources.get(key) {
            Some(live) => {
                let new = rules.keep_ignored(kind, id, old, live.document.clone());
                if old == Some(&new) {
                    plan.unchanged += 1;
                } else {
                    plan.writes.push((kind, id.to_string(), new));
                }
            }
            // An AWS-owned resource is absent because it was not fetched, not because it is gone.
            None if !aws_managed && old.is_some_and(|d| (kind.def().is_aws_owned)(d)) => {
                plan.unchanged += 1;
            }
            None => plan.removals.push(key.clone()),
        }
    }
    plan
}

fn summary(s: &AcceptSettings, p: &Prepared) -> String {
    let verb = if s.dry_run {
        "would accept"
    } else {
        "accepted"
    };
    let target = match &p.target.name {
        Some(name) => format!(" (target {name})"),
        None => String::new(),
    };
    let mut line = format!(
        "driftwatch: {verb} from {} into {}{target}: {} written, {} removed, {} unchanged",
        p.source,
        p.target.golden.display(),
        p.plan.writes.len(),
        p.plan.removals.len(),
        p.plan.unchanged
    );
    if !p.plan.ignored.is_empty() {
        line.push_str(&format!(", {} ignored", p.plan.ignored.len()));
    }
    if s.dry_run {
        line.push_str(" (dry run: nothing written)");
    }
    line
}

mod targets;
#[cfg(test)]
mod tests;
