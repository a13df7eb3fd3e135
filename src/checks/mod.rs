//! Cross-resource checks: is one inventory consistent with itself? Task definitions naming
//! queues and roles that exist, roles that trust ECS, task roles allowed to use their queues,
//! deployers allowed to pass the task roles, redrive targets, and services and security group
//! rules naming what exists. Pure: an [`Inventory`] (plus what the checks alone need: the
//! documents of AWS-managed policies, the deployer roles named in `driftwatch.toml`) in, an
//! [`Outcome`] out.
//!
//! Open world: an inventory is whole only for the kinds it holds every resource of (the live
//! account; a snapshot folder, for the kinds its `source.json` records). A Terraform state
//! describes its own resources, not the account, so a reference to one it does not hold, to
//! another account or region, or to the part of a resource a partial reference does not state,
//! is **not judged** ([`NotJudged`]): listed with its reason, never an error, never silence.

mod access;
mod arn;
mod ecs;
mod network;
mod sqs;
#[cfg(test)]
mod tests;

pub use arn::place_of_attributes;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::{Identity, Inventory, Kind, Place, Resource};

/// The checks, by the id users write in `driftwatch.toml` and ignore rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckId {
    EnvReference,
    TaskRole,
    QueueAccess,
    PassRole,
    Redrive,
    ServiceReference,
    GroupReference,
}

impl CheckId {
    pub const ALL: &'static [CheckId] = &[
        CheckId::EnvReference,
        CheckId::TaskRole,
        CheckId::QueueAccess,
        CheckId::PassRole,
        CheckId::Redrive,
        CheckId::ServiceReference,
        CheckId::GroupReference,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::EnvReference => "env-reference",
            CheckId::TaskRole => "task-role",
            CheckId::QueueAccess => "queue-access",
            CheckId::PassRole => "pass-role",
            CheckId::Redrive => "redrive",
            CheckId::ServiceReference => "service-reference",
            CheckId::GroupReference => "group-reference",
        }
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CheckId {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CheckId::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                let known: Vec<&str> = CheckId::ALL.iter().map(|c| c.as_str()).collect();
                format!("unknown check `{s}` (known checks: {})", known.join(", "))
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Broken: exits 1 like drift.
    Error,
    /// Depends on the request (a condition): reported, exit 0.
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One broken reference. Serialized as an item of the JSON report's `checks` array.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub check: CheckId,
    pub severity: Severity,
    /// The resource holding the reference.
    pub kind: Kind,
    pub id: String,
    /// What it references: a queue, a role ARN, a security group.
    pub subject: String,
    pub message: String,
    /// The `driftwatch.toml` target, when there are several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

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
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NotDescribed => "not-described",
            Reason::NotRead => "not-read",
            Reason::OtherAccount => "other-account",
            Reason::OtherRegion => "other-region",
            Reason::Partial => "partial",
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

/// What the checks need besides the inventory.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// Account, partition and region the inventory describes (live: the caller's; a golden
    /// folder: its record). Unknown for a state: then read from the ARNs of its own resources.
    pub identity: Option<Identity>,
    /// Where the inventory is when neither its identity nor its resources say (`verify
    /// --account`, `--region` on a state without ARNs).
    pub assumed: Place,
    /// Documents of AWS-managed policies by ARN (live only; the inventory leaves them out as
    /// AWS-owned). A role attaching one that is not here is "cannot tell", never "allowed".
    pub aws_managed: BTreeMap<String, Value>,
}

/// `[checks]` of `driftwatch.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Off entirely (`enabled = false`), default on.
    pub enabled: Option<bool>,
    /// Checks not to run.
    #[serde(default)]
    pub disable: Vec<CheckId>,
    /// Roles (names) that deploy, besides those allowed `ecs:RegisterTaskDefinition`.
    #[serde(default)]
    pub deployers: Vec<String>,
    /// A severity for every finding of a check.
    #[serde(default)]
    pub severity: BTreeMap<CheckId, Severity>,
}

impl Options {
    pub fn is_on(&self) -> bool {
        self.enabled != Some(false)
    }
}

