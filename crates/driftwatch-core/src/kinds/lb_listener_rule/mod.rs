//! `aws_lb_listener_rule`: every rule of every listener but the default one (whose actions are
//! the listener's default actions), named `LB-NAME/PORT/PRIORITY`, with its conditions, its
//! actions forwarding to target groups by name, and its tags. Its ARN is kept for import
//! blocks.

pub mod normalize;
mod schema;
pub mod terraform;
#[cfg(test)]
mod tests;

use serde_json::Value;

use super::Def;
use crate::model::{Identity, Kind};

fn import_id(_: &str, doc: &Value, _: Option<&Identity>) -> Option<String> {
    super::lb::arn_in(doc, "RuleArn")
}

pub static DEF: Def = Def {
    kind: Kind::LbListenerRule,
    name: "aws_lb_listener_rule",
    noun: "listener rule",
    id: "the listener and the priority, `LB-NAME/PORT/PRIORITY`",
    name_field: None,
    global: false,
    actions: &[
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeRules",
        "elasticloadbalancing:DescribeTags",
    ],
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::RULE, schema::ALB_RULE],
    related: &[],
    from_terraform: |a| terraform::from_terraform(&a),
    derived: &[],
    is_aws_owned: super::none_aws_owned,
    import_id,
};
