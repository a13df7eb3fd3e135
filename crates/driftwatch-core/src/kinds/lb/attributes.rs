//! The load balancer attributes AWS sets on every load balancer of a type, with their
//! defaults: `DescribeLoadBalancerAttributes` returns about twenty for an application load
//! balancer (moto returns four), each at its default unless someone changed it, so only values
//! that differ from these are compared. Pure.
//!
//! Where the defaults come from: the Elastic Load Balancing API reference, `LoadBalancerAttribute`
//! (docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html),
//! and the aws provider's `aws_lb` documentation (website/docs/r/lb.html.markdown: `idle_timeout`
//! 60, `enable_http2` true, `enable_deletion_protection` false, `desync_mitigation_mode`
//! defensive, `xff_header_processing_mode` append, `client_keep_alive` 3600,
//! `dns_record_client_routing_policy` any_availability_zone, cross-zone on for application and
//! off for network and gateway load balancers, access, connection and health check logs off).

/// The attributes every application load balancer has, at their defaults.
const APPLICATION: &[(&str, &str)] = &[
    ("access_logs.s3.enabled", "false"),
    ("connection_logs.s3.enabled", "false"),
    ("health_check_logs.s3.enabled", "false"),
    ("client_keep_alive.seconds", "3600"),
    ("deletion_protection.enabled", "false"),
    ("idle_timeout.timeout_seconds", "60"),
    ("routing.http.desync_mitigation_mode", "defensive"),
    ("routing.http.drop_invalid_header_fields.enabled", "false"),
    ("routing.http.preserve_host_header.enabled", "false"),
    (
        "routing.http.x_amzn_tls_version_and_cipher_suite.enabled",
        "false",
    ),
    ("routing.http.xff_client_port.enabled", "false"),
    ("routing.http.xff_header_processing.mode", "append"),
    ("routing.http2.enabled", "true"),
    ("routing.http.response.server.enabled", "true"),
    ("waf.fail_open.enabled", "false"),
    ("zonal_shift.config.enabled", "false"),
];

/// The attributes every network load balancer has, at their defaults (`ipv6.deny_all_igw_traffic`
/// depends on the scheme: see [`is_default`]).
const NETWORK: &[(&str, &str)] = &[
    ("access_logs.s3.enabled", "false"),
    ("deletion_protection.enabled", "false"),
    ("load_balancing.cross_zone.enabled", "false"),
    ("dns_record.client_routing_policy", "any_availability_zone"),
    ("zonal_shift.config.enabled", "false"),
    ("secondary_ips.auto_assigned.per_subnet", "0"),
];

/// The attributes every gateway load balancer has, at their defaults.
const GATEWAY: &[(&str, &str)] = &[
    ("deletion_protection.enabled", "false"),
    ("load_balancing.cross_zone.enabled", "false"),
];

/// Whether `value` is what AWS gives the attribute `key` on a load balancer of `type`
/// (`application`, `network`, `gateway`) and `scheme` no one changed it on. An empty value
/// (a log bucket or prefix never set, a response header never rewritten) is always the
/// default: AWS reports `""` for what was never set.
pub(crate) fn is_default(r#type: &str, scheme: &str, key: &str, value: &str) -> bool {
    if value.is_empty() {
        return true;
    }
    if r#type == "application" && key == "load_balancing.cross_zone.enabled" {
        // Always on for an application load balancer: AWS refuses to turn it off there (its
        // target groups may), so it is no setting of one. moto reports it "false".
        return true;
    }
    if key == "ipv6.deny_all_igw_traffic" {
        // Internal load balancers deny IPv6 from an internet gateway unless told otherwise.
        return value
            == if scheme == "internal" {
                "true"
            } else {
                "false"
            };
    }
    let table = match r#type {
        "network" => NETWORK,
        "gateway" => GATEWAY,
        _ => APPLICATION,
    };
    table.iter().any(|(k, v)| *k == key && *v == value)
}

#[cfg(test)]
mod tests {
    use super::is_default;

    #[test]
    fn defaults_depend_on_the_type_and_the_scheme() {
        assert!(is_default(
            "application",
            "internet-facing",
            "idle_timeout.timeout_seconds",
            "60"
        ));
        assert!(!is_default(
            "application",
            "internet-facing",
            "idle_timeout.timeout_seconds",
            "120"
        ));
        assert!(is_default(
            "application",
            "internal",
            "load_balancing.cross_zone.enabled",
            "true"
        ));
        assert!(is_default(
            "application",
            "internal",
            "load_balancing.cross_zone.enabled",
            "false"
        ));
        assert!(!is_default(
            "network",
            "internal",
            "load_balancing.cross_zone.enabled",
            "true"
        ));
        assert!(is_default(
            "network",
            "internal",
            "ipv6.deny_all_igw_traffic",
            "true"
        ));
        assert!(!is_default(
            "network",
            "internet-facing",
            "ipv6.deny_all_igw_traffic",
            "true"
        ));
        assert!(is_default(
            "application",
            "internal",
            "access_logs.s3.bucket",
            ""
        ));
    }
}
