//! `aws_ssm_parameter`: every Parameter Store parameter's metadata, never its value.

pub mod normalize;
mod schema;
pub mod terraform;

use super::Def;
use crate::model::Kind;

pub static DEF: Def = Def {
    kind: Kind::SsmParameter,
    name: "aws_ssm_parameter",
    noun: "parameter",
    id: "the parameter name",
    name_field: None,
    global: false,
    // Never GetParameter, GetParameters or GetParametersByPath: they return values.
    actions: &[
        "ssm:DescribeParameters",
        "ssm:ListTagsForResource",
        "tag:GetResources",
    ],
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::PARAMETER],
    related: &[],
    from_terraform: |a| terraform::from_terraform(&a),
    derived: &[],
    is_aws_owned: super::none_aws_owned,
    import_id: super::import_by_id,
};
