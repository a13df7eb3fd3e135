//! `aws_ecs_task_definition`: the latest ACTIVE revision of each family.

pub mod normalize;
pub mod terraform;

use futures::FutureExt;

use super::Def;
use crate::model::Kind;

pub static DEF: Def = Def {
    kind: Kind::EcsTaskDefinition,
    name: "aws_ecs_task_definition",
    id: "the family (its latest ACTIVE revision is compared)",
    global: false,
    actions: &[
        "ecs:ListTaskDefinitionFamilies",
        "ecs:ListTaskDefinitions",
        "ecs:DescribeTaskDefinition",
        // Tags of the revisions served from the revision cache.
        "tag:GetResources",
    ],
    // Shared with services, which compare against the latest revisions it finds.
    fetch: |ctx| async move { ctx.task_definitions().await.clone() }.boxed(),
    normalize: normalize::normalize,
    normalize_raw: normalize::normalize_raw,
    terraform_types: &["aws_ecs_task_definition"],
    from_terraform: terraform::from_terraform,
    is_aws_owned: super::none_aws_owned,
};
