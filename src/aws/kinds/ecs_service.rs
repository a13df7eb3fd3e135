//! ECS services: every service of every cluster, as DescribeServices returns it, marked when it
//! does not run its family's latest ACTIVE task definition revision.

use aws_sdk_ecs::Client;
use futures::future::BoxFuture;
use futures::FutureExt;
use serde_json::Value;
use std::collections::BTreeMap;

use crate::aws::ecs::{last_segment, latest_active_revision, latest_revisions};
use crate::aws::pages;
use crate::aws::{explain, Context, RawBody};
use crate::error::FetchError;
use crate::kinds::Docs;
use crate::model::Kind;

/// Services are compared with their family's latest revision; when this run fetches task
/// definitions too, that fetch already knows it (no call per family).
pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    async move {
        let mut docs = services(ctx.ecs()).await?;
        let known = match ctx.fetches(Kind::EcsTaskDefinition) {
            true => match ctx.task_definitions().await {
                Ok(tds) => latest_revisions(tds),
                Err(_) => Default::default(),
            },
            false => Default::default(),
        };
        mark_stale_revisions(ctx.ecs(), &mut docs, &known).await?;
        Ok(docs)
    }
    .boxed()
}

/// DescribeServices takes at most 10 services a call.
const SERVICES_PER_CALL: usize = 10;

/// `("cluster/service", DescribeServices item)` for every service of every cluster, sorted.
/// [`mark_stale_revisions`] completes them.
async fn services(client: &Client) -> Result<Vec<(String, Value)>, FetchError> {
    let clusters: Vec<String> = pages::list(
        "ecs:ListClusters",
        client.list_clusters().into_paginator().send(),
        |p| p.next_token(),
        |p| p.cluster_arns,
    )
    .await?;
    let mut out = Vec::new();
    for cluster in clusters {
        let arns: Vec<String> = pages::list(
            "ecs:ListServices",
            client
                .list_services()
                .cluster(&cluster)
                .into_paginator()
                .send(),
            |p| p.next_token(),
            |p| p.service_arns,
        )
        .await?;
        let cluster_name = last_segment(&cluster);
        for chunk in arns.chunks(SERVICES_PER_CALL) {
            for svc in describe_services(client, &cluster, chunk).await? {
                let Some(name) = svc.get("serviceName").and_then(Value::as_str) else {
                    continue;
                };
                if svc.get("status").and_then(Value::as_str) == Some("INACTIVE") {
                    continue; // deleted; AWS keeps describing it for a while
                }
                out.push((format!("{cluster_name}/{name}"), svc));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

async fn describe_services(
    client: &Client,
    cluster: &str,
    arns: &[String],
) -> Result<Vec<Value>, FetchError> {
    const OP: &str = "ecs:DescribeServices";
    let raw = RawBody::default();
    client
        .describe_services()
        .cluster(cluster)
        .set_services(Some(arns.to_vec()))
        .include(aws_sdk_ecs::types::ServiceField::Tags)
        .customize()
        .interceptor(raw.clone())
        .send()
        .await
        .map_err(|e| explain(OP, &e))?;
    let body = raw.json(OP)?;
    Ok(body
        .get("services")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default())
}

/// Adds `latestActiveTaskDefinition` to services that do not run their family's latest ACTIVE
/// revision, so a stale service is visible. `known` holds the latest revisions the task
/// definition fetch found in the same run (see [`latest_revisions`]); only families not in it
/// cost a ListTaskDefinitions call.
async fn mark_stale_revisions(
    client: &Client,
    services: &mut [(String, Value)],
    known: &BTreeMap<String, String>,
) -> Result<(), FetchError> {
    let mut latest: BTreeMap<String, Option<String>> = known
        .iter()
        .map(|(f, r)| (f.clone(), Some(r.clone())))
        .collect();
    for (_, svc) in services.iter_mut() {
        let Some(running) = svc
            .get("taskDefinition")
            .and_then(Value::as_str)
            .map(last_segment)
        else {
            continue;
        };
        let Some((family, _)) = running.rsplit_once(':') else {
            continue;
        };
        if !latest.contains_key(family) {
            let arn = latest_active_revision(client, family).await?;
            latest.insert(family.to_string(), arn.map(|a| last_segment(&a)));
        }
        if let Some(Some(newest)) = latest.get(family) {
            if *newest != running {
                svc["latestActiveTaskDefinition"] = Value::from(newest.clone());
            }
        }
    }
    Ok(())
}
