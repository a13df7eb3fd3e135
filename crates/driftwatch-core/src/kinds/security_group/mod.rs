//! `aws_security_group`: every group with its rules; a VPC's untouched `default` group is AWS's.

pub mod normalize;
mod related;
pub mod rule_name;
mod schema;
pub mod terraform;

use super::Def;
use crate::model::Kind;

pub static DEF: Def = Def {
    kind: Kind::SecurityGroup,
    name: "aws_security_group",
    noun: "security group",
    id: "the group id (`sg-…`)",
    name_field: Some("GroupName"),
    global: false,
    actions: &["ec2:DescribeSecurityGroups"],
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::GROUP, schema::DEFAULT_GROUP],
    related: related::RELATED,
    from_terraform: |a| terraform::from_terraform(&a),
    derived: &[],
    is_aws_owned: normalize::is_untouched_default,
    import_id: super::import_by_id,
};
