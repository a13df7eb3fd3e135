//! Normalizer for `aws_lb_listener`. Input: a `DescribeListeners` entry, its `Certificates`
//! those of `DescribeListenerCertificates` (the default one and the others); or our own output.
//! Pure and idempotent.
//!
//! Canonical: `Protocol`, `Port`, `SslPolicy` (secure listeners only), `Certificates` (ARNs,
//! sorted), `AlpnPolicy` (not `None`), `MutualAuthentication` (not `off`), `DefaultActions`
//! (see `action`).

use serde_json::{json, Map, Value};

use super::action::actions;
use crate::normalize::{clean, is_empty, sort_set};

/// Observed, never set: identity (the id is the load balancer's name and the port), and the
/// identity a partial owner (a listener another state manages) holds.
const READ_ONLY: &[&str] = &["ListenerArn", "LoadBalancerArn", "Listener"];

pub fn normalize(doc: Value) -> Value {
    let Value::Object(mut m) = doc else {
        return doc;
    };
    for f in READ_ONLY {
        m.remove(*f);
    }
    let secure = matches!(
        m.get("Protocol").and_then(Value::as_str),
        Some("HTTPS" | "TLS")
    );
    if !secure {
        plain_listeners_have_no_policy(&mut m);
    }
    let out = m
        .into_iter()
        .map(|(k, v)| {
            let v = match k.as_str() {
                "Certificates" => certificates(v),
                "DefaultActions" => actions(v),
                "AlpnPolicy" => alpn(v),
                "MutualAuthentication" => mutual_authentication(v),
                _ => clean(v),
            };
            (k, v)
        })
        .filter(|(_, v)| !is_empty(v))
        .collect();
    Value::Object(out)
}

/// An HTTP, TCP, UDP or TCP_UDP listener has no TLS: moto reports an `SslPolicy` on HTTP
/// listeners (AWS does not), and a state may hold a policy it was given once. Neither means
/// anything on such a listener.
fn plain_listeners_have_no_policy(m: &mut Map<String, Value>) {
    m.remove("SslPolicy");
    m.remove("Certificates");
    m.remove("AlpnPolicy");
}

/// `[{CertificateArn, IsDefault}]` (or ARNs) → the ARNs, sorted.
fn certificates(v: Value) -> Value {
    let Value::Array(items) = v else { return v };
    let arns: Vec<Value> = items
        .into_iter()
        .filter_map(|c| match c {
            Value::String(_) => Some(c),
            Value::Object(mut o) => o.remove("CertificateArn"),
            _ => None,
        })
        .filter(|a| !is_empty(a))
        .collect();
    sort_set(Value::Array(arns))
}

/// `["None"]` is no ALPN policy.
fn alpn(v: Value) -> Value {
    match &v {
        Value::Array(a) if a.iter().all(|p| p == "None") => Value::Null,
        Value::String(s) if s == "None" || s.is_empty() => Value::Null,
        Value::String(_) => json!([v]),
        _ => v,
    }
}

/// Mutual TLS `off` is none.
fn mutual_authentication(v: Value) -> Value {
    match v.get("Mode").and_then(Value::as_str) {
        None | Some("off") => Value::Null,
        Some(_) => clean(v),
    }
}
