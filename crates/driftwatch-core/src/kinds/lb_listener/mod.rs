//! `aws_lb_listener`: every listener of every load balancer, named `LB-NAME/PORT` (its ARN
//! ends in ids AWS chose; the ARN is kept for import blocks), with its protocol, TLS policy
//! and certificates, and its default actions forwarding to target groups by name.

pub(crate) mod action;
pub mod normalize;
mod related;
mod schema;
pub mod terraform;
#[cfg(test)]
mod tests;

use serde_json::Value;

use super::Def;
use crate::model::{Identity, Kind};

fn import_id(_: &str, doc: &Value, _: Option<&Identity>) -> Option<String> {
    super::lb::arn_in(doc, "ListenerArn")
}

pub static DEF: Def = Def {
    kind: Kind::LbListener,
    name: "aws_lb_listener",
    noun: "listener",
    id: "the load balancer name and the port, `LB-NAME/PORT`",
    name_field: None,
    global: false,
    actions: &[
        "elasticloadbalancing:DescribeLoadBalancers",
        "elasticloadbalancing:DescribeListeners",
        "elasticloadbalancing:DescribeListenerCertificates",
    ],
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::LISTENER, schema::ALB_LISTENER],
    related: related::RELATED,
    from_terraform: |a| terraform::from_terraform(&a),
    derived: &[],
    is_aws_owned: super::none_aws_owned,
    import_id,
};
