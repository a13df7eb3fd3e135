//! `aws_sqs_queue`: every queue with its attributes and tags.

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
    ],
    fetch: |ctx| crate::fetch::sqs::queues(ctx.sqs()).boxed(),
    normalize: |doc, _| crate::normalize::sqs_queue::normalize(doc),
    normalize_raw: |doc, _| crate::normalize::sqs_queue::normalize(doc),
    terraform_types: &["aws_sqs_queue"],
    from_terraform: crate::terraform::map::queue,
    is_aws_owned: super::none_aws_owned,
};
