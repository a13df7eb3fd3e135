//! `aws_lb_listener` (and `aws_alb_listener`) from a Terraform state (provider 3.x to 6.x): its
//! id, `LB-NAME/PORT`, from the load balancer ARN it names. Pure.

use serde_json::{json, Value};

use super::action;
use crate::arn::elb::load_balancer_name;
use crate::terraform::map::{attr, block, blocks, text};

pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
    let lb = text(a, "load_balancer_arn").and_then(load_balancer_name)?;
    let port = a.get("port").and_then(port_of)?;
    let certificate = text(a, "certificate_arn").map(|c| json!([c]));
    let doc = json!({
        "Protocol": attr(a, "protocol"),
        "Port": port,
        "SslPolicy": attr(a, "ssl_policy"),
        "Certificates": certificate,
        "AlpnPolicy": attr(a, "alpn_policy"),
        "MutualAuthentication": block(a, "mutual_authentication").map(|m| json!({
            "Mode": attr(&m, "mode"), "TrustStoreArn": attr(&m, "trust_store_arn"),
            "IgnoreClientCertificateExpiry": attr(&m, "ignore_client_certificate_expiry"),
        })),
        "DefaultActions": action::from_terraform(&blocks(a, "default_action")),
    });
    Some((format!("{lb}/{port}"), doc))
}

/// A port as a number (a legacy flatmap state may hold it as text).
pub(crate) fn port_of(v: &Value) -> Option<u64> {
    v.as_u64().or_else(|| v.as_str()?.parse().ok())
}
