//! What the checks make of an inventory: findings (in `mod.rs`, the report's `checks`), the
//! references not judged and why, and which references were judged.

use serde::Serialize;

use super::{CheckId, Finding};
use crate::model::Kind;

/// Why a reference was not judged: what would be needed is not in the inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// The source does not describe the resource referred to, or a policy document the answer
    /// depends on (a Terraform state holds its own resources only).
    NotDescribed,
    /// The kind was not read (`--kind`, a fetch that failed).
    NotRead,
    /// The resource is in another account.
    OtherAccount,
    /// The resource is in another region.
    OtherRegion,
    /// The source describes only part of the resource, not the part the check reads (a role
    /// known from its policy attachments alone).
    Partial,
    /// An image in a registry that is not this account's ECR (Docker Hub, ECR Public): not
    /// read.
    OtherRegistry,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NotDescribed => "not-described",
            Reason::NotRead => "not-read",
            Reason::OtherAccount => "other-account",
            Reason::OtherRegion => "other-region",
            Reason::Partial => "partial",
            Reason::OtherRegistry => "other-registry",
        }
    }
}

/// A reference the inventory cannot decide, and why. Serialized as an item of the JSON report's
/// `not_judged` array.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotJudged {
    pub check: CheckId,
    /// The resource holding the reference.
    pub kind: Kind,
    pub id: String,
    /// What it references.
    pub subject: String,
    pub reason: Reason,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// What the checks made of one inventory: the broken references, those not judged, and those
/// judged (a check and a reference), broken or not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub not_judged: Vec<NotJudged>,
    /// The resource holding each judged reference, by check.
    pub judged: Vec<(CheckId, Kind, String)>,
}

impl Outcome {
    /// Keeps what is held by resources `keep` accepts (for a check, kind and id).
    pub fn retain(&mut self, keep: impl Fn(CheckId, Kind, &str) -> bool) {
        self.findings.retain(|f| keep(f.check, f.kind, &f.id));
        self.not_judged.retain(|n| keep(n.check, n.kind, &n.id));
        self.judged.retain(|(c, k, id)| keep(*c, *k, id));
    }

    /// Names the target every finding and not-judged reference belongs to.
    pub fn set_target(&mut self, target: &str) {
        for f in &mut self.findings {
            f.target = Some(target.to_string());
        }
        for n in &mut self.not_judged {
            n.target = Some(target.to_string());
        }
    }

    /// Another inventory's outcome added to this one.
    pub fn extend(&mut self, other: Outcome) {
        self.findings.extend(other.findings);
        self.not_judged.extend(other.not_judged);
        self.judged.extend(other.judged);
    }
}
