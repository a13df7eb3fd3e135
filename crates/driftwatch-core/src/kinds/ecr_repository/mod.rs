//! `aws_ecr_repository`: every repository of the account's private registry in the region, with
//! its lifecycle policy, repository policy and tags (never an image, never a credential: the
//! fetch does not call `ecr:GetAuthorizationToken`).

pub mod normalize;
mod related;
mod schema;
pub mod terraform;

use super::Def;
use crate::model::Kind;

pub static DEF: Def = Def {
    kind: Kind::EcrRepository,
    name: "aws_ecr_repository",
    noun: "repository",
    id: "the repository name",
    name_field: None,
    global: false,
    // ECR is not in the Tagging API (on AWS nor on moto): tags are one call per repository.
    actions: &[
        "ecr:DescribeRepositories",
        "ecr:GetLifecyclePolicy",
        "ecr:GetRepositoryPolicy",
        "ecr:ListTagsForResource",
        // Not the fetch's: the `image-reference` check asks whether the tags the task
        // definitions run exist (live `check` only).
        "ecr:BatchGetImage",
    ],
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::REPOSITORY],
    related: related::RELATED,
    from_terraform: |a| terraform::from_terraform(&a),
    derived: &[],
    is_aws_owned: super::none_aws_owned,
    import_id: super::import_by_id,
};
