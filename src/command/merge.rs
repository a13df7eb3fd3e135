//! `driftwatch merge`: the shards' JSON reports of one plan read back into the report model and
//! merged (the core's `org::merge`: the union, and every way the reports fail to make one run
//! of the plan as an error in it), then finished as `check` finishes a run (history, exit code,
//! outputs, notifications: [`finish`]). It is the one writer of an organization's history.

use super::shared::finish::{finish, After};
use crate::diff::{ErrorEntry, Report};
use crate::error::{Error, Result};
use crate::history::owner::Target;
use crate::org::merge::{merge, Input, Merged};
use crate::org::{OrgPlan, TargetState};
use crate::settings::MergeSettings;

/// Merges, writes the report, and returns the exit code it stands for.
pub(crate) fn execute(s: &MergeSettings) -> Result<u8> {
    let plan = read_plan(&s.plan)?;
    let inputs = s
        .reports
        .iter()
        .map(|path| Input {
            file: path.display().to_string(),
            report: std::fs::read_to_string(path)
                .map_err(|e| e.to_string())
                .and_then(|text| Report::from_json(&text)),
        })
        .collect();
    let Merged {
        mut report,
        invalid,
    } = merge(&plan, inputs);
    let mut history = s.history.as_ref();
    if invalid && history.is_some() {
        // A union that is not one run of the plan would mark what the missing part found as
        // resolved tonight and as new tomorrow.
        history = None;
        report.add_error(ErrorEntry {
            target: None,
            kind: None,
            message: "history: not marked or recorded, as the reports above do not make one \
                      run of the plan"
                .into(),
        });
    }
    let targets = history_targets(s, &report);
    finish(
        report,
        After {
            history,
            targets,
            fail_on: s.fail_on.as_deref(),
            fail_on_new: s.fail_on_new,
            output: &s.output,
            notify: &s.notify,
        },
    )
}

/// `plan.json`, refused when unreadable or edited (exit 2 before any report is read).
fn read_plan(path: &std::path::Path) -> Result<OrgPlan> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    OrgPlan::parse(&text).map_err(|message| Error::Invalid {
        path: path.to_path_buf(),
        message,
    })
}

/// Each account and region checked (`ok`), with the kinds the shards checked and the account
/// it reached: whose memory the history is. Accounts in error are left out, so nothing they
/// found before is taken as resolved.
fn history_targets(s: &MergeSettings, report: &Report) -> Vec<Target> {
    report
        .targets
        .iter()
        .filter(|t| t.status == TargetState::Ok)
        .map(|t| {
            let name = Some(t.name());
            Target {
                identity: report
                    .accounts
                    .iter()
                    .find(|a| a.target == name)
                    .map(|a| a.identity.clone()),
                name,
                kinds: s.kinds.clone(),
            }
        })
        .collect()
}
