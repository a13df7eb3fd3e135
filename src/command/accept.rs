//! `driftwatch accept KIND:ID-GLOB...`: a reviewed change taken into the golden files. Only the
//! named resources' files are rewritten (from the live account, or a snapshot folder with
//! `--actual`), atomically; every other file keeps its bytes. Ignored paths keep their golden
//! value. What changes is printed as `check` prints drift, so the commit is reviewable;
//! `--dry-run` prints it and writes nothing.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::diff::{self, ReferenceKind};
use crate::error::{Error, Result};
use crate::exit;
use crate::fetch;
use crate::ignore::Rules;
use crate::model::{Inventory, Kind};
use crate::out;
use crate::progress::Progress;
use crate::report;
use crate::settings::AcceptSettings;
use crate::source;

/// What accepting the named resources does to the golden folder.
#[derive(Debug, Default, PartialEq)]
pub struct Plan {
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

pub fn execute(s: &AcceptSettings) -> Result<u8> {
    let kinds = s.kinds();
    let recorded = source::golden::meta::read(&s.golden)?;
    let mut golden = match s.golden.exists() {
        true => source::golden::read(&s.golden, &kinds, &s.redaction)?,
        false => Inventory::new(s.golden.display().to_string(), &kinds),
    };
    let mut actual = actual(s, &kinds, recorded.as_ref())?;
    let in_scope = |(kind, id): &(Kind, String), _: &mut _| s.names(*kind, id);
    golden.resources.retain(in_scope);
    actual.resources.retain(in_scope);
    let plan = plan(
        &golden,
        &actual,
        &s.selectors,
        &s.rules,
        s.include_aws_managed,
    );
    if !plan.unmatched.is_empty() {
        return Err(Error::Usage(format!(
            "{} name{} no resource in {} or in {}; nothing was written",
            plan.unmatched.join(", "),
            if plan.unmatched.len() == 1 { "s" } else { "" },
            actual.source,
            s.golden.display()
        )));
    }
    let source = actual.source.clone();
    let references = vec![(ReferenceKind::Golden, golden)];
    let report = diff::compare(&kinds, references, actual, Vec::new(), &s.rules);
    if !s.output.quiet && report.has_drift() {
        out::print(&report::console::render(&report, s.output.color, false))?;
    }
    if !s.dry_run {
        source::golden::apply(&s.golden, &plan.writes, &plan.removals)?;
    }
    for (kind, id) in &plan.ignored {
        out::diag(&format!(
            "driftwatch: warning: {kind} {id} is ignored as a whole by the ignore rules; its \
             golden file is left as it is"
        ));
    }
    if !s.output.quiet {
        out::line(&summary(s, &plan, &source))?;
    }
    Ok(exit::IN_SYNC)
}

/// The documents to accept: the `--actual` folder's, or the account's. A kind that could not be
/// read stops the command before anything is written.
fn actual(
    s: &AcceptSettings,
    kinds: &[Kind],
    recorded: Option<&crate::model::Identity>,
) -> Result<Inventory> {
    if let Some(dir) = &s.actual {
        if let (Some(expected), Some(found)) = (recorded, source::golden::meta::read(dir)?) {
            if !s.any_account {
                source::golden::meta::ensure_same(&s.golden, expected, &found, kinds)?;
            }
        }
        return source::golden::read(dir, kinds, &s.redaction);
    }
    let fetched = fetch::block_on(source::live::fetch(
        &s.aws,
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
        return Err(Error::Usage(format!(
            "could not read the account, so nothing was written:\n{}",
            lines.join("\n")
        )));
    }
    super::snapshot::snapshot_identity(
        &s.golden,
        recorded,
        &fetched.identity,
        kinds,
        s.any_account,
    )?;
    Ok(fetched.inventory)
}

/// What accepting does, from the named resources on both sides (`golden` and `actual` hold only
/// those). Pure.
pub fn plan(
    golden: &Inventory,
    actual: &Inventory,
    selectors: &[(Kind, crate::ignore::IdGlob)],
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

fn summary(s: &AcceptSettings, plan: &Plan, source: &str) -> String {
    let verb = if s.dry_run {
        "would accept"
    } else {
        "accepted"
    };
    let mut line = format!(
        "driftwatch: {verb} from {source} into {}: {} written, {} removed, {} unchanged",
        s.golden.display(),
        plan.writes.len(),
        plan.removals.len(),
        plan.unchanged
    );
    if !plan.ignored.is_empty() {
        line.push_str(&format!(", {} ignored", plan.ignored.len()));
    }
    if s.dry_run {
        line.push_str(" (dry run: nothing written)");
    }
    line
}

#[cfg(test)]
mod tests;
