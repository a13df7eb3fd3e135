//! `aws_iam_policy`: global; customer-managed policies (AWS-managed ones only with
//! `--include-aws-managed`).

pub mod normalize;
pub mod terraform;

use futures::FutureExt;

use super::Def;
use crate::model::Kind;

pub static DEF: Def = Def {
    kind: Kind::IamPolicy,
    name: "aws_iam_policy",
    id: "the policy name",
    global: true,
    actions: &["iam:GetAccountAuthorizationDetails", "iam:ListPolicyTags"],
    // One GetAccountAuthorizationDetails walk serves roles and policies.
    fetch: |ctx| {
        async move {
            let (_, policies) = ctx.authorization_details().await.clone()?;
            Ok(policies)
        }
        .boxed()
    },
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &["aws_iam_policy"],
    from_terraform: terraform::from_terraform,
    is_aws_owned: super::none_aws_owned,
};
