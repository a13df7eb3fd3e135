//! `aws_s3_bucket`: every bucket of the target's region with its versioning, default
//! encryption, public access block, object ownership, policy, lifecycle rules, object lock
//! configuration and tags. The settings provider v4 split into resources of their own fold in
//! as related resources (`related.rs`).

pub mod normalize;
mod related;
mod schema;
pub mod terraform;
#[cfg(test)]
mod tests;

use super::Def;
use crate::model::Kind;

pub static DEF: Def = Def {
    kind: Kind::S3Bucket,
    name: "aws_s3_bucket",
    noun: "bucket",
    id: "the bucket name",
    name_field: None,
    global: false,
    actions: &[
        "s3:ListAllMyBuckets",
        "s3:GetBucketLocation",
        "s3:GetBucketVersioning",
        "s3:GetEncryptionConfiguration",
        "s3:GetBucketPublicAccessBlock",
        "s3:GetBucketOwnershipControls",
        "s3:GetBucketPolicy",
        "s3:GetLifecycleConfiguration",
        "s3:GetBucketObjectLockConfiguration",
        "s3:GetBucketTagging",
        "tag:GetResources",
    ],
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::BUCKET],
    related: related::RELATED,
    from_terraform: terraform::from_terraform,
    derived: schema::NOT_INLINE,
    is_aws_owned: super::none_aws_owned,
    import_id: super::import_by_id,
};
