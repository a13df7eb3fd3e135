//! The tables of `aws_lb` and its old name `aws_alb` (see `kinds::TerraformType`).

use crate::kinds::TerraformType;
use crate::terraform::map::schema::{AWS_ASSIGNED, NAME_PREFIX};

const NOT_YET: &str = "not compared yet (rarely set; AWS reports it only where it applies)";

pub(super) const LB: TerraformType = TerraformType {
    name: "aws_lb",
    mapped: &[
        ("name", &[]),
        ("load_balancer_type", &["/Type"]),
        ("internal", &["/Scheme"]),
        ("ip_address_type", &["/IpAddressType"]),
        ("vpc_id", &["/VpcId"]),
        ("subnets", &["/Subnets"]),
        ("subnet_mapping", &["/Subnets"]),
        ("security_groups", &["/SecurityGroups"]),
        ("customer_owned_ipv4_pool", &["/CustomerOwnedIpv4Pool"]),
        (
            "enable_deletion_protection",
            &["/Attributes/deletion_protection.enabled"],
        ),
        (
            "idle_timeout",
            &["/Attributes/idle_timeout.timeout_seconds"],
        ),
        (
            "client_keep_alive",
            &["/Attributes/client_keep_alive.seconds"],
        ),
        (
            "desync_mitigation_mode",
            &["/Attributes/routing.http.desync_mitigation_mode"],
        ),
        (
            "drop_invalid_header_fields",
            &["/Attributes/routing.http.drop_invalid_header_fields.enabled"],
        ),
        (
            "preserve_host_header",
            &["/Attributes/routing.http.preserve_host_header.enabled"],
        ),
        (
            "enable_tls_version_and_cipher_suite_headers",
            &["/Attributes/routing.http.x_amzn_tls_version_and_cipher_suite.enabled"],
        ),
        (
            "enable_xff_client_port",
            &["/Attributes/routing.http.xff_client_port.enabled"],
        ),
        (
            "xff_header_processing_mode",
            &["/Attributes/routing.http.xff_header_processing.mode"],
        ),
        ("enable_http2", &["/Attributes/routing.http2.enabled"]),
        (
            "enable_waf_fail_open",
            &["/Attributes/waf.fail_open.enabled"],
        ),
        (
            "enable_zonal_shift",
            &["/Attributes/zonal_shift.config.enabled"],
        ),
        (
            "enable_cross_zone_load_balancing",
            &["/Attributes/load_balancing.cross_zone.enabled"],
        ),
        (
            "dns_record_client_routing_policy",
            &["/Attributes/dns_record.client_routing_policy"],
        ),
        (
            "access_logs",
            &[
                "/Attributes/access_logs.s3.enabled",
                "/Attributes/access_logs.s3.bucket",
                "/Attributes/access_logs.s3.prefix",
            ],
        ),
        (
            "connection_logs",
            &[
                "/Attributes/connection_logs.s3.enabled",
                "/Attributes/connection_logs.s3.bucket",
                "/Attributes/connection_logs.s3.prefix",
            ],
        ),
        (
            "health_check_logs",
            &[
                "/Attributes/health_check_logs.s3.enabled",
                "/Attributes/health_check_logs.s3.bucket",
                "/Attributes/health_check_logs.s3.prefix",
            ],
        ),
        ("tags", &["/Tags"]),
        ("tags_all", &["/Tags"]),
    ],
    not_compared: &[
        ("name_prefix", NAME_PREFIX),
        ("arn_suffix", AWS_ASSIGNED),
        ("dns_name", AWS_ASSIGNED),
        ("zone_id", AWS_ASSIGNED),
        (
            "enforce_security_group_inbound_rules_on_private_link_traffic",
            NOT_YET,
        ),
        ("enable_prefix_for_ipv6_source_nat", NOT_YET),
        ("ipam_pools", NOT_YET),
        ("minimum_load_balancer_capacity", NOT_YET),
        ("secondary_ips_auto_assigned_per_subnet", NOT_YET),
    ],
    numbers: &[
        "idle_timeout",
        "client_keep_alive",
        "secondary_ips_auto_assigned_per_subnet",
        "minimum_load_balancer_capacity.capacity_units",
    ],
    bools: &[
        "internal",
        "enable_deletion_protection",
        "drop_invalid_header_fields",
        "preserve_host_header",
        "enable_tls_version_and_cipher_suite_headers",
        "enable_xff_client_port",
        "enable_http2",
        "enable_waf_fail_open",
        "enable_zonal_shift",
        "enable_cross_zone_load_balancing",
        "access_logs.enabled",
        "connection_logs.enabled",
        "health_check_logs.enabled",
    ],
};

/// `aws_alb`: the same resource under its first name (the provider documents them as one).
pub(super) const ALB: TerraformType = TerraformType {
    name: "aws_alb",
    ..LB
};
