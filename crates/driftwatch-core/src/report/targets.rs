//! The accounts of a plan's report (`targets`, a shard's or a merged one) in words, for the
//! console and Markdown reports: how many were checked, in error and excluded, and each excluded
//! account with its reason (errors are listed with the report's errors already). Account ids
//! and reasons come from files: control characters shown.

use super::escape::control;
use crate::diff::Report;
use crate::org::TargetState;

/// Nothing for a report without `targets`.
pub fn lines(report: &Report) -> Vec<String> {
    if report.targets.is_empty() {
        return Vec::new();
    }
    let accounts = |state: TargetState| {
        let mut ids: Vec<&str> = report
            .targets
            .iter()
            .filter(|t| t.status == state)
            .map(|t| t.account.as_str())
            .collect();
        ids.dedup();
        ids.len()
    };
    let regions = report
        .targets
        .iter()
        .filter(|t| t.status == TargetState::Ok)
        .count();
    let mut parts = vec![format!(
        "{} checked ({regions} account {})",
        accounts(TargetState::Ok),
        if regions == 1 { "region" } else { "regions" }
    )];
    for (state, words) in [
        (TargetState::Error, "in error"),
        (TargetState::Excluded, "excluded"),
    ] {
        let n = accounts(state);
        if n > 0 {
            parts.push(format!("{n} {words}"));
        }
    }
    let mut out = vec![format!("accounts: {}", parts.join(", "))];
    out.extend(
        report
            .targets
            .iter()
            .filter(|t| t.status == TargetState::Excluded)
            .map(|t| {
                let reason = t.reason.as_deref().unwrap_or("in the plan's excluded");
                control(&format!("excluded: {} ({reason})", t.account)).into_owned()
            }),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::TargetStatus;

    #[test]
    fn accounts_are_counted_and_the_excluded_named() {
        let mut report = Report::new(Vec::new(), Vec::new(), "x");
        assert!(lines(&report).is_empty());
        let ok = |a: &str, r: &str| TargetStatus {
            account: a.into(),
            region: Some(r.into()),
            status: TargetState::Ok,
            error: None,
            reason: None,
        };
        report.targets = vec![
            ok("111111111111", "eu-west-1"),
            ok("111111111111", "us-east-1"),
            TargetStatus::account_error("222222222222", "denied".into()),
            TargetStatus {
                status: TargetState::Excluded,
                reason: Some("state SUSPENDED\u{1b}[2J".into()),
                error: None,
                ..TargetStatus::account_error("333333333333", String::new())
            },
        ];
        assert_eq!(
            lines(&report),
            [
                "accounts: 1 checked (2 account regions), 1 in error, 1 excluded",
                "excluded: 333333333333 (state SUSPENDED\\u{1b}[2J)",
            ]
        );
    }
}
