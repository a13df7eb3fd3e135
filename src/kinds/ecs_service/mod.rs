//! `aws_ecs_service`: every service of every cluster, with the latest revision of its task
//! definition's family when it runs an older one.

pub mod normalize;
pub mod terraform;

use futures::future::BoxFuture;
use futures::FutureExt;

use super::{Def, Docs};
use crate::error::FetchError;
use crate::fetch::{ecs, Context};
use crate::model::Kind;

pub static DEF: Def = Def {
    kind: Kind::EcsService,
    name: "aws_ecs_service",
    id: "`cluster/service`",
    global: false,
    actions: &[
        "ecs:ListClusters",
        "ecs:ListServices",
        "ecs:DescribeServices",
        "ecs:ListTaskDefinitions",
    ],
    fetch,
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &["aws_ecs_service"],
    from_terraform: |a| terraform::from_terraform(&a),
    is_aws_owned: super::none_aws_owned,
    import_id: super::import_by_id,
};

/// Services are compared with their family's latest revision; when this run fetches task
/// definitions too, that fetch already knows it (no call per family).
fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
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
