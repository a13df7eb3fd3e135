//! `aws_db_subnet_group`: every DB subnet group, with its subnets, VPC and tags.

pub mod normalize;
mod schema;
pub mod terraform;

use super::Def;
use crate::model::Kind;

pub static DEF: Def = Def {
    kind: Kind::DbSubnetGroup,
    name: "aws_db_subnet_group",
    noun: "DB subnet group",
    id: "the subnet group name",
    name_field: None,
    global: false,
    actions: &["rds:DescribeDBSubnetGroups", "rds:ListTagsForResource"],
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::SUBNET_GROUP],
    related: &[],
    from_terraform: |a| terraform::from_terraform(&a),
    derived: &[],
    is_aws_owned: super::none_aws_owned,
    import_id: super::import_by_id,
};
