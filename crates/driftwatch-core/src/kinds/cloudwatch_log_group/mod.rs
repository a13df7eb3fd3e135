//! `aws_cloudwatch_log_group`: every log group of the region with its retention, key, class
//! and tags. Its id is the group's name, which usually starts with `/` (`/ecs/backend`): golden
//! folders store such an id as one file (`%2Fecs%2Fbackend.json`, see `source/golden/names`).

pub mod normalize;
mod schema;
pub mod terraform;

use super::Def;
use crate::model::Kind;

pub static DEF: Def = Def {
    kind: Kind::CloudwatchLogGroup,
    name: "aws_cloudwatch_log_group",
    noun: "log group",
    id: "the log group name",
    name_field: None,
    global: false,
    actions: &[
        "logs:DescribeLogGroups",
        "logs:ListTagsForResource",
        "tag:GetResources",
    ],
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::LOG_GROUP],
    related: &[],
    from_terraform: |a| terraform::from_terraform(&a),
    derived: &[],
    is_aws_owned: super::none_aws_owned,
    import_id: super::import_by_id,
};
