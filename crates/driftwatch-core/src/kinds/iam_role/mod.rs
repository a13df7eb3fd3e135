//! `aws_iam_role`: global; service-linked roles are AWS's (fetched only with
//! `--include-aws-managed`).

pub mod normalize;
mod related;
mod schema;
pub mod terraform;

use super::Def;
use crate::model::Kind;

pub static DEF: Def = Def {
    kind: Kind::IamRole,
    name: "aws_iam_role",
    noun: "role",
    id: "the role name",
    name_field: None,
    global: true,
    // GetPolicy and GetPolicyVersion: the documents of AWS-managed policies attached to task
    // roles and deployers, for the cross-resource checks (aws::iam::policy_documents).
    actions: &[
        "iam:GetAccountAuthorizationDetails",
        "iam:ListRoles",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
    ],
    // One GetAccountAuthorizationDetails walk serves roles and policies.
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::ROLE],
    related: related::RELATED,
    from_terraform: |a| terraform::from_terraform(&a),
    derived: &[],
    is_aws_owned: super::none_aws_owned,
    import_id: super::import_by_id,
};
