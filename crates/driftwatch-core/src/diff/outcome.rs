//! The outcome of a comparison: the [`Report`] that [`super::compare`] returns, with its
//! statuses, changes and errors. It is the engine's output, so it lives beside the engine; the
//! renderers in `report/` only read it. Its serde form is the JSON report (`driftwatch.report/v1`),
//! so a field's name, order and presence here are part of the stable schema.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use crate::model::{Kind, Resource};

/// The version of the JSON report. Changes only with a new version.
pub const SCHEMA: &str = "driftwatch.report/v1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    InSync,
    Modified,
    Missing,
    Unmanaged,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InSync => "in_sync",
            Status::Modified => "modified",
            Status::Missing => "missing",
            Status::Unmanaged => "unmanaged",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Added,
    Removed,
    Changed,
}

/// One difference inside a document. `expected` is absent for `added`, `actual` for `removed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub path: String,
    pub op: Op,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<Value>,
}

impl Change {
    pub fn new(path: &str, op: Op, expected: Option<&Value>, actual: Option<&Value>) -> Self {
        Change {
            path: path.to_string(),
            op,
            expected: expected.cloned(),
            actual: actual.cloned(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResourceReport {
    /// The target (account and region) of `driftwatch.toml`, when there are several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub kind: Kind,
    pub id: String,
    pub status: Status,
    /// The reference compared with; for `unmanaged`, every reference of the run.
    pub reference: ReferenceKinds,
    /// The reference manages only part of the resource (rules of a group managed elsewhere, an
    /// inline policy of such a role, a queue's policy): only those parts were compared.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[serde(default)]
    pub partial: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// With history (`--history`, `--since`): whether this finding is new since the previous
    /// run, and since when it has been seen (`new`, `first_seen` in the JSON report).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub seen: Option<Seen>,
    /// The two canonical documents, for renderers that show a diff. Not part of the JSON schema.
    #[serde(skip)]
    pub expected: Option<Resource>,
    #[serde(skip)]
    pub actual: Option<Resource>,
}

/// How a finding stands against the previous run (history, `crate::history`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// RFC 3339; absent when the previous run does not say when it saw it first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
    /// Not in the previous run with the same fingerprint (same resource, same changes).
    pub new: bool,
}

/// A finding of the previous run that is gone now, its (target, kind) checked without error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolved {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub kind: String,
    pub id: String,
    /// Its status in the previous run.
    pub status: String,
    pub reference: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
}

/// What a resource is compared with: golden files or a Terraform state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferenceKind {
    Golden,
    Terraform,
}

impl ReferenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReferenceKind::Golden => "golden",
            ReferenceKind::Terraform => "terraform",
        }
    }
}

/// The references of one report entry, in the run's order. One for a described resource; every
/// reference of the run for an `unmanaged` one. The JSON report writes them as one string joined
/// by commas (`golden,terraform`), as schema v1 always has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceKinds(Vec<ReferenceKind>);

impl ReferenceKinds {
    pub fn new(kinds: Vec<ReferenceKind>) -> Self {
        ReferenceKinds(kinds)
    }

    /// True when `kind` is the only reference (a described resource compared with it).
    pub fn is_only(&self, kind: ReferenceKind) -> bool {
        self.0 == [kind]
    }

    pub fn iter(&self) -> impl Iterator<Item = ReferenceKind> + '_ {
        self.0.iter().copied()
    }
}

impl From<ReferenceKind> for ReferenceKinds {
    fn from(kind: ReferenceKind) -> Self {
        ReferenceKinds(vec![kind])
    }
}

impl fmt::Display for ReferenceKinds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, kind) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(kind.as_str())?;
        }
        Ok(())
    }
}

impl Serialize for ReferenceKinds {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The account, partition and region one target checked (`target` absent without targets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(flatten)]
    pub identity: crate::model::Identity,
}

/// A kind (or the whole run, when `kind` is absent) that could not be checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    pub message: String,
}

/// A Terraform type found in a state but not compared, with its instance count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotChecked {
    #[serde(rename = "type")]
    pub r#type: String,
    pub count: usize,
}

/// The share of the account's resources (of the kinds checked) that some reference describes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub live: usize,
    pub described: usize,
    pub percent: f64,
}

