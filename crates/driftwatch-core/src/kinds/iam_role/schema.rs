//! The tables of `aws_iam_role` and of the types that fold into a role (see
//! `kinds::TerraformType`).

use crate::kinds::TerraformType;
use crate::terraform::map::schema::{AWS_ASSIGNED, NAME_PREFIX, TERRAFORM_ONLY};

pub(super) const ROLE: TerraformType = TerraformType {
    name: "aws_iam_role",
    mapped: &[
        ("name", &[]),
        ("path", &["/Path"]),
        ("description", &["/Description"]),
        ("max_session_duration", &["/MaxSessionDuration"]),
        ("permissions_boundary", &["/PermissionsBoundary"]),
        ("assume_role_policy", &["/AssumeRolePolicyDocument"]),
        ("inline_policy", &["/RolePolicyList"]),
        ("managed_policy_arns", &["/AttachedManagedPolicies"]),
        ("tags", &["/Tags"]),
        ("tags_all", &["/Tags"]),
    ],
    not_compared: &[
        ("unique_id", AWS_ASSIGNED),
        ("create_date", AWS_ASSIGNED),
        ("name_prefix", NAME_PREFIX),
        ("force_detach_policies", TERRAFORM_ONLY),
    ],
    numbers: &["max_session_duration"],
    bools: &["force_detach_policies"],
};

pub(super) const ROLE_POLICY: TerraformType = TerraformType {
    name: "aws_iam_role_policy",
    mapped: &[("role", &[]), ("name", &[]), ("policy", &[])],
    not_compared: &[("name_prefix", NAME_PREFIX)],
    numbers: &[],
    bools: &[],
};

pub(super) const ROLE_POLICY_ATTACHMENT: TerraformType = TerraformType {
    name: "aws_iam_role_policy_attachment",
    mapped: &[("role", &[]), ("policy_arn", &[])],
    not_compared: &[],
    numbers: &[],
    bools: &[],
};

pub(super) const POLICY_ATTACHMENT: TerraformType = TerraformType {
    name: "aws_iam_policy_attachment",
    mapped: &[("roles", &[]), ("policy_arn", &[])],
    not_compared: &[
        ("users", "IAM users are not a kind driftwatch checks"),
        ("groups", "IAM groups are not a kind driftwatch checks"),
        ("name", "Terraform's own name for the attachment"),
    ],
    numbers: &[],
    bools: &[],
};
