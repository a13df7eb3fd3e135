//! The tables of `aws_iam_policy` (see `kinds::TerraformType`).

use crate::kinds::TerraformType;
use crate::terraform::map::schema::{AWS_ASSIGNED, NAME_PREFIX, TERRAFORM_ONLY};

pub(super) const POLICY: TerraformType = TerraformType {
    name: "aws_iam_policy",
    mapped: &[
        ("name", &[]),
        ("path", &["/Path"]),
        ("description", &["/Description"]),
        ("policy", &["/PolicyDocument"]),
        ("tags", &["/Tags"]),
        ("tags_all", &["/Tags"]),
    ],
    not_compared: &[
        ("policy_id", AWS_ASSIGNED),
        (
            "attachment_count",
            "observed, not set: attachments are compared on the roles",
        ),
        ("name_prefix", NAME_PREFIX),
        ("delay_after_policy_creation_in_ms", TERRAFORM_ONLY),
    ],
    numbers: &["attachment_count"],
    bools: &[],
};