/// Every enabled check over `inv`: findings and not-judged references sorted by check, kind,
/// id and subject.
pub fn run(inv: &Inventory, extras: &Extras, options: &Options) -> Outcome {
    if !options.is_on() {
        return Outcome::default();
    }
    let cx = Cx {
        inv,
        extras,
        at: place_of_inventory(inv, extras),
        options,
    };
    let mut out = Out {
        check: CheckId::EnvReference,
        options,
        outcome: Outcome::default(),
    };
    for check in CheckId::ALL {
        if options.disable.contains(check) {
            continue;
        }
        out.check = *check;
        match check {
            CheckId::EnvReference => ecs::env_reference(&cx, &mut out),
            CheckId::TaskRole => ecs::task_role(&cx, &mut out),
            CheckId::QueueAccess => access::queue_access(&cx, &mut out),
            CheckId::PassRole => access::pass_role(&cx, &mut out),
            CheckId::Redrive => sqs::redrive(&cx, &mut out),
            CheckId::ServiceReference => network::service_reference(&cx, &mut out),
            CheckId::GroupReference => network::group_reference(&cx, &mut out),
        }
    }
    let mut outcome = out.outcome;
    outcome.findings.sort_by(|a, b| {
        (a.check, a.kind, &a.id, &a.subject).cmp(&(b.check, b.kind, &b.id, &b.subject))
    });
    outcome.findings.dedup();
    outcome.not_judged.sort_by(|a, b| {
        (a.check, a.kind, &a.id, &a.subject).cmp(&(b.check, b.kind, &b.id, &b.subject))
    });
    outcome.not_judged.dedup();
    outcome
}

/// Where the inventory is: its identity when known, else what the places of its resources
/// agree on (a state's ARNs), else what the caller assumed. Parts still unknown match anything.
fn place_of_inventory(inv: &Inventory, extras: &Extras) -> Place {
    if let Some(i) = &extras.identity {
        return Place::from(i);
    }
    let only = |part: fn(&Place) -> Option<&String>| {
        let mut seen = inv.places.values().filter_map(|p| part(p));
        let first = seen.next()?;
        seen.all(|x| x == first).then(|| first.clone())
    };
    let agreed = Place {
        partition: only(|p| p.partition.as_ref()),
        account: only(|p| p.account.as_ref()),
        region: only(|p| p.region.as_ref()),
    };
    agreed.or(&extras.assumed)
}

/// The AWS-managed policies whose documents the checks need: those attached to (or bounding)
/// the task roles of the task definitions and the deployers named in `options`. Other roles'
/// AWS-managed policies are not fetched: a role that could register task definitions only
/// through one of them is not recognized as a deployer (name it in `deployers`).
pub fn aws_managed_wanted(inv: &Inventory, options: &Options) -> Vec<String> {
    if !options.is_on() {
        return Vec::new();
    }
    let mut roles: Vec<&str> = options.deployers.iter().map(String::as_str).collect();
    for (_, r) in inv.of_kind(Kind::EcsTaskDefinition) {
        let task_role = r.document.get("taskRoleArn").and_then(Value::as_str);
        roles.extend(task_role.and_then(arn::role).map(|(_, name)| name));
    }
    let mut arns: Vec<String> = Vec::new();
    for name in roles {
        let Some(r) = inv.resources.get(&(Kind::IamRole, name.to_string())) else {
            continue;
        };
        let attached = r
            .document
            .get("AttachedManagedPolicies")
            .and_then(Value::as_array);
        let boundary = r.document.get("PermissionsBoundary");
        let all = attached.into_iter().flatten().chain(boundary);
        arns.extend(
            all.filter_map(Value::as_str)
                .filter(|a| arn::Arn::parse(a).is_some_and(|p| p.account == "aws"))
                .map(str::to_string),
        );
    }
    arns.sort();
    arns.dedup();
    arns
}

/// What every check reads.
struct Cx<'a> {
    inv: &'a Inventory,
    extras: &'a Extras,
    /// Where the inventory is (see [`place_of_inventory`]).
    at: Place,
    options: &'a Options,
}

/// A reference to a resource: its kind and id, and the account and region it names, if any
/// (a queue URL names both, a role ARN its account, a security group id neither).
struct Ref<'a> {
    kind: Kind,
    id: &'a str,
    account: Option<&'a str>,
    region: Option<&'a str>,
}

impl<'a> Ref<'a> {
    fn role(account: &'a str, name: &'a str) -> Self {
        Ref {
            kind: Kind::IamRole,
            id: name,
            account: Some(account),
            region: None,
        }
    }

    fn queue(q: &'a arn::QueueRef) -> Self {
        Ref {
            kind: Kind::SqsQueue,
            id: &q.name,
            account: Some(&q.account),
            region: q.region.as_deref(),
        }
    }

    fn local(kind: Kind, id: &'a str) -> Self {
        Ref {
            kind,
            id,
            account: None,
            region: None,
        }
    }

    /// "role app-task", "queue jobs", for messages.
    fn what(&self) -> String {
        let noun = match self.kind {
            Kind::IamRole => "role",
            Kind::IamPolicy => "policy",
            Kind::SqsQueue => "queue",
            Kind::SecurityGroup => "security group",
            Kind::EcsTaskDefinition => "task definition family",
            Kind::EcsService => "service",
        };
        format!("{noun} {}", self.id)
    }
}

