//! `aws_lb_target_group`: every target group with its health check, attributes and tags,
//! named by its name everywhere (listeners and rules forward to target groups by name), so one
//! recreated with the same name and settings is in sync. Its ARN is kept for import blocks.

mod defaults;
pub mod normalize;
mod schema;
pub mod terraform;
#[cfg(test)]
mod tests;

use serde_json::Value;

use super::Def;
use crate::model::{Identity, Kind};

fn import_id(_: &str, doc: &Value, _: Option<&Identity>) -> Option<String> {
    super::lb::arn_in(doc, "TargetGroupArn")
}

pub static DEF: Def = Def {
    kind: Kind::LbTargetGroup,
    name: "aws_lb_target_group",
    noun: "target group",
    id: "the target group name",
    name_field: None,
    global: false,
    actions: &[
        "elasticloadbalancing:DescribeTargetGroups",
        "elasticloadbalancing:DescribeTargetGroupAttributes",
        "elasticloadbalancing:DescribeTags",
    ],
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::TARGET_GROUP, schema::ALB_TARGET_GROUP],
    related: &[],
    from_terraform: |a| terraform::from_terraform(&a),
    derived: &[],
    is_aws_owned: super::none_aws_owned,
    import_id,
};
