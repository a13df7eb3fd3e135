//! Marking a report against the previous run: each finding `new` or known (with `first_seen`),
//! the previous findings that are gone listed as `resolved`, the summary counts. Pure: the
//! previous run comes from a report file (`--since`) or the database, this does not care which,
//! so both give the same answer for the same runs.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::fingerprint::{resource_finding, Finding, Key};
use crate::diff::{Report, Resolved, Seen, Status};
use crate::model::Kind;

/// The previous run, as far as marking needs it.
#[derive(Debug, Clone, Default)]
pub struct Previous {
    /// When it ran (RFC 3339), if known: the `first_seen` of what it found without saying so.
    pub checked_at: Option<String>,
    pub findings: Vec<Finding>,
}

/// The (target, kind) pairs this run checked without an error. A finding of the previous run
/// is resolved only where this run looked and could see: a kind out of scope today, or one
/// whose fetch failed, resolves nothing (fail closed: "could not check" is never "fixed").
#[derive(Debug, Clone, Default)]
pub struct Checked(BTreeSet<(Option<String>, String)>);

impl Checked {
    /// `scope` lists each target's kinds; the report's errors take their pairs out (an error
    /// without a kind takes its whole target out, one without a target every target).
    pub fn of(report: &Report, scope: &[(Option<String>, Vec<Kind>)]) -> Checked {
        let mut pairs = BTreeSet::new();
        for (target, kinds) in scope {
            for kind in kinds {
                let failed = report.errors.iter().any(|e| {
                    (e.target.is_none() || e.target == *target) && e.kind.is_none_or(|k| k == *kind)
                });
                if !failed {
                    pairs.insert((target.clone(), kind.as_str().to_string()));
                }
            }
        }
        Checked(pairs)
    }

    fn covers(&self, key: &Key) -> bool {
        self.0.contains(&(key.target.clone(), key.kind.clone()))
    }
}

/// Marks `report` (checked at `now`, RFC 3339) against `previous` (`None`: the first run, all
/// is new) and returns this run's findings, each with its `first_seen`, for the next run.
pub fn mark(
    report: &mut Report,
    previous: Option<&Previous>,
    now: &str,
    checked: &Checked,
) -> Vec<Finding> {
    let empty = Previous::default();
    let previous = previous.unwrap_or(&empty);
    let before: HashMap<&str, &Finding> = previous
        .findings
        .iter()
        .map(|f| (f.fingerprint.as_str(), f))
        .collect();
    let mut findings = Vec::new();
    for r in report.resources.iter_mut() {
        if r.status == Status::InSync {
            continue;
        }
        let entry = serde_json::to_value(&*r).expect("a report entry always serializes");
        let Some(mut finding) = resource_finding(&entry) else {
            continue;
        };
        let seen = match before.get(finding.fingerprint.as_str()) {
            Some(old) => Seen {
                first_seen: old.first_seen.clone().or(previous.checked_at.clone()),
                new: false,
            },
            None => Seen {
                first_seen: Some(now.to_string()),
                new: true,
            },
        };
        finding.first_seen = seen.first_seen.clone();
        finding.new = seen.new;
        r.seen = Some(seen);
        findings.push(finding);
    }
    let now_keys: HashSet<&Key> = findings.iter().map(|f| &f.key).collect();
    let resolved: Vec<Resolved> = previous
        .findings
        .iter()
        .filter(|f| !now_keys.contains(&f.key) && checked.covers(&f.key))
        .map(|f| Resolved {
            target: f.key.target.clone(),
            kind: f.key.kind.clone(),
            id: f.key.id.clone(),
            status: f.status.clone(),
            reference: f.key.reference.clone(),
            first_seen: f.first_seen.clone().or(previous.checked_at.clone()),
        })
        .collect();
    let new = findings_new(report);
    report.summary.new = Some(new);
    report.summary.known = Some(findings.len() - new);
    report.summary.resolved = Some(resolved.len());
    report.resolved = Some(resolved);
    report.checked_at = Some(now.to_string());
    findings
}

