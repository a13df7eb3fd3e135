//! The table of `aws_ssm_parameter` (see `kinds::TerraformType`).

use crate::kinds::TerraformType;
use crate::terraform::map::schema::{AWS_ASSIGNED, SECRET_VALUE, TERRAFORM_ONLY};

pub(super) const PARAMETER: TerraformType = TerraformType {
    name: "aws_ssm_parameter",
    mapped: &[
        ("name", &[]),
        ("type", &["/Type"]),
        ("tier", &["/Tier"]),
        ("data_type", &["/DataType"]),
        ("description", &["/Description"]),
        ("key_id", &["/KeyId"]),
        ("allowed_pattern", &["/AllowedPattern"]),
        ("tags", &["/Tags"]),
        ("tags_all", &["/Tags"]),
    ],
    not_compared: &[
        ("value", SECRET_VALUE),
        ("insecure_value", SECRET_VALUE),
        ("value_wo", SECRET_VALUE),
        ("value_wo_version", TERRAFORM_ONLY),
        ("has_value_wo", TERRAFORM_ONLY),
        ("overwrite", TERRAFORM_ONLY),
        ("version", AWS_ASSIGNED),
    ],
    numbers: &["version", "value_wo_version"],
    bools: &["overwrite", "has_value_wo"],
};
