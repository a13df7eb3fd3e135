//! The tables of `aws_secretsmanager_secret` and of the types that fold into a secret (see
//! `kinds::TerraformType`).

use crate::kinds::TerraformType;
use crate::terraform::map::schema::{AWS_ASSIGNED, NAME_PREFIX, SECRET_VALUE, TERRAFORM_ONLY};

pub(super) const SECRET: TerraformType = TerraformType {
    name: "aws_secretsmanager_secret",
    mapped: &[
        ("name", &[]),
        ("description", &["/Description"]),
        ("kms_key_id", &["/KmsKeyId"]),
        ("policy", &["/ResourcePolicy"]),
        ("rotation_enabled", &["/RotationEnabled"]),
        ("rotation_lambda_arn", &["/RotationLambdaARN"]),
        ("rotation_rules", &["/RotationRules"]),
        ("tags", &["/Tags"]),
        ("tags_all", &["/Tags"]),
    ],
    not_compared: &[
        ("name_prefix", NAME_PREFIX),
        ("recovery_window_in_days", TERRAFORM_ONLY),
        ("force_overwrite_replica_secret", TERRAFORM_ONLY),
        (
            "replica",
            "the regions a secret is replicated to: `ListSecrets` does not return them",
        ),
    ],
    numbers: &[
        "recovery_window_in_days",
        "rotation_rules.automatically_after_days",
    ],
    bools: &["force_overwrite_replica_secret", "rotation_enabled"],
};

pub(super) const SECRET_POLICY: TerraformType = TerraformType {
    name: "aws_secretsmanager_secret_policy",
    mapped: &[("secret_arn", &[]), ("policy", &[])],
    not_compared: &[(
        "block_public_policy",
        "a check AWS makes when the policy is put; AWS does not store it",
    )],
    numbers: &[],
    bools: &["block_public_policy"],
};

pub(super) const SECRET_ROTATION: TerraformType = TerraformType {
    name: "aws_secretsmanager_secret_rotation",
    mapped: &[
        ("secret_id", &[]),
        ("rotation_enabled", &[]),
        ("rotation_lambda_arn", &[]),
        ("rotation_rules", &[]),
    ],
    not_compared: &[("rotate_immediately", TERRAFORM_ONLY)],
    numbers: &["rotation_rules.automatically_after_days"],
    bools: &["rotate_immediately", "rotation_enabled"],
};

/// A value of a secret: only which secret it belongs to is read (it must exist); the value is
/// dropped when the state is read, and which version is current is not compared.
pub(super) const SECRET_VERSION: TerraformType = TerraformType {
    name: "aws_secretsmanager_secret_version",
    mapped: &[("secret_id", &[])],
    not_compared: &[
        ("secret_string", SECRET_VALUE),
        ("secret_binary", SECRET_VALUE),
        ("secret_string_wo", SECRET_VALUE),
        ("secret_string_wo_version", TERRAFORM_ONLY),
        ("has_secret_string_wo", TERRAFORM_ONLY),
        ("version_id", AWS_ASSIGNED),
        (
            "version_stages",
            "which version of the value is current: the value's history, never read",
        ),
    ],
    numbers: &["secret_string_wo_version"],
    bools: &["has_secret_string_wo"],
};
