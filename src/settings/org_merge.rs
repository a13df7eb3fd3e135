//! `driftwatch merge`: the plan, the shards' reports, and what follows a run (`fail_on`,
//! history, `[[notify]]`, the outputs), resolved by the same rules as `check`'s: the merged
//! report is where an organization's run ends.

use std::path::PathBuf;

use super::{aws, merge, output, Environment, HistorySettings, NotifySettings, OutputSettings};
use crate::cli::{Global, MergeArgs};
use crate::config::Config;
use crate::diff::Status;
use crate::error::Result;
use crate::model::Kind;

#[derive(Debug)]
pub(crate) struct MergeSettings {
    /// `plan.json`.
    pub plan: PathBuf,
    /// The shards' JSON reports.
    pub reports: Vec<PathBuf>,
    /// The kinds the shards checked (the file's `kinds`, as theirs): each target's scope in the
    /// history, so a finding gone from a kind checked is resolved.
    pub kinds: Vec<Kind>,
    pub fail_on: Option<Vec<Status>>,
    pub fail_on_new: bool,
    pub history: Option<HistorySettings>,
    pub notify: Vec<NotifySettings>,
    pub output: OutputSettings,
}

pub(super) fn resolve(
    g: &Global,
    a: &MergeArgs,
    config: &Config,
    env: &Environment,
) -> Result<MergeSettings> {
    let h = &a.history;
    Ok(MergeSettings {
        plan: a.plan.clone(),
        reports: a.reports.clone(),
        kinds: merge::kinds(&[], &config.kinds),
        fail_on: merge::fail_on_statuses(&h.fail_on, config.fail_on.as_deref()),
        fail_on_new: merge::fail_on_new(&h.fail_on, config.fail_on.as_deref()),
        history: merge::history(h, config, env, aws(g, config, env)?)?,
        notify: merge::notify(config, h.since.is_some() || h.history.is_some(), |name| {
            std::env::var(name).ok()
        })?,
        output: output(g, merge::destinations(&a.output, &config.outputs), env),
    })
}
