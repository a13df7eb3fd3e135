//! The AWS half of each kind: one module a kind, fetching every resource of it with the run's
//! shared clients and calls (`Context`). The pure half (normalizer, Terraform mapping, the API
//! actions named here) is the kind's folder in the core crate. [`fetch_of`] matches every kind:
//! a kind without a fetch module does not compile.

pub mod security_group;
pub mod sqs_queue;

use futures::future::BoxFuture;
use futures::FutureExt;

use super::{ecs, Context};
use crate::error::FetchError;
use crate::kinds::Docs;
use crate::model::Kind;

/// Fetches every resource of a kind.
pub type Fetch = for<'a> fn(&'a Context) -> BoxFuture<'a, Result<Docs, FetchError>>;

/// How `kind` is fetched.
pub fn fetch_of(kind: Kind) -> Fetch {
    match kind {
        Kind::EcsTaskDefinition => {
            |ctx| async move { ctx.task_definitions().await.clone() }.boxed()
        }
        Kind::EcsService => services,
        Kind::IamRole => |ctx| async move { ctx.iam_walk().roles().await }.boxed(),
        Kind::IamPolicy => |ctx| async move { ctx.iam_walk().policies().await }.boxed(),
        // Its own client: no other kind calls EC2.
        Kind::SecurityGroup => |ctx| {
            let client = security_group::client(ctx.config(), ctx.calls());
            async move { security_group::security_groups(&client).await }.boxed()
        },
        // Its own client: no other kind calls SQS (the Tagging API's is shared, in the context).
        Kind::SqsQueue => |ctx| {
            let client = sqs_queue::client(ctx.config(), ctx.calls());
            async move { sqs_queue::queues(&client, ctx).await }.boxed()
        },
    }
}

/// Services are compared with their family's latest revision; when this run fetches task
/// definitions too, that fetch already knows it (no call per family).
fn services(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    async move {
        let mut docs = ecs::services(ctx.ecs()).await?;
        let known = match ctx.fetches(Kind::EcsTaskDefinition) {
            true => match ctx.task_definitions().await {
                Ok(tds) => ecs::latest_revisions(tds),
                Err(_) => Default::default(),
            },
            false => Default::default(),
        };
        ecs::mark_stale_revisions(ctx.ecs(), &mut docs, &known).await?;
        Ok(docs)
    }
    .boxed()
}
