//! Actions of a listener (its default actions) and of a listener rule, in one canonical shape
//! whatever the source: sorted by `Order` (then dropped: the order is the list's), target
//! groups named by name, defaults AWS fills in dropped. Also the Terraform `action` and
//! `default_action` blocks in the API's shape. Pure.

use serde_json::{json, Map, Value};

use crate::arn::elb::target_group_name;
use crate::normalize::{clean, is_empty};
use crate::terraform::map::{attr, block, blocks};

/// A list of actions in the canonical shape.
pub(crate) fn actions(v: Value) -> Value {
    let Value::Array(mut items) = v else {
        return v;
    };
    items.sort_by_key(|a| a.get("Order").and_then(Value::as_i64).unwrap_or(i64::MAX));
    Value::Array(items.into_iter().map(action).collect())
}

fn action(a: Value) -> Value {
    let Value::Object(mut m) = a else { return a };
    m.remove("Order");
    if m.get("Type").and_then(Value::as_str) == Some("forward") {
        let forward = forward_config(m.remove("TargetGroupArn"), m.remove("ForwardConfig"));
        m.insert("ForwardConfig".into(), forward);
    }
    if let Some(r) = m.remove("RedirectConfig") {
        m.insert("RedirectConfig".into(), redirect(r));
    }
    if let Some(Value::Object(mut o)) = m.remove("AuthenticateOidcConfig") {
        // A secret: AWS never returns it, a state holds it; neither is compared.
        o.remove("ClientSecret");
        o.remove("UseExistingClientSecret");
        m.insert("AuthenticateOidcConfig".into(), Value::Object(o));
    }
    clean(Value::Object(m))
}

/// One forward shape for every way of saying it: AWS answers a single-target forward with
/// both `TargetGroupArn` and `ForwardConfig`, moto with `TargetGroupArn` alone, a state with
/// either. Target groups by name (the ARN's id changes when one is recreated), weight 1 where
/// none is said, sorted by name; stickiness only when it is on.
fn forward_config(arn: Option<Value>, config: Option<Value>) -> Value {
    let config = config.unwrap_or(Value::Null);
    let mut groups: Vec<Value> = config
        .get("TargetGroups")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if groups.is_empty() {
        if let Some(arn) = arn.filter(|a| !is_empty(a)) {
            groups.push(json!({"TargetGroupArn": arn}));
        }
    }
    let mut groups: Vec<Value> = groups.iter().map(target_group).collect();
    groups.sort_by(|a, b| {
        a["TargetGroupName"]
            .as_str()
            .cmp(&b["TargetGroupName"].as_str())
    });
    let stickiness = config
        .get("TargetGroupStickinessConfig")
        .filter(|s| s.get("Enabled").and_then(Value::as_bool) == Some(true))
        .cloned();
    clean(json!({"TargetGroups": groups, "TargetGroupStickinessConfig": stickiness}))
}

fn target_group(t: &Value) -> Value {
    let named = t
        .get("TargetGroupName")
        .or_else(|| t.get("TargetGroupArn"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let name = target_group_name(named).unwrap_or(named);
    let weight = t
        .get("Weight")
        .filter(|w| !w.is_null())
        .cloned()
        .unwrap_or(json!(1));
    json!({"TargetGroupName": name, "Weight": weight})
}

/// A redirect keeps what it changes: `#{protocol}`, `#{host}`, `#{port}`, `/#{path}` and
/// `#{query}` (AWS's defaults) say "as the request had it".
fn redirect(r: Value) -> Value {
    let Value::Object(m) = r else { return r };
    let kept: Map<String, Value> = m
        .into_iter()
        .filter(|(k, v)| {
            let default = match k.as_str() {
                "Protocol" => "#{protocol}",
                "Host" => "#{host}",
                "Port" => "#{port}",
                "Path" => "/#{path}",
                "Query" => "#{query}",
                _ => return true,
            };
            v.as_str() != Some(default)
        })
        .collect();
    clean(Value::Object(kept))
}

/// Terraform's `action`/`default_action` blocks in the API's shape.
pub(crate) fn from_terraform(blocks_of: &[Value]) -> Value {
    Value::Array(blocks_of.iter().map(tf_action).collect())
}

fn tf_action(b: &Value) -> Value {
    json!({
        "Type": attr(b, "type"),
        "Order": attr(b, "order"),
        "TargetGroupArn": attr(b, "target_group_arn"),
        "ForwardConfig": block(b, "forward").map(|f| json!({
            "TargetGroups": blocks(&f, "target_group").iter().map(|t| json!({
                "TargetGroupArn": attr(t, "arn"), "Weight": attr(t, "weight")
            })).collect::<Vec<_>>(),
            "TargetGroupStickinessConfig": block(&f, "stickiness").map(|s| json!({
                "Enabled": attr(&s, "enabled"), "DurationSeconds": attr(&s, "duration")
            })),
        })),
        "RedirectConfig": block(b, "redirect").map(|r| json!({
            "Protocol": attr(&r, "protocol"), "Port": attr(&r, "port"),
            "Host": attr(&r, "host"), "Path": attr(&r, "path"), "Query": attr(&r, "query"),
            "StatusCode": attr(&r, "status_code"),
        })),
        "FixedResponseConfig": block(b, "fixed_response").map(|f| json!({
            "ContentType": attr(&f, "content_type"), "MessageBody": attr(&f, "message_body"),
            "StatusCode": attr(&f, "status_code"),
        })),
        "AuthenticateOidcConfig": block(b, "authenticate_oidc").map(|o| json!({
            "Issuer": attr(&o, "issuer"),
            "AuthorizationEndpoint": attr(&o, "authorization_endpoint"),
            "TokenEndpoint": attr(&o, "token_endpoint"),
            "UserInfoEndpoint": attr(&o, "user_info_endpoint"),
            "ClientId": attr(&o, "client_id"),
            "SessionCookieName": attr(&o, "session_cookie_name"),
            "Scope": attr(&o, "scope"), "SessionTimeout": attr(&o, "session_timeout"),
            "AuthenticationRequestExtraParams": attr(&o, "authentication_request_extra_params"),
            "OnUnauthenticatedRequest": attr(&o, "on_unauthenticated_request"),
        })),
        "AuthenticateCognitoConfig": block(b, "authenticate_cognito").map(|c| json!({
            "UserPoolArn": attr(&c, "user_pool_arn"),
            "UserPoolClientId": attr(&c, "user_pool_client_id"),
            "UserPoolDomain": attr(&c, "user_pool_domain"),
            "SessionCookieName": attr(&c, "session_cookie_name"),
            "Scope": attr(&c, "scope"), "SessionTimeout": attr(&c, "session_timeout"),
            "AuthenticationRequestExtraParams": attr(&c, "authentication_request_extra_params"),
            "OnUnauthenticatedRequest": attr(&c, "on_unauthenticated_request"),
        })),
    })
}
