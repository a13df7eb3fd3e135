//! `aws_lb_listener_rule` (and `aws_alb_listener_rule`) from a Terraform state (provider 3.x
//! to 6.x). A rule knows its listener only by ARN, which holds the load balancer's name but not
//! the port: its id is written through that ARN (`terraform::map::id_via_arn`) and completed
//! from the state's listener instance once the state is mapped. Pure.

use serde_json::{json, Value};

use crate::kinds::lb_listener::action;
use crate::terraform::map::{attr, block, blocks, id_via_arn, tags, text};

pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
    let listener = text(a, "listener_arn")?;
    let priority = match a.get("priority")? {
        Value::Number(n) => n.to_string(),
        Value::String(s) if !s.is_empty() => s.clone(),
        _ => return None,
    };
    let doc = json!({
        "Conditions": blocks(a, "condition").iter().map(condition).collect::<Vec<_>>(),
        "Actions": action::from_terraform(&blocks(a, "action")),
        "Tags": tags(a),
    });
    Some((id_via_arn(listener, &format!("/{priority}")), doc))
}

/// A `condition` block (one kind of condition each) in the API's `{Field, …Config}` shape;
/// provider 2.x's `field`/`values` as they were.
fn condition(c: &Value) -> Value {
    let values = |b: &Value| json!({"Values": attr(b, "values")});
    if let Some(b) = block(c, "host_header") {
        return json!({"Field": "host-header", "HostHeaderConfig": values(&b)});
    }
    if let Some(b) = block(c, "path_pattern") {
        return json!({"Field": "path-pattern", "PathPatternConfig": values(&b)});
    }
    if let Some(b) = block(c, "http_header") {
        return json!({"Field": "http-header", "HttpHeaderConfig": {
            "HttpHeaderName": attr(&b, "http_header_name"), "Values": attr(&b, "values")}});
    }
    if let Some(b) = block(c, "http_request_method") {
        return json!({"Field": "http-request-method", "HttpRequestMethodConfig": values(&b)});
    }
    if let Some(b) = block(c, "source_ip") {
        return json!({"Field": "source-ip", "SourceIpConfig": values(&b)});
    }
    let pairs = blocks(c, "query_string");
    if !pairs.is_empty() {
        let values: Vec<Value> = pairs
            .iter()
            .map(|p| json!({"Key": attr(p, "key"), "Value": attr(p, "value")}))
            .collect();
        return json!({"Field": "query-string", "QueryStringConfig": {"Values": values}});
    }
    json!({"Field": attr(c, "field"), "Values": attr(c, "values")})
}
