//! Exit codes, in one place. Like `diff(1)`: 0 in sync, 1 drift, 2 could not check.

use crate::diff::{Report, Status};

/// Everything checked is in sync.
pub const IN_SYNC: u8 = 0;
/// Drift found, and every kind in scope was checked.
pub const DRIFT: u8 = 1;
/// Could not check: bad input, no credentials, a fetch that failed. Wins over [`DRIFT`].
pub const ERROR: u8 = 2;

/// Stopped by a signal: 128 + its number (130 for SIGINT, 143 for SIGTERM), as shells report.
pub fn interrupted(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(ERROR)
}

/// The exit code a finished report stands for. A partial failure is [`ERROR`] even when drift
/// was also found: a check that did not see everything must never pass for a clean one.
/// `fail_on` lists the statuses that count as drift (all three by default); the others are
/// reported but exit 0. A cross-resource check finding of error severity exits 1 like drift.
pub fn for_report(report: &Report, fail_on: Option<&[Status]>) -> u8 {
    let fails = |s: Status| fail_on.is_none_or(|f| f.contains(&s));
    if !report.errors.is_empty() {
        ERROR
    } else if report.drifted().any(|r| fails(r.status)) || report.has_broken_references() {
        DRIFT
    } else {
        IN_SYNC
    }
}
