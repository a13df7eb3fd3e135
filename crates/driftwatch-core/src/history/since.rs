//! `--since PREVIOUS.json`: the previous run read from its own JSON report, for CI runners that
//! keep nothing but artifacts. Pure: the command reads the file.

use serde_json::Value;

use super::fingerprint::resource_finding;
use super::mark::Previous;
use crate::diff::{Account, SCHEMA};
use crate::model::Identity;

/// A previous report: the run it describes, and whose it is.
#[derive(Debug)]
pub struct Since {
    pub previous: Previous,
    /// The account, partition and region of each target (`accounts`); `None` when the report
    /// records none (written before reports recorded them).
    pub accounts: Option<Vec<Account>>,
    /// The previous run as the first point of the HTML report's chart.
    pub point: super::rows::RunRow,
}

/// The previous run a `driftwatch.report/v1` report describes: its findings (with their own
/// `first_seen` when it has them), when it ran (`checked_at`, written by runs with history) and
/// which accounts it checked.
pub fn parse(text: &str) -> Result<Since, String> {
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
    let previous = Previous {
        checked_at: report
            .get("checked_at")
            .and_then(Value::as_str)
            .map(str::to_string),
        findings: resources.iter().filter_map(resource_finding).collect(),
    };
    let accounts = match report.get("accounts") {
        None => None,
        Some(list) => Some(accounts(list)?),
    };
    let point = super::trend::previous_point(&report);
    Ok(Since {
        previous,
        accounts,
        point,
    })
}

/// `accounts`: `[{"target"?, "account", "partition", "region"}]`.
fn accounts(list: &Value) -> Result<Vec<Account>, String> {
    let bad = || "`accounts` is not a list of {account, partition, region}".to_string();
    let field = |a: &Value, name: &str| a.get(name).and_then(Value::as_str).map(str::to_string);
    list.as_array()
        .ok_or_else(bad)?
        .iter()
        .map(|a| {
            Ok(Account {
                target: field(a, "target"),
                identity: Identity {
                    account: field(a, "account").ok_or_else(bad)?,
                    partition: field(a, "partition").ok_or_else(bad)?,
                    region: field(a, "region").ok_or_else(bad)?,
                },
            })
        })
        .collect()
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
        assert!(p.accounts.is_none());
        let p = p.previous;
        assert_eq!(p.checked_at.as_deref(), Some("2026-11-01T02:00:00Z"));
        assert_eq!(p.findings.len(), 1);
        assert_eq!(p.findings[0].key.id, "b");
        assert_eq!(
            p.findings[0].first_seen.as_deref(),
            Some("2026-10-01T02:00:00Z")
        );
    }

    #[test]
    fn the_accounts_come_from_the_report() {
        let p = parse(
            r#"{"schema": "driftwatch.report/v1", "summary": {}, "errors": [], "resources": [],
                "accounts": [{"target": "prod", "account": "1", "partition": "aws",
                              "region": "us-east-1"}]}"#,
        )
        .unwrap();
        let a = &p.accounts.unwrap()[0];
        assert_eq!(a.target.as_deref(), Some("prod"));
        assert_eq!(a.identity.account, "1");
        let bad = r#"{"schema": "driftwatch.report/v1", "resources": [], "accounts": [{}]}"#;
        assert!(parse(bad).unwrap_err().contains("accounts"));
    }

    #[test]
    fn another_document_is_refused_with_what_to_do() {
        let e = parse(r#"{"schema": "x/v9", "resources": []}"#).unwrap_err();
        assert!(e.contains("--format json"), "{e}");
        assert!(parse("<testsuites/>").unwrap_err().contains("not JSON"));
    }
}
