//! The table of `aws_cloudwatch_log_group` (see `kinds::TerraformType`).

use crate::kinds::TerraformType;
use crate::terraform::map::schema::{NAME_PREFIX, TERRAFORM_ONLY};

pub(super) const LOG_GROUP: TerraformType = TerraformType {
    name: "aws_cloudwatch_log_group",
    mapped: &[
        ("name", &[]),
        ("retention_in_days", &["/retentionInDays"]),
        ("kms_key_id", &["/kmsKeyId"]),
        // Provider ≥ 5.x: an older state cannot know the class.
        ("log_group_class", &["/logGroupClass"]),
        ("tags", &["/tags"]),
        ("tags_all", &["/tags"]),
    ],
    not_compared: &[
        ("name_prefix", NAME_PREFIX),
        ("skip_destroy", TERRAFORM_ONLY),
    ],
    numbers: &["retention_in_days"],
    bools: &["skip_destroy"],
};
