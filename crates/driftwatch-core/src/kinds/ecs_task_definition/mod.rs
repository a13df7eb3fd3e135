//! `aws_ecs_task_definition`: the latest ACTIVE revision of each family.

pub mod normalize;
mod schema;
pub mod terraform;

use super::Def;
use crate::model::{Identity, Kind};

/// Terraform imports a task definition by its ARN with the revision
/// (`arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION`). Only the document AWS
/// returned holds it (bare, or wrapped as `DescribeTaskDefinition` answers): the canonical form
/// drops both, so a snapshot folder cannot tell it.
fn import_id(_: &str, doc: &serde_json::Value, _: Option<&Identity>) -> Option<String> {
    let td = doc.get("taskDefinition").unwrap_or(doc);
    td.get("taskDefinitionArn")?.as_str().map(String::from)
}

pub static DEF: Def = Def {
    kind: Kind::EcsTaskDefinition,
    name: "aws_ecs_task_definition",
    noun: "task definition family",
    id: "the family (its latest ACTIVE revision is compared)",
    name_field: None,
    global: false,
    actions: &[
        "ecs:ListTaskDefinitionFamilies",
        "ecs:ListTaskDefinitions",
        "ecs:DescribeTaskDefinition",
        // Tags of the revisions served from the revision cache.
        "tag:GetResources",
    ],
    // Shared with services, which compare against the latest revisions it finds.
    normalize: normalize::normalize,
    normalize_raw: normalize::normalize_raw,
    terraform_types: &[schema::TASK_DEFINITION],
    related: &[],
    from_terraform: |a| terraform::from_terraform(&a),
    derived: &[],
    is_aws_owned: super::none_aws_owned,
    import_id,
};
