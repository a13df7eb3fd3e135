//! The JSON report read back into a [`Report`] (`merge` renders shards' reports in every format
//! from the model, never by joining their text). The schema is the serde form of the model, so
//! reading is the derived `Deserialize`; here are the parts it cannot derive: the schema
//! version, the references joined by commas, and the check findings, whose types (in
//! `checks/`, which serialize only) are read through mirrors of their JSON shape.

use serde::{Deserialize, Deserializer};

use super::outcome::{ReferenceKind, ReferenceKinds, Report, SCHEMA};
use crate::checks::{CheckId, Finding, NotJudged, Reason, Severity};
use crate::model::Kind;

impl Report {
    /// A `driftwatch.report/v1` JSON report as the model. The documents compared (for diffs)
    /// and the Terraform import ids are not in the JSON, so they are absent from the result.
    pub fn from_json(text: &str) -> Result<Report, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

/// `schema`: this version only (another version's fields may mean something else).
pub(super) fn schema<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let s = String::deserialize(d)?;
    if s == SCHEMA {
        Ok(SCHEMA)
    } else {
        Err(serde::de::Error::custom(format!(
            "schema `{s}` is not {SCHEMA}, the one this driftwatch reads"
        )))
    }
}

impl<'de> Deserialize<'de> for ReferenceKinds {
    /// `golden`, `terraform` or both joined by a comma, as the report writes them.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.split(',')
            .map(|k| match k {
                "golden" => Ok(ReferenceKind::Golden),
                "terraform" => Ok(ReferenceKind::Terraform),
                other => Err(serde::de::Error::custom(format!(
                    "reference `{other}` is not golden or terraform"
                ))),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(ReferenceKinds::new)
    }
}

/// An item of `checks`, as [`Finding`] serializes it.
#[derive(Deserialize)]
struct FindingIn {
    check: CheckId,
    severity: Severity,
    kind: Kind,
    id: String,
    subject: String,
    message: String,
    #[serde(default)]
    target: Option<String>,
}

/// An item of `not_judged`, as [`NotJudged`] serializes it.
#[derive(Deserialize)]
struct NotJudgedIn {
    check: CheckId,
    kind: Kind,
    id: String,
    subject: String,
    reason: ReasonIn,
    message: String,
    #[serde(default)]
    target: Option<String>,
}

/// [`Reason`] by its JSON name (a test fails when `Reason` gains a variant this lacks).
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum ReasonIn {
    NotDescribed,
    NotRead,
    OtherAccount,
    OtherRegion,
    Partial,
    OtherRegistry,
}

impl From<ReasonIn> for Reason {
    fn from(r: ReasonIn) -> Reason {
        match r {
            ReasonIn::NotDescribed => Reason::NotDescribed,
            ReasonIn::NotRead => Reason::NotRead,
            ReasonIn::OtherAccount => Reason::OtherAccount,
            ReasonIn::OtherRegion => Reason::OtherRegion,
            ReasonIn::Partial => Reason::Partial,
            ReasonIn::OtherRegistry => Reason::OtherRegistry,
        }
    }
}

pub(super) fn findings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Finding>, D::Error> {
    Ok(Vec::<FindingIn>::deserialize(d)?
        .into_iter()
        .map(|f| Finding {
            check: f.check,
            severity: f.severity,
            kind: f.kind,
            id: f.id,
            subject: f.subject,
            message: f.message,
            target: f.target,
        })
        .collect())
}

pub(super) fn not_judged<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NotJudged>, D::Error> {
    Ok(Vec::<NotJudgedIn>::deserialize(d)?
        .into_iter()
        .map(|n| NotJudged {
            check: n.check,
            kind: n.kind,
            id: n.id,
            subject: n.subject,
            reason: n.reason.into(),
            message: n.message,
            target: n.target,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exhaustive over [`Reason`]: a new variant does not compile until [`ReasonIn`] has it.
    fn mirror(r: Reason) -> ReasonIn {
        match r {
            Reason::NotDescribed => ReasonIn::NotDescribed,
            Reason::NotRead => ReasonIn::NotRead,
            Reason::OtherAccount => ReasonIn::OtherAccount,
            Reason::OtherRegion => ReasonIn::OtherRegion,
            Reason::Partial => ReasonIn::Partial,
            Reason::OtherRegistry => ReasonIn::OtherRegistry,
        }
    }

    #[test]
    fn every_reason_reads_back_as_itself() {
        for r in [
            Reason::NotDescribed,
            Reason::NotRead,
            Reason::OtherAccount,
            Reason::OtherRegion,
            Reason::Partial,
            Reason::OtherRegistry,
        ] {
            let text = serde_json::to_string(&r).unwrap();
            let back: ReasonIn = serde_json::from_str(&text).unwrap();
            assert_eq!(Reason::from(back), r);
            assert_eq!(Reason::from(mirror(r)), r);
        }
    }

    #[test]
    fn another_schema_or_reference_is_refused() {
        let text = r#"{"schema":"driftwatch.report/v2","summary":{},"resources":[],"errors":[]}"#;
        assert!(Report::from_json(text).unwrap_err().contains("v2"));
        let r: Result<ReferenceKinds, _> = serde_json::from_str("\"golden,cdk\"");
        assert!(r.is_err());
        let r: ReferenceKinds = serde_json::from_str("\"golden,terraform\"").unwrap();
        assert_eq!(r.to_string(), "golden,terraform");
    }

    /// Every field the schema has, optional ones included.
    const FULL: &str = r#"{
      "schema": "driftwatch.report/v1",
      "summary": {"in_sync": 0, "modified": 1, "missing": 0, "unmanaged": 1, "errors": 1,
        "new": 1, "known": 1, "resolved": 1, "checks": 1,
        "references": {"judged": 3, "not_judged": 1}},
      "resources": [
        {"target": "111111111111/us-east-1", "kind": "aws_sqs_queue", "id": "jobs",
         "status": "modified", "reference": "golden,terraform", "partial": true,
         "changes": [{"path": "/VisibilityTimeout", "op": "changed", "expected": 30, "actual": 60},
                     {"path": "/Tags/team", "op": "added", "actual": "x"}],
         "first_seen": "2026-11-29T02:00:00Z", "new": false},
        {"target": "111111111111/us-east-1", "kind": "aws_iam_role", "id": "r",
         "status": "unmanaged", "reference": "terraform", "new": true}
      ],
      "errors": [{"target": "111111111111/us-east-1", "kind": "aws_ecs_service",
                  "message": "AccessDenied"}],
      "not_checked": [{"type": "aws_s3_bucket", "count": 2}],
      "coverage": {"live": 2, "described": 1, "percent": 50.0},
      "accounts": [{"target": "111111111111/us-east-1", "account": "111111111111",
                    "partition": "aws", "region": "us-east-1"}],
      "checked_at": "2026-11-30T02:00:00Z",
      "resolved": [{"target": "111111111111/us-east-1", "kind": "aws_sqs_queue", "id": "old",
                    "status": "missing", "reference": "golden"}],
      "checks": [{"check": "task-role", "severity": "error", "kind": "aws_ecs_task_definition",
                  "id": "web", "subject": "arn:aws:iam::111111111111:role/gone",
                  "message": "gone", "target": "111111111111/us-east-1"}],
      "not_judged": [{"check": "queue-access", "kind": "aws_ecs_task_definition", "id": "web",
                      "subject": "q", "reason": "other-account", "message": "elsewhere"}],
      "shard": {"index": 2, "count": 3, "plan_id": "ab"},
      "targets": [{"account": "111111111111", "region": "us-east-1", "status": "ok"},
                  {"account": "222222222222", "region": null, "status": "error",
                   "error": "sts:AssumeRole failed (AccessDenied)"}]
    }"#;

    #[test]
    fn a_report_reads_back_into_the_same_json() {
        let report = Report::from_json(FULL).unwrap();
        let again: serde_json::Value =
            serde_json::from_str(&crate::report::json::render(&report)).unwrap();
        let given: serde_json::Value = serde_json::from_str(FULL).unwrap();
        assert_eq!(again, given);
        assert!(report.has_broken_references());
        assert_eq!(report.resources[1].seen.as_ref().map(|s| s.new), Some(true));
    }
}
