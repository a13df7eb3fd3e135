//! The tables of `aws_ecr_repository` and of the types that fold into a repository (see
//! `kinds::TerraformType`).

use crate::kinds::TerraformType;
use crate::terraform::map::schema::{AWS_ASSIGNED, TERRAFORM_ONLY};

pub(super) const REPOSITORY: TerraformType = TerraformType {
    name: "aws_ecr_repository",
    mapped: &[
        ("name", &[]),
        ("image_tag_mutability", &["/imageTagMutability"]),
        // Provider 6.x: a 5.x state cannot know the exclusion filters.
        (
            "image_tag_mutability_exclusion_filter",
            &["/imageTagMutabilityExclusionFilters"],
        ),
        (
            "image_scanning_configuration",
            &["/imageScanningConfiguration"],
        ),
        ("encryption_configuration", &["/encryptionConfiguration"]),
        ("tags", &["/tags"]),
        ("tags_all", &["/tags"]),
    ],
    not_compared: &[
        ("registry_id", AWS_ASSIGNED),
        ("repository_url", AWS_ASSIGNED),
        ("force_delete", TERRAFORM_ONLY),
    ],
    numbers: &[],
    bools: &["force_delete", "image_scanning_configuration.scan_on_push"],
};

pub(super) const LIFECYCLE_POLICY: TerraformType = TerraformType {
    name: "aws_ecr_lifecycle_policy",
    mapped: &[("repository", &[]), ("policy", &[])],
    not_compared: &[("registry_id", AWS_ASSIGNED)],
    numbers: &[],
    bools: &[],
};

pub(super) const REPOSITORY_POLICY: TerraformType = TerraformType {
    name: "aws_ecr_repository_policy",
    mapped: &[("repository", &[]), ("policy", &[])],
    not_compared: &[("registry_id", AWS_ASSIGNED)],
    numbers: &[],
    bools: &[],
};
