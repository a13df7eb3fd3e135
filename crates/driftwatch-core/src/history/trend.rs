//! The points of the HTML report's chart when the previous run is a `--since` report: that
//! report's run and this one. (A database gives its stored runs instead.) Pure.

use serde_json::Value;

use std::collections::BTreeSet;

use super::rows::RunRow;
use crate::diff::Report;
use crate::report::group::history_counts;

/// The run a previous JSON report describes, as a chart point numbered 1, counted by resource
/// (target, kind, id) as the summary line counts them: its findings, those new to it when it
/// was written with history (else none is known to have been new), its resolved resources, and
/// `checked_at` when it has one.
pub fn previous_point(report: &Value) -> RunRow {
    let list = |name: &str| {
        report
            .get(name)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    };
    let key = |r: &Value| {
        let field = |f: &str| r.get(f).and_then(Value::as_str).map(str::to_string);
        (field("target"), field("kind"), field("id"))
    };
    let mut findings = BTreeSet::new();
    let mut new = BTreeSet::new();
    for r in list("resources") {
        if r.get("status").and_then(Value::as_str) == Some("in_sync") {
            continue;
        }
        if r.get("new").and_then(Value::as_bool) == Some(true) {
            new.insert(key(r));
        }
        findings.insert(key(r));
    }
    let resolved: BTreeSet<_> = list("resolved").iter().map(key).collect();
    RunRow {
        run: 1,
        checked_at: report
            .get("checked_at")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        scope: String::new(),
        findings: count(findings.len()),
        new: count(new.len()),
        known: count(findings.len() - new.len()),
        resolved: count(resolved.len()),
        errors: count(list("errors").len()),
    }
}

/// This run, marked already, as the chart's point number `run`.
pub fn this_point(report: &Report, run: i64, now: &str) -> RunRow {
    let [new, known, resolved] = history_counts(report).unwrap_or_default();
    RunRow {
        run,
        checked_at: now.to_string(),
        scope: String::new(),
        findings: count(new + known),
        new: count(new),
        known: count(known),
        resolved: count(resolved),
        errors: count(report.errors.len()),
    }
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::previous_point;

    #[test]
    fn a_previous_report_counts_by_resource_with_its_own_marks() {
        // One resource against two references counts once, new if either entry was.
        let marked = json!({
            "checked_at": "2026-12-01T02:00:00Z",
            "errors": [{"message": "x"}],
            "resources": [
                {"kind": "aws_sqs_queue", "id": "a", "status": "modified", "reference": "golden", "new": false},
                {"kind": "aws_sqs_queue", "id": "a", "status": "modified", "reference": "terraform", "new": true},
                {"kind": "aws_sqs_queue", "id": "b", "status": "missing", "new": false},
                {"kind": "aws_sqs_queue", "id": "c", "status": "in_sync"}
            ],
            "resolved": [
                {"kind": "aws_iam_role", "id": "r", "reference": "golden"},
                {"kind": "aws_iam_role", "id": "r", "reference": "terraform"}
            ]
        });
        let p = previous_point(&marked);
        assert_eq!(
            (p.findings, p.new, p.known, p.resolved, p.errors),
            (2, 1, 1, 1, 1)
        );
        assert_eq!(p.checked_at, "2026-12-01T02:00:00Z");
        // Written without history: nothing is known to have been new to it.
        let plain =
            json!({"resources": [{"kind": "aws_sqs_queue", "id": "a", "status": "unmanaged"}]});
        let p = previous_point(&plain);
        assert_eq!((p.findings, p.new, p.known, p.resolved), (1, 0, 1, 0));
        // Not a report's shape at all: an empty point, not a failure (`since` refused it already).
        assert_eq!(previous_point(&json!([1])).findings, 0);
    }
}