fn findings_new(report: &Report) -> usize {
    report
        .resources
        .iter()
        .filter(|r| r.seen.as_ref().is_some_and(|s| s.new))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Change, ErrorEntry, Op, ReferenceKind, ResourceReport};
    use serde_json::json;

    fn entry(id: &str, actual: i64) -> ResourceReport {
        ResourceReport {
            target: None,
            kind: Kind::SqsQueue,
            id: id.to_string(),
            status: Status::Modified,
            reference: ReferenceKind::Golden.into(),
            partial: false,
            changes: vec![Change::new(
                "/DelaySeconds",
                Op::Changed,
                Some(&json!(0)),
                Some(&json!(actual)),
            )],
            seen: None,
            expected: None,
            actual: None,
        }
    }

    fn run(entries: Vec<ResourceReport>, errors: Vec<ErrorEntry>) -> Report {
        Report::new(entries, errors, "the account")
    }

    const SCOPE: &[(Option<String>, Vec<Kind>)] = &[];

    fn scope() -> Vec<(Option<String>, Vec<Kind>)> {
        vec![(None, vec![Kind::SqsQueue])]
    }

    #[test]
    fn new_then_known_then_resolved() {
        let mut first = run(vec![entry("a", 5)], vec![]);
        let checked = Checked::of(&first, &scope());
        let f1 = mark(&mut first, None, "2026-11-01T02:00:00Z", &checked);
        assert!(first.resources[0].seen.as_ref().unwrap().new);
        let prev = Previous {
            checked_at: first.checked_at.clone(),
            findings: f1,
        };

        let mut second = run(vec![entry("a", 5), entry("b", 1)], vec![]);
        let f2 = mark(&mut second, Some(&prev), "2026-11-02T02:00:00Z", &checked);
        let a = second.resources[0].seen.clone().unwrap();
        assert!(!a.new);
        assert_eq!(a.first_seen.as_deref(), Some("2026-11-01T02:00:00Z"));
        assert!(second.resources[1].seen.as_ref().unwrap().new);
        assert_eq!(
            (
                second.summary.new,
                second.summary.known,
                second.summary.resolved
            ),
            (Some(1), Some(1), Some(0))
        );

        let mut third = run(vec![entry("b", 1)], vec![]);
        let prev = Previous {
            checked_at: second.checked_at.clone(),
            findings: f2,
        };
        mark(&mut third, Some(&prev), "2026-11-03T02:00:00Z", &checked);
        let resolved = third.resolved.as_ref().unwrap();
        assert_eq!(resolved.len(), 1);
        assert_eq!(resolved[0].id, "a");
        assert_eq!(
            resolved[0].first_seen.as_deref(),
            Some("2026-11-01T02:00:00Z")
        );
    }

    #[test]
    fn a_different_change_is_new_and_not_resolved() {
        let mut first = run(vec![entry("a", 5)], vec![]);
        let checked = Checked::of(&first, &scope());
        let findings = mark(&mut first, None, "2026-11-01T02:00:00Z", &checked);
        let prev = Previous {
            checked_at: None,
            findings,
        };
        let mut second = run(vec![entry("a", 6)], vec![]);
        mark(&mut second, Some(&prev), "2026-11-02T02:00:00Z", &checked);
        assert!(second.resources[0].seen.as_ref().unwrap().new);
        assert_eq!(second.summary.resolved, Some(0));
    }

    #[test]
    fn what_could_not_be_checked_is_never_resolved() {
        let mut first = run(vec![entry("a", 5)], vec![]);
        let checked = Checked::of(&first, &scope());
        let findings = mark(&mut first, None, "t1", &checked);
        let prev = Previous {
            checked_at: Some("t1".into()),
            findings,
        };
        let error = ErrorEntry {
            target: None,
            kind: Some(Kind::SqsQueue),
            message: "AccessDenied".into(),
        };
        let mut failed = run(vec![], vec![error]);
        let checked = Checked::of(&failed, &scope());
        mark(&mut failed, Some(&prev), "t2", &checked);
        assert_eq!(failed.summary.resolved, Some(0));
        // A kind out of this run's scope resolves nothing either.
        let mut other = run(vec![], vec![]);
        let checked = Checked::of(&other, SCOPE);
        mark(&mut other, Some(&prev), "t2", &checked);
        assert_eq!(other.summary.resolved, Some(0));
    }

    #[test]
    fn a_known_finding_without_first_seen_takes_the_previous_run_time() {
        let mut first = run(vec![entry("a", 5)], vec![]);
        let checked = Checked::of(&first, &scope());
        let mut findings = mark(&mut first, None, "t1", &checked);
        findings[0].first_seen = None;
        let prev = Previous {
            checked_at: Some("t0".into()),
            findings,
        };
        let mut second = run(vec![entry("a", 5)], vec![]);
        mark(&mut second, Some(&prev), "t2", &checked);
        let seen = second.resources[0].seen.clone().unwrap();
        assert_eq!(seen.first_seen.as_deref(), Some("t0"));
    }
}
