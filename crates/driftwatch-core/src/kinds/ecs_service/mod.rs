//! `aws_ecs_service`: every service of every cluster, with the latest revision of its task
//! definition's family when it runs an older one.

pub mod normalize;
mod schema;
pub mod terraform;

use super::Def;
use crate::model::Kind;

pub static DEF: Def = Def {
    kind: Kind::EcsService,
    name: "aws_ecs_service",
    noun: "service",
    id: "`cluster/service`",
    name_field: None,
    global: false,
    actions: &[
        "ecs:ListClusters",
        "ecs:ListServices",
        "ecs:DescribeServices",
        "ecs:ListTaskDefinitions",
        // The subnets services place their tasks in: their VPC and address range, for the load
        // balancer and database checks (src/aws/subnets.rs).
        "ec2:DescribeSubnets",
    ],
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::SERVICE],
    related: &[],
    from_terraform: |a| terraform::from_terraform(&a),
    // A role name becomes the ARN DescribeServices reports only when the state tells the
    // account (see `terraform::from_terraform`).
    derived: &[("iam_role", "/roleArn")],
    is_aws_owned: super::none_aws_owned,
    import_id: super::import_by_id,
};
