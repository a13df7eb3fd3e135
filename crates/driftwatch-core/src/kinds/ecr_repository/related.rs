//! A repository's lifecycle policy and repository policy written as resources of their own
//! (the only way Terraform writes them), set on the repository they name. Pure.

use serde_json::Value;

use super::schema::{LIFECYCLE_POLICY, REPOSITORY_POLICY};
use crate::kinds::{Claim, Edit, Related};
use crate::terraform::map::{attr, text};

pub(super) const RELATED: &[Related] = &[
    Related {
        r#type: LIFECYCLE_POLICY,
        owner_field: "repositoryName",
        claims: |a| claim(a, "lifecyclePolicy"),
    },
    Related {
        r#type: REPOSITORY_POLICY,
        owner_field: "repositoryName",
        claims: |a| claim(a, "repositoryPolicy"),
    },
];

/// The `policy` attribute, as the repository's `field`.
fn claim(a: &Value, field: &'static str) -> Vec<Claim> {
    let Some(repository) = text(a, "repository") else {
        return Vec::new();
    };
    vec![Claim {
        owner: repository.to_string(),
        field,
        edit: Edit::Set(attr(a, "policy")),
    }]
}
