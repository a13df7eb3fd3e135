//! `aws_lb`: every load balancer (application, network, gateway) with its attributes and tags,
//! named by its name. Its ARN ends in an id AWS chose, kept only for import blocks.

mod attributes;
pub mod normalize;
mod schema;
pub mod terraform;
#[cfg(test)]
mod tests;

use serde_json::Value;

use super::Def;
use crate::model::{Identity, Kind};

/// The ARN a document as AWS returned it holds in `field` (`terraform import` takes the ARN
/// of each load balancer kind: it ends in an id AWS chose and cannot be built from the name);
/// a canonical document (a snapshot folder) has none, and then there is no import id.
pub(crate) fn arn_in(doc: &Value, field: &str) -> Option<String> {
    doc.get(field)
        .and_then(Value::as_str)
        .filter(|a| a.starts_with("arn:"))
        .map(str::to_string)
}

fn import_id(_: &str, doc: &Value, _: Option<&Identity>) -> Option<String> {
    arn_in(doc, "LoadBalancerArn")
}

pub static DEF: Def = Def {
    kind: Kind::LoadBalancer,
    name: "aws_lb",
    noun: "load balancer",
    id: "the load balancer name",
    name_field: None,
    global: false,
    actions: &[
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeLoadBalancerAttributes",
        "elasticloadbalancing:DescribeTags",
    ],
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::LB, schema::ALB],
    related: &[],
    from_terraform: |a| terraform::from_terraform(&a),
    derived: &[],
    is_aws_owned: super::none_aws_owned,
    import_id,
};
