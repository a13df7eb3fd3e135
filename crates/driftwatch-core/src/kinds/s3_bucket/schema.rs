//! The tables of `aws_s3_bucket` and of the types provider v4 split off it, which fold into a
//! bucket (see `kinds::TerraformType`).

use crate::kinds::TerraformType;
use crate::terraform::map::schema::{AWS_ASSIGNED, NAME_PREFIX, TERRAFORM_ONLY};

const NOT_YET: &str = "not compared yet (a later kind setting)";
const ACL: &str =
    "ACLs are not compared (BucketOwnerEnforced, the default since 2023, disables them)";
const OWNER: &str = "which account Terraform expects to own the bucket; AWS does not store it";

/// Settings `aws_s3_bucket` has no attribute for (the public access block, object
/// ownership), and default encryption when the bucket's own block is empty: only a split
/// resource speaks for them. AWS turned them on for new buckets in 2023, so a state that never
/// mentions them must not report them: mapped from `bucket` so that an instance with nothing
/// at the path cannot speak for it (`Def::derived`), until a split resource claims it.
pub(super) const NOT_INLINE: &[(&str, &str)] = &[
    ("bucket", "/PublicAccessBlockConfiguration"),
    ("bucket", "/OwnershipControls"),
    ("bucket", "/ServerSideEncryptionConfiguration"),
];

pub(super) const BUCKET: TerraformType = TerraformType {
    name: "aws_s3_bucket",
    mapped: &[
        (
            "bucket",
            &[
                "/PublicAccessBlockConfiguration",
                "/OwnershipControls",
                "/ServerSideEncryptionConfiguration",
            ],
        ),
        ("versioning", &["/Versioning"]),
        (
            "server_side_encryption_configuration",
            &["/ServerSideEncryptionConfiguration"],
        ),
        ("policy", &["/Policy"]),
        ("lifecycle_rule", &["/LifecycleConfiguration"]),
        ("object_lock_configuration", &["/ObjectLockConfiguration"]),
        ("object_lock_enabled", &["/ObjectLockConfiguration"]),
        ("tags", &["/Tags"]),
        ("tags_all", &["/Tags"]),
    ],
    not_compared: &[
        ("bucket_prefix", NAME_PREFIX),
        ("force_destroy", TERRAFORM_ONLY),
        ("bucket_domain_name", AWS_ASSIGNED),
        ("bucket_regional_domain_name", AWS_ASSIGNED),
        ("hosted_zone_id", AWS_ASSIGNED),
        ("acl", ACL),
        ("grant", ACL),
        ("website", NOT_YET),
        ("website_endpoint", AWS_ASSIGNED),
        ("website_domain", AWS_ASSIGNED),
        ("cors_rule", NOT_YET),
        ("logging", NOT_YET),
        ("replication_configuration", NOT_YET),
        ("acceleration_status", NOT_YET),
        ("request_payer", NOT_YET),
    ],
    numbers: &[
        "lifecycle_rule.abort_incomplete_multipart_upload_days",
        "lifecycle_rule.expiration.days",
        "lifecycle_rule.transition.days",
        "lifecycle_rule.noncurrent_version_expiration.days",
        "lifecycle_rule.noncurrent_version_transition.days",
        "object_lock_configuration.rule.default_retention.days",
        "object_lock_configuration.rule.default_retention.years",
    ],
    bools: &[
        "force_destroy",
        "object_lock_enabled",
        "versioning.enabled",
        "versioning.mfa_delete",
        "lifecycle_rule.enabled",
        "lifecycle_rule.expiration.expired_object_delete_marker",
        "server_side_encryption_configuration.rule.bucket_key_enabled",
    ],
};

pub(super) const VERSIONING: TerraformType = TerraformType {
    name: "aws_s3_bucket_versioning",
    mapped: &[("bucket", &[]), ("versioning_configuration", &[])],
    not_compared: &[
        ("expected_bucket_owner", OWNER),
        (
            "mfa",
            "the MFA device and code of the request; AWS does not return it",
        ),
    ],
    numbers: &[],
    bools: &[],
};

pub(super) const ENCRYPTION: TerraformType = TerraformType {
    name: "aws_s3_bucket_server_side_encryption_configuration",
    mapped: &[("bucket", &[]), ("rule", &[])],
    not_compared: &[("expected_bucket_owner", OWNER)],
    numbers: &[],
    bools: &["rule.bucket_key_enabled"],
};

pub(super) const PUBLIC_ACCESS_BLOCK: TerraformType = TerraformType {
    name: "aws_s3_bucket_public_access_block",
    mapped: &[
        ("bucket", &[]),
        ("block_public_acls", &[]),
        ("ignore_public_acls", &[]),
        ("block_public_policy", &[]),
        ("restrict_public_buckets", &[]),
    ],
    not_compared: &[("skip_destroy", TERRAFORM_ONLY)],
    numbers: &[],
    bools: &[
        "block_public_acls",
        "ignore_public_acls",
        "block_public_policy",
        "restrict_public_buckets",
        "skip_destroy",
    ],
};

pub(super) const OWNERSHIP_CONTROLS: TerraformType = TerraformType {
    name: "aws_s3_bucket_ownership_controls",
    mapped: &[("bucket", &[]), ("rule", &[])],
    not_compared: &[],
    numbers: &[],
    bools: &[],
};

pub(super) const POLICY: TerraformType = TerraformType {
    name: "aws_s3_bucket_policy",
    mapped: &[("bucket", &[]), ("policy", &[])],
    not_compared: &[],
    numbers: &[],
    bools: &[],
};

pub(super) const LIFECYCLE: TerraformType = TerraformType {
    name: "aws_s3_bucket_lifecycle_configuration",
    mapped: &[
        ("bucket", &[]),
        ("rule", &[]),
        ("transition_default_minimum_object_size", &[]),
    ],
    not_compared: &[("expected_bucket_owner", OWNER)],
    numbers: &[
        "rule.abort_incomplete_multipart_upload.days_after_initiation",
        "rule.expiration.days",
        "rule.transition.days",
        "rule.noncurrent_version_expiration.noncurrent_days",
        "rule.noncurrent_version_expiration.newer_noncurrent_versions",
        "rule.noncurrent_version_transition.noncurrent_days",
        "rule.noncurrent_version_transition.newer_noncurrent_versions",
        "rule.filter.object_size_greater_than",
        "rule.filter.object_size_less_than",
        "rule.filter.and.object_size_greater_than",
        "rule.filter.and.object_size_less_than",
    ],
    bools: &["rule.expiration.expired_object_delete_marker"],
};

pub(super) const OBJECT_LOCK: TerraformType = TerraformType {
    name: "aws_s3_bucket_object_lock_configuration",
    mapped: &[("bucket", &[]), ("object_lock_enabled", &[]), ("rule", &[])],
    not_compared: &[
        ("expected_bucket_owner", OWNER),
        (
            "token",
            "a request token for enabling object lock; AWS does not return it",
        ),
    ],
    numbers: &[
        "rule.default_retention.days",
        "rule.default_retention.years",
    ],
    bools: &[],
};
