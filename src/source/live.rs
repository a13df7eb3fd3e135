//! Source: the live account. Fetches each kind in scope concurrently and normalizes what comes
//! back. One kind failing does not hide the others: its error is returned beside the inventory.

use crate::fetch::{self, ApiCalls, AwsOptions};
use crate::model::{Inventory, Kind, Origin, Resource};
use crate::normalize::normalize;
use crate::report::ErrorEntry;

/// What a live fetch gives: the kinds that were read, the errors of those that were not, and
/// the API calls made.
pub struct Fetched {
    pub inventory: Inventory,
    pub errors: Vec<ErrorEntry>,
    pub calls: ApiCalls,
}

pub async fn fetch(opts: &AwsOptions, kinds: &[Kind]) -> Result<Fetched, String> {
    let config = fetch::load_config(opts).await?;
    let region = config.region().map(|r| r.to_string()).unwrap_or_default();
    let calls = ApiCalls::default();
    let ecs = fetch::ecs::client(&config, &calls);
    let source = format!("live ({region})");

    let results = futures::future::join_all(kinds.iter().map(|&kind| {
        let ecs = &ecs;
        async move {
            let docs = match kind {
                Kind::EcsTaskDefinition => fetch::ecs::task_definitions(ecs).await,
            };
            (kind, docs)
        }
    }))
    .await;

    let mut fetched = Fetched {
        inventory: Inventory::new(source.clone(), &[]),
        errors: Vec::new(),
        calls: calls.clone(),
    };
    for (kind, docs) in results {
        match docs {
            Ok(docs) => {
                fetched.inventory.kinds.push(kind);
                tracing::info!("fetched {} {kind} from {source}", docs.len());
                for (id, doc) in docs {
                    let resource = Resource {
                        document: normalize(kind, doc),
                        origin: Origin(format!("{source} {kind} {id}")),
                    };
                    fetched.inventory.insert(kind, id, resource);
                }
            }
            Err(message) => fetched.errors.push(ErrorEntry {
                kind: Some(kind),
                message,
            }),
        }
    }
    let counts = calls.counts();
    let total: usize = counts.values().sum();
    tracing::info!("{total} AWS API calls: {counts:?}");
    Ok(fetched)
}
