//! Stage: report. The [`Report`] is data: what was compared and what differs. Renderers (one
//! file per format) only read it.

pub mod console;
pub mod driftignore;
pub mod github;
pub mod group;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod words;

use serde::Serialize;
use serde_json::Value;

use crate::model::{Kind, Resource};

/// The version of the JSON report. Changes only with a new version.
pub const SCHEMA: &str = "driftwatch.report/v1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Added,
    Removed,
    Changed,
}

/// One difference inside a document. `expected` is absent for `added`, `actual` for `removed`.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
pub struct ResourceReport {
    /// The target (account and region) of `driftwatch.toml`, when there are several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub kind: Kind,
    pub id: String,
    pub status: Status,
    pub reference: String,
    /// The reference manages only part of the resource (rules of a group managed elsewhere, an
    /// inline policy of such a role, a queue's policy): only those parts were compared.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// The two canonical documents, for renderers that show a diff. Not part of the JSON schema.
    #[serde(skip)]
    pub expected: Option<Resource>,
    #[serde(skip)]
    pub actual: Option<Resource>,
}

/// A kind (or the whole run, when `kind` is absent) that could not be checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    pub message: String,
}

/// A Terraform type found in a state but not compared, with its instance count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotChecked {
    #[serde(rename = "type")]
    pub r#type: String,
    pub count: usize,
}

/// The share of the account's resources (of the kinds checked) that some reference describes.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
            .map(|r| (r.kind, r.id.as_str()))
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        let unmanaged = report.summary.unmanaged;
        let described = live - unmanaged;
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

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub in_sync: usize,
    pub modified: usize,
    pub missing: usize,
    pub unmanaged: usize,
    pub errors: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub summary: Summary,
    pub resources: Vec<ResourceReport>,
    pub errors: Vec<ErrorEntry>,
    /// Terraform types in the states that driftwatch does not map (only with a state reference).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_checked: Vec<NotChecked>,
    /// How much of the account the references describe (only with a state reference).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
    /// What the references were compared with ("the account (us-east-1)", a snapshot folder).
    #[serde(skip)]
    pub actual_source: String,
    /// The references, as people name them (`golden/`, `demo/terraform.tfstate`).
    #[serde(skip)]
    pub references: Vec<String>,
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
        };
        Report {
            schema: SCHEMA,
            summary,
            resources,
            errors,
            not_checked: Vec::new(),
            coverage: None,
            actual_source: actual_source.to_string(),
            references: Vec::new(),
        }
    }

    pub fn has_drift(&self) -> bool {
        self.drifted().next().is_some()
    }

    /// Resources whose status is anything but `in_sync`, in report order.
    pub fn drifted(&self) -> impl Iterator<Item = &ResourceReport> {
        self.resources.iter().filter(|r| r.status != Status::InSync)
    }
}

/// The canonical document as it is written to golden files and shown in diffs: pretty-printed
/// with sorted keys and a trailing newline.
pub fn pretty(doc: &Value) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_default();
    s.push('\n');
    s
}

/// What a line of a unified diff is, so each renderer can style it its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    Header,
    Hunk,
    Context,
    Removed,
    Added,
}

/// The unified diff (3 lines of context, line-end commas left out) between a modified resource's two canonical documents,
/// line by line without trailing newlines. Empty for resources that are not `modified`.
pub fn unified_diff(r: &ResourceReport) -> Vec<(Line, String)> {
    let (Some(e), Some(a)) = (&r.expected, &r.actual) else {
        return Vec::new();
    };
    if r.status != Status::Modified {
        return Vec::new();
    }
    let (old, new) = (uncomma(&pretty(&e.document)), uncomma(&pretty(&a.document)));
    let diff = similar::TextDiff::from_lines(&old, &new);
    let mut out = vec![
        (Line::Header, format!("--- {}", e.origin.0)),
        (Line::Header, format!("+++ {}", a.origin.0)),
    ];
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        out.push((Line::Hunk, hunk.header().to_string()));
        for change in hunk.iter_changes() {
            let (kind, sign) = match change.tag() {
                similar::ChangeTag::Equal => (Line::Context, ' '),
                similar::ChangeTag::Delete => (Line::Removed, '-'),
                similar::ChangeTag::Insert => (Line::Added, '+'),
            };
            let text = change.value().trim_end_matches('\n');
            out.push((kind, format!("{sign}{text}")));
        }
    }
    out
}

/// Pretty JSON without the commas at line ends: in a diff, a changed value is then one changed
/// line, not also its neighbour gaining or losing a comma (`-  },` / `+  }`).
fn uncomma(pretty: &str) -> String {
    let mut out = String::with_capacity(pretty.len());
    for line in pretty.lines() {
        out.push_str(line.strip_suffix(',').unwrap_or(line));
        out.push('\n');
    }
    out
}

/// One line saying where a drifted resource stands, for renderers that show no diff for it.
pub fn describe(report: &Report, r: &ResourceReport) -> String {
    match r.status {
        Status::Missing => format!(
            "described in {}, not found in {}",
            origin(&r.expected),
            report.actual_source
        ),
        Status::Unmanaged => format!(
            "found in {}, {}",
            report.actual_source,
            unmanaged(report, r)
        ),
        Status::Modified => match r.changes.len() {
            1 => "1 change".to_string(),
            n => format!("{n} changes"),
        },
        Status::InSync => "in sync".to_string(),
    }
}

/// `not described in golden/`, `described by neither golden/ nor x.tfstate`.
fn unmanaged(report: &Report, r: &ResourceReport) -> String {
    let names: Vec<String> = if report.references.is_empty() {
        r.reference.split(',').map(String::from).collect()
    } else {
        report.references.clone()
    };
    match names.as_slice() {
        [one] => format!("not described in {one}"),
        [a, b] => format!("described by neither {a} nor {b}"),
        more => format!("described by none of {}", more.join(", ")),
    }
}

/// What people read after a resource compared as a partial claim.
pub const PARTIAL_NOTE: &str = " (partial: only what this state manages)";

/// [`PARTIAL_NOTE`] for a partial claim, else nothing.
pub fn partial_note(r: &ResourceReport) -> &'static str {
    if r.partial {
        PARTIAL_NOTE
    } else {
        ""
    }
}

fn origin(res: &Option<Resource>) -> &str {
    res.as_ref().map(|x| x.origin.0.as_str()).unwrap_or("")
}
