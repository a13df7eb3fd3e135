//! The table of `aws_db_parameter_group` (see `kinds::TerraformType`).

use crate::kinds::TerraformType;
use crate::terraform::map::schema::{NAME_PREFIX, TERRAFORM_ONLY};

pub(super) const PARAMETER_GROUP: TerraformType = TerraformType {
    name: "aws_db_parameter_group",
    mapped: &[
        ("name", &[]),
        ("family", &["/DBParameterGroupFamily"]),
        ("description", &["/Description"]),
        ("parameter", &["/Parameters"]),
        ("tags", &["/Tags"]),
        ("tags_all", &["/Tags"]),
    ],
    not_compared: &[
        ("name_prefix", NAME_PREFIX),
        ("skip_destroy", TERRAFORM_ONLY),
    ],
    numbers: &[],
    bools: &["skip_destroy"],
};
