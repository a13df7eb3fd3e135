//! `--since PREVIOUS.json`: the previous run read from its own JSON report, for CI runners that
//! keep nothing but artifacts. Pure: the command reads the file.

use serde_json::Value;

use super::fingerprint::resource_finding;
use super::mark::Previous;
use crate::diff::SCHEMA;

/// The previous run a `driftwatch.report/v1` report describes: its findings (with their own
/// `first_seen` when it has them) and when it ran (`checked_at`, written by runs with history).
pub fn parse(text: &str) -> Result<Previous, String> {
    let report: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let schema = report.get("schema").and_then(Value::as_str);
    if schema != Some(SCHEMA) {
        return Err(format!(
            "not a {SCHEMA} report (schema: {}); write one with --format json or --report json=FILE",
            schema.unwrap_or("none")
        ));
    }
    let resources = report
        .get("resources")
        .and_then(Value::as_array)
        .ok_or("the report has no `resources` list")?;
    Ok(Previous {
        checked_at: report
            .get("checked_at")
            .and_then(Value::as_str)
            .map(str::to_string),
        findings: resources.iter().filter_map(resource_finding).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn findings_and_time_come_from_the_report() {
        let p = parse(
            r#"{"schema": "driftwatch.report/v1", "checked_at": "2026-11-01T02:00:00Z",
                "summary": {}, "errors": [],
                "resources": [
                  {"kind": "aws_iam_role", "id": "a", "status": "in_sync", "reference": "golden"},
                  {"kind": "aws_iam_role", "id": "b", "status": "missing", "reference": "golden",
                   "first_seen": "2026-10-01T02:00:00Z", "new": false}]}"#,
        )
        .unwrap();
        assert_eq!(p.checked_at.as_deref(), Some("2026-11-01T02:00:00Z"));
        assert_eq!(p.findings.len(), 1);
        assert_eq!(p.findings[0].key.id, "b");
        assert_eq!(
            p.findings[0].first_seen.as_deref(),
            Some("2026-10-01T02:00:00Z")
        );
    }

    #[test]
    fn another_document_is_refused_with_what_to_do() {
        let e = parse(r#"{"schema": "x/v9", "resources": []}"#).unwrap_err();
        assert!(e.contains("--format json"), "{e}");
        assert!(parse("<testsuites/>").unwrap_err().contains("not JSON"));
    }
}
