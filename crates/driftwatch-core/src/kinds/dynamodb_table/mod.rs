//! `aws_dynamodb_table`: every table with its description, point-in-time recovery, time to
//! live and tags.

pub mod normalize;
mod schema;
pub mod terraform;
#[cfg(test)]
mod tests;

use super::Def;
use crate::model::Kind;

pub static DEF: Def = Def {
    kind: Kind::DynamodbTable,
    name: "aws_dynamodb_table",
    noun: "table",
    id: "the table name",
    name_field: None,
    global: false,
    actions: &[
        "dynamodb:ListTables",
        "dynamodb:DescribeTable",
        "dynamodb:DescribeContinuousBackups",
        "dynamodb:DescribeTimeToLive",
        "dynamodb:ListTagsOfResource",
        "tag:GetResources",
    ],
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::TABLE],
    related: &[],
    from_terraform: |a| terraform::from_terraform(&a),
    derived: &[],
    is_aws_owned: super::none_aws_owned,
    import_id: super::import_by_id,
};
