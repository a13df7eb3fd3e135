//! `aws_iam_policy`: global; customer-managed policies (AWS-managed ones only with
//! `--include-aws-managed`).

pub mod normalize;
mod schema;
pub mod terraform;

use super::Def;
use crate::model::{Identity, Kind};

/// Terraform imports a policy by its ARN: the one AWS returned, else built from the account, the
/// policy's path (`/` when the canonical form dropped the default) and its name.
fn import_id(id: &str, doc: &serde_json::Value, account: Option<&Identity>) -> Option<String> {
    if let Some(arn) = doc.get("Arn").and_then(serde_json::Value::as_str) {
        return Some(arn.to_string());
    }
    let a = account?;
    let path = doc
        .get("Path")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("/");
    let name = doc
        .get("PolicyName")
        .and_then(serde_json::Value::as_str)
        .unwrap_or(id);
    Some(format!(
        "arn:{}:iam::{}:policy{path}{name}",
        a.partition, a.account
    ))
}

pub static DEF: Def = Def {
    kind: Kind::IamPolicy,
    name: "aws_iam_policy",
    noun: "policy",
    id: "the policy name",
    name_field: None,
    global: true,
    actions: &["iam:GetAccountAuthorizationDetails", "iam:ListPolicyTags"],
    // One GetAccountAuthorizationDetails walk serves roles and policies.
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::POLICY],
    related: &[],
    from_terraform: |a| terraform::from_terraform(&a),
    derived: &[],
    is_aws_owned: super::none_aws_owned,
    import_id,
};