impl Coverage {
    pub fn of(report: &Report) -> Coverage {
        let live = report
            .resources
            .iter()
            .filter(|r| r.status != Status::Missing)
            .map(|r| (r.target.as_deref(), r.kind, r.id.as_str()))
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let unmanaged = report.summary.unmanaged;
        let described = live.saturating_sub(unmanaged);
        let percent = if live == 0 {
            100.0
        } else {
            (described as f64 * 1000.0 / live as f64).round() / 10.0
        };
        Coverage {
            live,
            described,
            percent,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub in_sync: usize,
    pub modified: usize,
    pub missing: usize,
    pub unmanaged: usize,
    pub errors: usize,
    /// With history: findings new since the previous run, known from it, and resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub known: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<usize>,
    /// Cross-resource check findings (present when there are some).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub checks: usize,
    /// How many references the cross-resource checks judged and how many they could not
    /// (present when there were some).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub references: Option<References>,
}

/// `summary.references`: references judged (a check and a reference, broken or sound) and not
/// judged (`not_judged`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct References {
    pub judged: usize,
    pub not_judged: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// [`SCHEMA`]. Named, so that serde's derive does not read the field as borrowed from the text.
pub type Schema = &'static str;

/// Its JSON form reads back ([`Report::from_json`]): `merge` renders shards' reports in every
/// format from it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    #[serde(deserialize_with = "super::read::schema")]
    pub schema: Schema,
    pub summary: Summary,
    pub resources: Vec<ResourceReport>,
    pub errors: Vec<ErrorEntry>,
    /// Terraform types in the states that driftwatch does not map (only with a state reference).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_checked: Vec<NotChecked>,
    /// How much of the account the references describe (only with a state reference).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
    /// The account, partition and region each target checked, when known (live, or a snapshot
    /// folder's `source.json`): a later `--since` compares only with a report of the same.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<Account>,
    /// With history: when this run checked (RFC 3339), so a later `--since` knows first seen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checked_at: Option<String>,
    /// With history: the previous run's findings that are gone now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<Vec<Resolved>>,
    /// Cross-resource check findings (`checks/`), present when there are some.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "super::read::findings")]
    pub checks: Vec<crate::checks::Finding>,
    /// References the checks could not judge from what they were given, each with its reason
    /// (present when there are some).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "super::read::not_judged")]
    pub not_judged: Vec<crate::checks::NotJudged>,
    /// A shard's report (`check --plan --shard K/N`): which shard of which plan it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<crate::org::ShardRef>,
    /// A merged report (`merge`): the plan and how many shards made it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge: Option<crate::org::MergeRef>,
    /// With a plan: each account and region checked (or not), sorted by account then region.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<crate::org::TargetStatus>,
    /// What the references were compared with ("the account (us-east-1)", a snapshot folder).
    #[serde(skip)]
    pub actual_source: String,
    /// The references, as people name them (`golden/`, `demo/terraform.tfstate`).
    #[serde(skip)]
    pub references: Vec<String>,
    /// The Terraform import id of resources on the actual side, by (target, kind, id), for the
    /// `terraform-import` format. Not part of the JSON schema.
    #[serde(skip)]
    pub import_ids: std::collections::BTreeMap<(Option<String>, Kind, String), String>,
    /// A `verify` report: cross-resource checks only, nothing compared.
    #[serde(skip)]
    pub checks_only: bool,
    /// With history: the runs of this scope and accounts, oldest first, this run last (a
    /// database's latest runs, or `--since`'s previous report and this run), for the HTML
    /// report's chart. Not part of the JSON schema: the database is its record.
    #[serde(skip)]
    pub trend: Vec<crate::history::rows::RunRow>,
}

impl Report {
    pub fn new(
        resources: Vec<ResourceReport>,
        errors: Vec<ErrorEntry>,
        actual_source: &str,
    ) -> Self {
        let count = |s: Status| resources.iter().filter(|r| r.status == s).count();
        let summary = Summary {
            in_sync: count(Status::InSync),
            modified: count(Status::Modified),
            missing: count(Status::Missing),
            unmanaged: count(Status::Unmanaged),
            errors: errors.len(),
            ..Summary::default()
        };
        Report {
            schema: SCHEMA,
            summary,
            resources,
            errors,
            not_checked: Vec::new(),
            coverage: None,
            accounts: Vec::new(),
            checked_at: None,
            resolved: None,
            actual_source: actual_source.to_string(),
            references: Vec::new(),
            import_ids: Default::default(),
            checks: Vec::new(),
            not_judged: Vec::new(),
            shard: None,
            merge: None,
            targets: Vec::new(),
            checks_only: false,
            trend: Vec::new(),
        }
    }

    /// Adds an error found after the comparison (the history could not be read or written).
    pub fn add_error(&mut self, error: ErrorEntry) {
        self.errors.push(error);
        self.summary.errors = self.errors.len();
    }

    /// Sets what the cross-resource checks made of the references, and its counts.
    pub fn set_checks(&mut self, outcome: crate::checks::Outcome) {
        self.summary.checks = outcome.findings.len();
        let references = References {
            judged: outcome.judged.len(),
            not_judged: outcome.not_judged.len(),
        };
        self.summary.references = (references != References::default()).then_some(references);
        self.checks = outcome.findings;
        self.not_judged = outcome.not_judged;
    }

    /// Whether a finding of error severity is there (it fails the run like drift).
    pub fn has_broken_references(&self) -> bool {
        self.checks
            .iter()
            .any(|f| f.severity == crate::checks::Severity::Error)
    }

    pub fn has_drift(&self) -> bool {
        self.drifted().next().is_some()
    }

    /// Resources whose status is anything but `in_sync`, in report order.
    pub fn drifted(&self) -> impl Iterator<Item = &ResourceReport> {
        self.resources.iter().filter(|r| r.status != Status::InSync)
    }
}
