//! `aws_sqs_queue`: every queue with its attributes and tags.

pub mod fetch;
pub mod normalize;
pub mod terraform;

use futures::FutureExt;

use super::Def;
use crate::model::Kind;

pub static DEF: Def = Def {
    kind: Kind::SqsQueue,
    name: "aws_sqs_queue",
    id: "the queue name",
    global: false,
    actions: &[
        "sqs:ListQueues",
        "sqs:GetQueueAttributes",
        "sqs:ListQueueTags",
        "tag:GetResources",
    ],
    // Its own client: no other kind calls SQS (the Tagging API's is shared, in the context).
    fetch: |ctx| {
        async move { fetch::queues(&fetch::client(ctx.config(), ctx.calls()), ctx).await }.boxed()
    },
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &["aws_sqs_queue"],
    from_terraform: terraform::from_terraform,
    is_aws_owned: super::none_aws_owned,
};
