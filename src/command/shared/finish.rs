//! What follows a finished report, for `check` and `merge` alike: the history marks it (and
//! records the run), the exit code is decided after that (`fail_on = ["new"]` needs the marks),
//! the report is written where the settings send it, and the webhooks are told.

use crate::diff::{ErrorEntry, Report, Status};
use crate::error::{Error, Result};
use crate::exit;
use crate::history::owner::Target;
use crate::settings::{HistorySettings, NotifySettings, OutputSettings};

use super::super::output;

/// What a command hands over with its report.
pub(crate) struct After<'a> {
    pub history: Option<&'a HistorySettings>,
    /// Each target with its kinds and the account it checked: whose memory the history is.
    pub targets: Vec<Target>,
    pub fail_on: Option<&'a [Status]>,
    pub fail_on_new: bool,
    pub output: &'a OutputSettings,
    pub notify: &'a [NotifySettings],
}

/// Marks and records, writes, notifies; returns the exit code the report stands for.
pub(crate) fn finish(mut report: Report, after: After<'_>) -> Result<u8> {
    if let Some(h) = after.history {
        history(h, &after.targets, &mut report)?;
    }
    let code = exit::for_report(&report, after.fail_on, after.fail_on_new);
    output::emit(after.output, &report, code)?;
    crate::notify::send_all(after.notify, &report);
    output::leave(report);
    Ok(code)
}

/// Marks the report against the previous run of each target's account and records it. A
/// history that cannot be read or written (locked, read-only, a newer schema, another
/// account's report) is an error in the report, which is still written (exit 2): what the run
/// found is not lost with its memory.
fn history(h: &HistorySettings, targets: &[Target], report: &mut Report) -> Result<()> {
    match crate::history::apply(report, h, targets) {
        Ok(()) => Ok(()),
        Err(e @ Error::Interrupted(_)) => Err(e),
        Err(e) => {
            report.add_error(ErrorEntry {
                target: None,
                kind: None,
                message: format!("history: {e}"),
            });
            Ok(())
        }
    }
}
