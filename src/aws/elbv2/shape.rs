//! The SDK's Elastic Load Balancing types as the API documents them (its field names, its
//! values): the documents the load balancer kinds' normalizers read. Only what is read is here;
//! empty values are left for the normalizers to drop.

use aws_sdk_elasticloadbalancingv2::types::{
    Action, AuthenticateCognitoActionConfig, AuthenticateOidcActionConfig, ForwardActionConfig,
    Listener, LoadBalancer, RedirectActionConfig, RuleCondition, TargetGroup,
};
use serde_json::{json, Value};

fn strings(v: &[String]) -> Value {
    json!(v)
}

pub(crate) fn load_balancer(lb: &LoadBalancer) -> Value {
    json!({
        "LoadBalancerArn": lb.load_balancer_arn(),
        "LoadBalancerName": lb.load_balancer_name(),
        "DNSName": lb.dns_name(),
        "CanonicalHostedZoneId": lb.canonical_hosted_zone_id(),
        "Type": lb.r#type().map(|t| t.as_str()),
        "Scheme": lb.scheme().map(|s| s.as_str()),
        "IpAddressType": lb.ip_address_type().map(|t| t.as_str()),
        "VpcId": lb.vpc_id(),
        "AvailabilityZones": lb.availability_zones().iter().map(|z| json!({
            "ZoneName": z.zone_name(), "SubnetId": z.subnet_id()
        })).collect::<Vec<_>>(),
        "SecurityGroups": strings(lb.security_groups()),
        "CustomerOwnedIpv4Pool": lb.customer_owned_ipv4_pool(),
    })
}

pub(crate) fn target_group(tg: &TargetGroup) -> Value {
    json!({
        "TargetGroupArn": tg.target_group_arn(),
        "TargetGroupName": tg.target_group_name(),
        "Protocol": tg.protocol().map(|p| p.as_str()),
        "Port": tg.port(),
        "VpcId": tg.vpc_id(),
        "TargetType": tg.target_type().map(|t| t.as_str()),
        "ProtocolVersion": tg.protocol_version(),
        "IpAddressType": tg.ip_address_type().map(|t| t.as_str()),
        "HealthCheckEnabled": tg.health_check_enabled(),
        "HealthCheckProtocol": tg.health_check_protocol().map(|p| p.as_str()),
        "HealthCheckPort": tg.health_check_port(),
        "HealthCheckPath": tg.health_check_path(),
        "HealthCheckIntervalSeconds": tg.health_check_interval_seconds(),
        "HealthCheckTimeoutSeconds": tg.health_check_timeout_seconds(),
        "HealthyThresholdCount": tg.healthy_threshold_count(),
        "UnhealthyThresholdCount": tg.unhealthy_threshold_count(),
        "Matcher": tg.matcher().map(|m| json!({"HttpCode": m.http_code(), "GrpcCode": m.grpc_code()})),
        "LoadBalancerArns": strings(tg.load_balancer_arns()),
    })
}

pub(crate) fn listener(l: &Listener) -> Value {
    json!({
        "ListenerArn": l.listener_arn(),
        "LoadBalancerArn": l.load_balancer_arn(),
        "Port": l.port(),
        "Protocol": l.protocol().map(|p| p.as_str()),
        "SslPolicy": l.ssl_policy(),
        "AlpnPolicy": strings(l.alpn_policy()),
        "Certificates": l.certificates().iter().map(|c| json!({
            "CertificateArn": c.certificate_arn(), "IsDefault": c.is_default()
        })).collect::<Vec<_>>(),
        "DefaultActions": l.default_actions().iter().map(action).collect::<Vec<_>>(),
        "MutualAuthentication": l.mutual_authentication().map(|m| json!({
            "Mode": m.mode(), "TrustStoreArn": m.trust_store_arn(),
            "IgnoreClientCertificateExpiry": m.ignore_client_certificate_expiry(),
        })),
    })
}

pub(crate) fn action(a: &Action) -> Value {
    json!({
        "Type": a.r#type().map(|t| t.as_str()),
        "Order": a.order(),
        "TargetGroupArn": a.target_group_arn(),
        "ForwardConfig": a.forward_config().map(forward),
        "RedirectConfig": a.redirect_config().map(redirect),
        "FixedResponseConfig": a.fixed_response_config().map(|f| json!({
            "StatusCode": f.status_code(), "ContentType": f.content_type(),
            "MessageBody": f.message_body(),
        })),
        "AuthenticateOidcConfig": a.authenticate_oidc_config().map(oidc),
        "AuthenticateCognitoConfig": a.authenticate_cognito_config().map(cognito),
    })
}

fn forward(f: &ForwardActionConfig) -> Value {
    json!({
        "TargetGroups": f.target_groups().iter().map(|t| json!({
            "TargetGroupArn": t.target_group_arn(), "Weight": t.weight()
        })).collect::<Vec<_>>(),
        "TargetGroupStickinessConfig": f.target_group_stickiness_config().map(|s| json!({
            "Enabled": s.enabled(), "DurationSeconds": s.duration_seconds()
        })),
    })
}

fn redirect(r: &RedirectActionConfig) -> Value {
    json!({
        "Protocol": r.protocol(), "Port": r.port(), "Host": r.host(), "Path": r.path(),
        "Query": r.query(), "StatusCode": r.status_code().map(|s| s.as_str()),
    })
}

/// The client secret is never read into a document (AWS does not return it; were a server
/// to, it would not be kept).
fn oidc(o: &AuthenticateOidcActionConfig) -> Value {
    json!({
        "Issuer": o.issuer(), "AuthorizationEndpoint": o.authorization_endpoint(),
        "TokenEndpoint": o.token_endpoint(), "UserInfoEndpoint": o.user_info_endpoint(),
        "ClientId": o.client_id(), "SessionCookieName": o.session_cookie_name(),
        "Scope": o.scope(), "SessionTimeout": o.session_timeout(),
        "AuthenticationRequestExtraParams": o.authentication_request_extra_params(),
        "OnUnauthenticatedRequest": o.on_unauthenticated_request().map(|b| b.as_str()),
    })
}

fn cognito(c: &AuthenticateCognitoActionConfig) -> Value {
    json!({
        "UserPoolArn": c.user_pool_arn(), "UserPoolClientId": c.user_pool_client_id(),
        "UserPoolDomain": c.user_pool_domain(), "SessionCookieName": c.session_cookie_name(),
        "Scope": c.scope(), "SessionTimeout": c.session_timeout(),
        "AuthenticationRequestExtraParams": c.authentication_request_extra_params(),
        "OnUnauthenticatedRequest": c.on_unauthenticated_request().map(|b| b.as_str()),
    })
}

pub(crate) fn condition(c: &RuleCondition) -> Value {
    let values_of = |v: &[String]| json!({"Values": v});
    json!({
        "Field": c.field(),
        "Values": strings(c.values()),
        "HostHeaderConfig": c.host_header_config().map(|h| values_of(h.values())),
        "PathPatternConfig": c.path_pattern_config().map(|p| values_of(p.values())),
        "HttpHeaderConfig": c.http_header_config().map(|h| json!({
            "HttpHeaderName": h.http_header_name(), "Values": h.values()
        })),
        "QueryStringConfig": c.query_string_config().map(|q| json!({
            "Values": q.values().iter().map(|kv| json!({"Key": kv.key(), "Value": kv.value()}))
                .collect::<Vec<_>>()
        })),
        "HttpRequestMethodConfig": c.http_request_method_config().map(|m| values_of(m.values())),
        "SourceIpConfig": c.source_ip_config().map(|s| values_of(s.values())),
    })
}
