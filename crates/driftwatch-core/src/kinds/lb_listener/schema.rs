//! The tables of `aws_lb_listener`, its old name `aws_alb_listener`, and
//! `aws_lb_listener_certificate`, which folds into a listener (see `kinds::TerraformType`).

use crate::kinds::TerraformType;

pub(super) const LISTENER: TerraformType = TerraformType {
    name: "aws_lb_listener",
    mapped: &[
        ("load_balancer_arn", &[]),
        ("port", &["/Port"]),
        ("protocol", &["/Protocol"]),
        ("ssl_policy", &["/SslPolicy"]),
        ("certificate_arn", &["/Certificates"]),
        ("alpn_policy", &["/AlpnPolicy"]),
        ("mutual_authentication", &["/MutualAuthentication"]),
        ("default_action", &["/DefaultActions"]),
    ],
    not_compared: &[
        (
            "tags",
            "not compared yet: a listener's tags need a DescribeTags call per 20 listeners",
        ),
        (
            "tags_all",
            "not compared yet: a listener's tags need a DescribeTags call per 20 listeners",
        ),
        (
            "tcp_idle_timeout_seconds",
            "not compared yet (a listener attribute: DescribeListenerAttributes per listener)",
        ),
        (
            "routing_http_response_server_enabled",
            "not compared yet (a listener attribute: DescribeListenerAttributes per listener)",
        ),
    ],
    numbers: &[
        "port",
        "tcp_idle_timeout_seconds",
        "default_action.order",
        "default_action.forward.target_group.weight",
        "default_action.forward.stickiness.duration",
        "default_action.authenticate_oidc.session_timeout",
        "default_action.authenticate_cognito.session_timeout",
    ],
    bools: &[
        "default_action.forward.stickiness.enabled",
        "mutual_authentication.ignore_client_certificate_expiry",
        "routing_http_response_server_enabled",
    ],
};

/// `aws_alb_listener`: the same resource under its first name.
pub(super) const ALB_LISTENER: TerraformType = TerraformType {
    name: "aws_alb_listener",
    ..LISTENER
};

pub(super) const LISTENER_CERTIFICATE: TerraformType = TerraformType {
    name: "aws_lb_listener_certificate",
    mapped: &[("listener_arn", &[]), ("certificate_arn", &[])],
    not_compared: &[],
    numbers: &[],
    bools: &[],
};
