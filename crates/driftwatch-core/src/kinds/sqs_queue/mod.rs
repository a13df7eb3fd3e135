//! `aws_sqs_queue`: every queue with its attributes and tags.

pub mod normalize;
mod related;
mod schema;
pub mod terraform;

use super::Def;
use crate::model::{Identity, Kind};

/// Terraform imports a queue by its URL, `https://sqs.REGION.DOMAIN/ACCOUNT/NAME`: region and
/// account from the queue's ARN when AWS returned it, else from the account the queue was read
/// in.
fn import_id(id: &str, doc: &serde_json::Value, account: Option<&Identity>) -> Option<String> {
    let arn = doc.get("QueueArn").and_then(serde_json::Value::as_str);
    let (partition, region, account, name) = match arn.map(|a| a.split(':').collect::<Vec<_>>()) {
        Some(p) if p.len() == 6 && p[0] == "arn" => (p[1], p[3], p[4], p[5]),
        _ => {
            let a = account?;
            (
                a.partition.as_str(),
                a.region.as_str(),
                a.account.as_str(),
                id,
            )
        }
    };
    let domain = match partition {
        "aws-cn" => "amazonaws.com.cn",
        _ => "amazonaws.com",
    };
    Some(format!("https://sqs.{region}.{domain}/{account}/{name}"))
}

pub static DEF: Def = Def {
    kind: Kind::SqsQueue,
    name: "aws_sqs_queue",
    noun: "queue",
    id: "the queue name",
    name_field: None,
    global: false,
    actions: &[
        "sqs:ListQueues",
        "sqs:GetQueueAttributes",
        "sqs:ListQueueTags",
        "tag:GetResources",
    ],
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::QUEUE],
    related: related::RELATED,
    from_terraform: terraform::from_terraform,
    derived: &[],
    is_aws_owned: super::none_aws_owned,
    import_id,
};
