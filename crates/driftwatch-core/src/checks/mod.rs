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
mod addresses;
mod backend;
#[cfg(test)]
mod backend_tests;
mod db;
#[cfg(test)]
mod deps_tests;
mod ecs;
#[cfg(test)]
mod edge_tests;
mod grants;
mod images;
mod lb;
mod logs;
mod lookup;
pub mod names;
mod network;
mod outcome;
mod secrets;
mod service_task;
mod sqs;
#[cfg(test)]
mod tests;

pub use backend::Backend;
pub use images::{images_wanted, stale_service_revisions, Images};

pub use outcome::{NotJudged, Outcome, Reason};

use lookup::{place_of_inventory, Cx, Found, Out, Ref};

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::arn;
use crate::model::{Identity, Inventory, Kind, Place};

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
    ImageReference,
    LogReference,
    SecretReference,
    StateBackend,
    LbReference,
    DbReference,
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
        CheckId::ImageReference,
        CheckId::LogReference,
        CheckId::SecretReference,
        CheckId::StateBackend,
        CheckId::LbReference,
        CheckId::DbReference,
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
            CheckId::ImageReference => "image-reference",
            CheckId::LogReference => "log-reference",
            CheckId::SecretReference => "secret-reference",
            CheckId::StateBackend => "state-backend",
            CheckId::LbReference => "lb-reference",
            CheckId::DbReference => "db-reference",
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
    /// What the account's ECR repositories hold of the images the task definitions run: `Some`
    /// exactly when the inventory was read from the account (a golden folder or a state holds
    /// no images, so offline a tag is not judged).
    pub images: Option<Images>,
    /// The task definition revisions services run that are not their family's latest ACTIVE
    /// one (live only): what their tasks need is judged too.
    pub service_revisions: ServiceRevisions,
    /// The S3 states the run reads and the lock table named beside them (`state-backend`).
    pub backend: Backend,
    /// The Terraform import id of each resource read from the account (live only): for the
    /// load balancer kinds, whose canonical documents drop them, the ARN. A service names its
    /// target group by ARN: the one of that name now is the one it names only if they agree.
    pub import_ids: BTreeMap<(Kind, String), String>,
    /// The subnets services place their tasks in: `Some` exactly when the inventory was read
    /// from the account (a golden folder or a state holds no subnets).
    pub subnets: Option<Subnets>,
}

/// The subnets services name, as the account describes them.
#[derive(Debug, Clone, Default)]
pub struct Subnets {
    pub read: BTreeMap<String, Subnet>,
    /// Why they could not be read, when they could not: what depends on them is not judged.
    pub unread: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subnet {
    pub vpc: String,
    /// The IPv4 range (`10.0.3.0/24`); none for an IPv6-only subnet.
    pub cidr: Option<String>,
}

/// The subnets the services of `inv` place their tasks in: what `Extras::subnets` needs.
pub fn subnets_wanted(inv: &Inventory) -> Vec<String> {
    let mut out: Vec<String> = inv
        .of_kind(Kind::EcsService)
        .flat_map(|(_, r)| service_task::subnets(&r.document))
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The revisions services run that are not their family's latest ACTIVE one, by service id
/// (`cluster/service`).
#[derive(Debug, Clone, Default)]
pub struct ServiceRevisions {
    /// Canonical documents of those read.
    pub read: BTreeMap<String, Value>,
    /// `(family:revision, why)` of those that could not be read: not judged, said so.
    pub unread: BTreeMap<String, (String, String)>,
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
            CheckId::ImageReference => images::image_reference(&cx, &mut out),
            CheckId::LogReference => logs::log_reference(&cx, &mut out),
            CheckId::SecretReference => secrets::secret_reference(&cx, &mut out),
            CheckId::StateBackend => backend::state_backend(&cx, &mut out),
            CheckId::LbReference => lb::lb_reference(&cx, &mut out),
            CheckId::DbReference => db::db_reference(&cx, &mut out),
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

/// The AWS-managed policies whose documents the checks need: those attached to (or bounding)
/// the task and execution roles of the task definitions and the deployers named in `options`. Other roles'
/// AWS-managed policies are not fetched: a role that could register task definitions only
/// through one of them is not recognized as a deployer (name it in `deployers`).
pub fn aws_managed_wanted(inv: &Inventory, options: &Options) -> Vec<String> {
    if !options.is_on() {
        return Vec::new();
    }
    let mut roles: Vec<&str> = options.deployers.iter().map(String::as_str).collect();
    for (_, r) in inv.of_kind(Kind::EcsTaskDefinition) {
        for field in ["taskRoleArn", "executionRoleArn"] {
            let role = r.document.get(field).and_then(Value::as_str);
            roles.extend(role.and_then(arn::role).map(|(_, name)| name));
        }
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
