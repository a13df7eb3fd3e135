//! `aws_ecs_service`: every service of every cluster, with the latest revision of its task
//! definition's family when it runs an older one.

pub mod normalize;
pub mod terraform;

use super::Def;
use crate::model::Kind;

pub static DEF: Def = Def {
    kind: Kind::EcsService,
    name: "aws_ecs_service",
    id: "`cluster/service`",
    global: false,
    actions: &[
        "ecs:ListClusters",
        "ecs:ListServices",
        "ecs:DescribeServices",
        "ecs:ListTaskDefinitions",
    ],
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &["aws_ecs_service"],
    from_terraform: |a| terraform::from_terraform(&a),
    is_aws_owned: super::none_aws_owned,
    import_id: super::import_by_id,
};
