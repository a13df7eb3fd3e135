//! Cross-resource checks: is one inventory consistent with itself? Task definitions naming
//! queues and roles that exist, roles that trust ECS, task roles allowed to use their queues,
//! deployers allowed to pass the task roles, redrive targets, and services and security group
//! rules naming what exists. Pure: an [`Inventory`] (plus what the checks alone need: the
//! documents of AWS-managed policies, the deployer roles named in `driftwatch.toml`) in,
//! [`Finding`]s out. A reference to a kind that is not in the inventory (`--kind`), or to
//! another account or region, is not judged: it cannot be known from here.

mod access;
mod arn;
mod ecs;
mod network;
mod sqs;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::{Identity, Inventory, Kind};

pub use arn::Where;

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
    /// Cannot be told for sure (a condition, a document not available): reported, exit 0.
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

/// What the checks need besides the inventory.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// Account, partition and region the inventory describes (live: the caller's; a golden
    /// folder: its record). Unknown for a state: then taken from the ARNs the inventory holds.
    pub identity: Option<Identity>,
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

/// Every enabled check over `inv`, findings sorted by check, kind, id and subject.
pub fn run(inv: &Inventory, extras: &Extras, options: &Options) -> Vec<Finding> {
    if !options.is_on() {
        return Vec::new();
    }
    let at = Where::of(inv, extras.identity.as_ref());
    let cx = Cx {
        inv,
        extras,
        at: &at,
        options,
    };
    let mut out = Vec::new();
    for check in CheckId::ALL {
        if options.disable.contains(check) {
            continue;
        }
        let found = match check {
            CheckId::EnvReference => ecs::env_reference(&cx),
            CheckId::TaskRole => ecs::task_role(&cx),
            CheckId::QueueAccess => access::queue_access(&cx),
            CheckId::PassRole => access::pass_role(&cx),
            CheckId::Redrive => sqs::redrive(&cx),
            CheckId::ServiceReference => network::service_reference(&cx),
            CheckId::GroupReference => network::group_reference(&cx),
        };
        out.extend(found.into_iter().map(|mut f| {
            if let Some(s) = options.severity.get(check) {
                f.severity = *s;
            }
            f
        }));
    }
    out.sort_by(|a, b| {
        (a.check, a.kind, &a.id, &a.subject).cmp(&(b.check, b.kind, &b.id, &b.subject))
    });
    out.dedup();
    out
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
    at: &'a Where,
    options: &'a Options,
}

impl Cx<'_> {
    /// Whether the inventory can tell that a resource of `kind` exists or not.
    fn covers(&self, kind: Kind) -> bool {
        self.inv.kinds.contains(&kind)
    }

    fn doc(&self, kind: Kind, id: &str) -> Option<&Value> {
        self.inv
            .resources
            .get(&(kind, id.to_string()))
            .map(|r| &r.document)
    }
}

fn finding(
    check: CheckId,
    severity: Severity,
    kind: Kind,
    id: &str,
    subject: &str,
    message: String,
) -> Finding {
    Finding {
        check,
        severity,
        kind,
        id: id.to_string(),
        subject: subject.to_string(),
        message,
        target: None,
    }
}