/// What the inventory says of a reference.
enum Found<'a> {
    Here(&'a Resource),
    /// It does not exist: the inventory holds every resource of its kind.
    Absent,
    /// The inventory cannot tell; the words say why.
    Unknown(Reason, String),
}

impl Cx<'_> {
    /// Where a resource is: its own place if the source says it, else the inventory's.
    fn place_of(&self, kind: Kind, id: &str) -> Place {
        match self.inv.places.get(&(kind, id.to_string())) {
            Some(p) => p.or(&self.at),
            None => self.at.clone(),
        }
    }

    /// Looks up what a resource at `from` refers to. Another account or region than `from`'s
    /// is not judged; so is a resource of an open kind (a state's) that is not here, and one
    /// here whose own place is not the one referred to (a namesake in another account).
    fn find(&self, from: &Place, r: &Ref) -> Found<'_> {
        let differs = |mine: &Option<String>, theirs: Option<&str>| matches!((mine, theirs), (Some(m), Some(t)) if m != t);
        if differs(&from.account, r.account) {
            let mine = from.account.as_deref().unwrap_or_default();
            let theirs = r.account.unwrap_or_default();
            return Found::Unknown(
                Reason::OtherAccount,
                format!("{} is in account {theirs}, not this one ({mine})", r.what()),
            );
        }
        if !r.kind.is_global() && differs(&from.region, r.region) {
            let mine = from.region.as_deref().unwrap_or_default();
            let theirs = r.region.unwrap_or_default();
            return Found::Unknown(
                Reason::OtherRegion,
                format!("{} is in region {theirs}, not this one ({mine})", r.what()),
            );
        }
        if !self.inv.kinds.contains(&r.kind) {
            return Found::Unknown(
                Reason::NotRead,
                format!("no {} was read from {}", r.kind, self.inv.source),
            );
        }
        let key = (r.kind, r.id.to_string());
        // A namesake elsewhere (a state of two accounts) is not the resource referred to.
        let elsewhere = self.inv.places.get(&key).filter(|place| {
            let account = r.account.or(from.account.as_deref());
            let region = r.region.or(from.region.as_deref());
            differs(&place.account, account)
                || (!r.kind.is_global() && differs(&place.region, region))
        });
        if let Some(place) = elsewhere {
            let mut at = String::new();
            if let Some(a) = &place.account {
                at.push_str(&format!(" of account {a}"));
            }
            if let (Some(region), false) = (&place.region, r.kind.is_global()) {
                at.push_str(&format!(" in {region}"));
            }
            return Found::Unknown(
                Reason::NotDescribed,
                format!("{} describes only the {}{at}", self.inv.source, r.what()),
            );
        }
        match self.inv.resources.get(&key) {
            Some(resource) => Found::Here(resource),
            None if self.inv.is_whole(r.kind) => Found::Absent,
            None => Found::Unknown(
                Reason::NotDescribed,
                format!("{} does not describe {}", self.inv.source, r.what()),
            ),
        }
    }

    fn doc(&self, kind: Kind, id: &str) -> Option<&Value> {
        self.inv
            .resources
            .get(&(kind, id.to_string()))
            .map(|r| &r.document)
    }
}

/// Where the checks put what they make of each reference, for the check running.
struct Out<'a> {
    check: CheckId,
    options: &'a Options,
    outcome: Outcome,
}

impl Out<'_> {
    /// A reference of the resource `kind` `id` judged, and sound.
    fn judged(&mut self, kind: Kind, id: &str) {
        self.outcome.judged.push((self.check, kind, id.to_string()));
    }

    /// A reference judged broken (the severity `driftwatch.toml` sets for the check wins).
    fn finding(
        &mut self,
        severity: Severity,
        kind: Kind,
        id: &str,
        subject: &str,
        message: String,
    ) {
        self.judged(kind, id);
        let severity = self
            .options
            .severity
            .get(&self.check)
            .copied()
            .unwrap_or(severity);
        self.outcome.findings.push(Finding {
            check: self.check,
            severity,
            kind,
            id: id.to_string(),
            subject: subject.to_string(),
            message,
            target: None,
        });
    }

    fn not_judged(&mut self, reason: Reason, kind: Kind, id: &str, subject: &str, message: String) {
        self.outcome.not_judged.push(NotJudged {
            check: self.check,
            kind,
            id: id.to_string(),
            subject: subject.to_string(),
            reason,
            message,
            target: None,
        });
    }
}
