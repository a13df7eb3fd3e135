//! `aws_db_parameter_group`: every DB parameter group a user made, with the parameters set in
//! it (`Source=user`: not the family's defaults) and its tags. The engine families' own
//! `default.*` groups are AWS's and cannot be modified: the fetch leaves them out.

pub mod normalize;
mod schema;
pub mod terraform;

use super::Def;
use crate::model::Kind;

pub static DEF: Def = Def {
    kind: Kind::DbParameterGroup,
    name: "aws_db_parameter_group",
    noun: "DB parameter group",
    id: "the parameter group name",
    name_field: None,
    global: false,
    actions: &[
        "rds:DescribeDBParameterGroups",
        "rds:DescribeDBParameters",
        "rds:ListTagsForResource",
    ],
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::PARAMETER_GROUP],
    related: &[],
    from_terraform: |a| terraform::from_terraform(&a),
    derived: &[],
    is_aws_owned: super::none_aws_owned,
    import_id: super::import_by_id,
};
