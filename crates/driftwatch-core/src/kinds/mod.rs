//! The resource kinds, one module each. A kind's module exports `DEF`: everything driftwatch
//! knows about the kind (its name and ids, global or regional, the API actions its fetch calls,
//! how it is normalized and mapped from Terraform, which AWS-owned resources it leaves out). How
//! it is fetched is the binary's (`src/aws/kinds/`, one fetch a kind).
//! Every loop over kinds (live fetch, normalize, `policy`, Terraform mapping, scope) reads these
//! definitions through [`Kind::def`], so a kind declared in [`Kind`] without a definition does
//! not compile, and a definition is fetched, normalized and mapped wherever kinds are.
//!
//! A kind's folder is its home: `mod.rs` (the definition), `normalize.rs`, `terraform.rs` (its
//! Terraform mapping), `schema.rs` (its Terraform types' tables, see [`TerraformType`]) and,
//! for a kind that related Terraform types fold into, `related.rs` (their claims). Shared
//! plumbing stays in its stage (`normalize/mod.rs`, `terraform/map.rs`), which reaches a kind
//! only through its definition. The recipe for a new kind is in CONTRIBUTING.md.

pub mod cloudwatch_log_group;
pub mod db_instance;
pub mod db_parameter_group;
pub mod db_subnet_group;
pub mod dynamodb_table;
pub mod ecr_repository;
pub mod ecs_service;
pub mod ecs_task_definition;
pub mod iam_policy;
pub mod iam_role;
pub mod lb;
pub mod lb_listener;
pub mod lb_listener_rule;
pub mod lb_target_group;
pub mod rds_cluster;
pub mod s3_bucket;
pub mod secretsmanager_secret;
pub mod security_group;
pub mod sqs_queue;
pub mod ssm_parameter;

mod terraform_type;
#[cfg(test)]
mod tests;

pub use terraform_type::{
    by_terraform_type, related, related_type_names, terraform_type, terraform_types, Claim, Edit,
    Related, TerraformType,
};

use serde_json::Value;

use crate::model::{Identity, Kind};
use crate::normalize::Redaction;

/// `(id, raw document)` of each resource a fetch found, as the API returned it.
pub type Docs = Vec<(String, Value)>;

/// Everything about one resource kind.
pub struct Def {
    pub kind: Kind,
    /// The Terraform type users know it by: kind folder of golden files, `--kind`, reports.
    pub name: &'static str,
    /// What one is called in messages ("role app-task", "queue jobs").
    pub noun: &'static str,
    /// What identifies a resource of the kind (its id, also its golden file name).
    pub id: &'static str,
    /// The document field that names a resource better than its id, for Terraform identifiers
    /// in `import` blocks (a group's `GroupName`: its id is `sg-…`); `None`: the id does.
    pub name_field: Option<&'static str>,
    /// The same in every region of an account (IAM) rather than regional.
    pub global: bool,
    /// The IAM actions the fetch calls: `driftwatch policy` and the deadline's "still waiting
    /// for" are built from them, and a test checks them against the calls observed.
    pub actions: &'static [&'static str],
    /// The canonical document of a golden file (canonical or hand-written).
    pub normalize: fn(Value, &Redaction) -> Value,
    /// The canonical document of what AWS or Terraform holds (see `normalize::normalize_raw`).
    pub normalize_raw: fn(Value, &Redaction) -> Value,
    /// The Terraform types that describe a resource of this kind, with their tables.
    pub terraform_types: &'static [TerraformType],
    /// The Terraform types that describe a part of one, folded into it (none: `&[]`).
    pub related: &'static [Related],
    /// `(id, document in the API's shape)` of a Terraform instance's attributes; `None` when
    /// they do not identify one. Takes them by value, so a kind can move them into its
    /// document instead of copying them (what a state holds by the ten thousand, queues).
    pub from_terraform: fn(Value) -> Option<(String, Value)>,
    /// `(attribute, path)`: values the mapping builds from an attribute and may fail to (a
    /// service's role name becomes the ARN AWS reports only when the account is known). An
    /// instance with the attribute and nothing at the path cannot speak for the path.
    pub derived: &'static [(&'static str, &'static str)],
    /// Resources AWS creates and owns (given the canonical document): left out unless
    /// `--include-aws-managed`.
    pub is_aws_owned: fn(&Value) -> bool,
    /// The id Terraform's `import` takes for a resource of the kind, in the format the AWS
    /// provider documents (its `Import` section), from the resource's id, its document (as AWS
    /// returned it, or canonical) and the account it is in; `None` when they do not tell it.
    pub import_id: fn(&str, &Value, Option<&Identity>) -> Option<String>,
}

/// For kinds whose import id is their id (role name, `cluster/service`, group id).
pub(crate) fn import_by_id(id: &str, _: &Value, _: Option<&Identity>) -> Option<String> {
    Some(id.to_string())
}

/// For definitions whose kind has no AWS-owned resources.
pub(crate) fn none_aws_owned(_: &Value) -> bool {
    false
}
