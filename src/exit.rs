//! Exit codes, in one place. Like `diff(1)`: 0 in sync, 1 drift, 2 could not check.

use crate::diff::{Report, ResourceReport, Status};

/// Everything checked is in sync.
pub(crate) const IN_SYNC: u8 = 0;
/// Drift found, and every kind in scope was checked.
pub(crate) const DRIFT: u8 = 1;
/// Could not check: bad input, no credentials, a fetch that failed. Wins over [`DRIFT`].
pub(crate) const ERROR: u8 = 2;

/// Stopped by a signal: 128 + its number (130 for SIGINT, 143 for SIGTERM), as shells report.
pub(crate) fn interrupted(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(ERROR)
}

/// The exit code a finished report stands for. A partial failure is [`ERROR`] even when drift
/// was also found: a check that did not see everything must never pass for a clean one.
/// `fail_on` lists the statuses that count as drift (all three by default); the others are
/// reported but exit 0. With `new_only` (`fail_on = ["new"]`), only findings new since the
/// previous run count: known drift exits 0; errors are still [`ERROR`]. A cross-resource check
/// finding of error severity exits 1 like drift, with `new_only` too: check findings are not
/// kept in the history yet, so none is known to be old (fail closed).
pub(crate) fn for_report(report: &Report, fail_on: Option<&[Status]>, new_only: bool) -> u8 {
    let fails = |s: Status| fail_on.is_none_or(|f| f.contains(&s));
    let counts = |r: &ResourceReport| !new_only || r.seen.as_ref().is_none_or(|s| s.new);
    if !report.errors.is_empty() {
        ERROR
    } else if report.drifted().any(|r| fails(r.status) && counts(r))
        || report.has_broken_references()
    {
        DRIFT
    } else {
        IN_SYNC
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{ErrorEntry, ReferenceKind, Seen};
    use crate::model::Kind;

    fn report(new: bool, error: bool) -> Report {
        let finding = ResourceReport {
            target: None,
            kind: Kind::SqsQueue,
            id: "jobs".into(),
            status: Status::Missing,
            reference: ReferenceKind::Golden.into(),
            partial: false,
            changes: Vec::new(),
            seen: Some(Seen {
                first_seen: None,
                new,
            }),
            expected: None,
            actual: None,
        };
        let errors = if error {
            vec![ErrorEntry {
                target: None,
                kind: Some(Kind::IamRole),
                message: "AccessDenied".into(),
            }]
        } else {
            Vec::new()
        };
        Report::new(vec![finding], errors, "live")
    }

    #[test]
    fn fail_on_new_passes_known_drift_fails_new_and_errors_still_win() {
        assert_eq!(for_report(&report(false, false), None, true), IN_SYNC);
        assert_eq!(for_report(&report(true, false), None, true), DRIFT);
        assert_eq!(for_report(&report(false, true), None, true), ERROR);
        // New, but of a status not listed.
        let modified_only = [Status::Modified];
        assert_eq!(
            for_report(&report(true, false), Some(&modified_only), true),
            IN_SYNC
        );
        // Without `new`, known drift fails as always.
        assert_eq!(for_report(&report(false, false), None, false), DRIFT);
    }
}
