//! The tables of `aws_lb_listener_rule` and its old name `aws_alb_listener_rule` (see
//! `kinds::TerraformType`).

use crate::kinds::TerraformType;

pub(super) const RULE: TerraformType = TerraformType {
    name: "aws_lb_listener_rule",
    mapped: &[
        ("listener_arn", &[]),
        ("priority", &[]),
        ("condition", &["/Conditions"]),
        ("action", &["/Actions"]),
        ("tags", &["/Tags"]),
        ("tags_all", &["/Tags"]),
    ],
    not_compared: &[(
        "transform",
        "not compared yet (host header and URL rewrites of a rule, added in provider 6.x)",
    )],
    numbers: &[
        "priority",
        "action.order",
        "action.forward.target_group.weight",
        "action.forward.stickiness.duration",
        "action.authenticate_oidc.session_timeout",
        "action.authenticate_cognito.session_timeout",
    ],
    bools: &["action.forward.stickiness.enabled"],
};

/// `aws_alb_listener_rule`: the same resource under its first name.
pub(super) const ALB_RULE: TerraformType = TerraformType {
    name: "aws_alb_listener_rule",
    ..RULE
};
