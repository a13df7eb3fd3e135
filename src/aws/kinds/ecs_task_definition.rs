//! ECS task definitions: the latest ACTIVE revision of every family, fetched once a run (see
//! `Context::task_definitions`: services are compared with them), from the revision cache
//! where it already holds them.

use aws_sdk_ecs::types::{TaskDefinitionFamilyStatus, TaskDefinitionField, TaskDefinitionStatus};
use aws_sdk_ecs::Client;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::Value;
use std::collections::BTreeMap;

use crate::aws::ecs::{family_and_revision, latest_active_revision};
use crate::aws::pages;
use crate::aws::revision_cache::RevisionCache;
use crate::aws::tagging::Query;
use crate::aws::{explain, Context, RawBody};
use crate::error::FetchError;
use crate::kinds::Docs;
use crate::model::Kind;
use crate::normalize::{normalize_raw, secrets, Redaction};

/// Requests in flight. ECS throttles per account and region with token buckets (read actions
/// such as DescribeClusters: a burst of 50, refilled at 20 a second): 16 stays inside the burst
/// and hides 50 ms of latency per call; on a busy account throttled calls are retried with
/// backoff (standard retries, docs/DECISIONS.md #30) instead of failing the run.
const CONCURRENCY: usize = 16;

/// Every family's latest ACTIVE revision, shared with services through the context.
pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    async move { ctx.task_definitions().await.clone() }.boxed()
}

/// What [`Context::task_definitions`] holds once a run: with revisions of this account and
/// region in the cache, only those not in it are described; without, every family is, and the
/// cache is filled.
pub(crate) async fn latest_of_every_family(ctx: &Context) -> Result<Docs, FetchError> {
    let cache = ctx.revision_cache().await;
    let storable = |e: &Value| storable(e, ctx.redaction());
    match cache {
        Some(cache) if cache.has_entries() => {
            let docs = task_definitions_with_cache(ctx, &cache).await?;
            cache.put_all(docs.described.iter().map(|(_, d)| d), storable);
            Ok(docs.all)
        }
        _ => {
            let docs = task_definitions(ctx.ecs()).await?;
            if let Some(cache) = cache {
                cache.put_all(docs.iter().map(|(_, d)| d), storable);
            }
            Ok(docs)
        }
    }
}

/// Whether a revision may be cached: the cache holds what AWS returned, before redaction, so a
/// revision with a secret in clear (an environment value named like one, a credential in a
/// command) is described every run instead of written to disk.
fn storable(entry: &Value, redaction: &Redaction) -> bool {
    let canonical = normalize_raw(Kind::EcsTaskDefinition, entry.clone(), redaction);
    !secrets::redaction_found_secrets(entry, &canonical)
}

/// `(family, DescribeTaskDefinition response)` for the latest ACTIVE revision of each family,
/// sorted by family. Families with no ACTIVE revision are skipped. One call per family on AWS.
async fn task_definitions(client: &Client) -> Result<Vec<(String, Value)>, FetchError> {
    let families: Vec<String> = pages::list(
        "ecs:ListTaskDefinitionFamilies",
        client
            .list_task_definition_families()
            .status(TaskDefinitionFamilyStatus::Active)
            .into_paginator()
            .send(),
        |p| p.next_token(),
        |p| p.families,
    )
    .await?;
    let mut out: Vec<(String, Value)> = futures::stream::iter(families)
        .map(|family| async move {
            Ok::<_, FetchError>(
                latest_active(client, &family)
                    .await?
                    .map(|doc| (family, doc)),
            )
        })
        .buffer_unordered(CONCURRENCY)
        .try_filter_map(|x| async move { Ok(x) })
        .try_collect()
        .await?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    Ok(out)
}

/// [`task_definitions`] with revisions already seen in `cache`: `ListTaskDefinitions(ACTIVE)`
/// pages (100 ARNs a page) name the latest revision of every family; those in the cache are
/// taken from it, with their tags from the Tagging API's pages (tags can change on a
/// revision); the others are described (with their tags) and cached. Without the Tagging API,
/// the cached revisions are described too, as without a cache.
async fn task_definitions_with_cache(
    ctx: &Context,
    cache: &RevisionCache,
) -> Result<WithCache, FetchError> {
    let client = ctx.ecs();
    let arns: Vec<String> = pages::list(
        "ecs:ListTaskDefinitions",
        client
            .list_task_definitions()
            .status(TaskDefinitionStatus::Active)
            .max_results(100)
            .into_paginator()
            .send(),
        |p| p.next_token(),
        |p| p.task_definition_arns,
    )
    .await?;
    let (mut hits, mut misses) = (Vec::new(), Vec::new());
    for (family, arn) in latest_per_family(&arns)? {
        match cache.get(&arn) {
            Some(doc) => hits.push((family, arn, doc)),
            None => misses.push((family, arn)),
        }
    }
    // By ARN: a type query would list every revision of every family, not the latest only.
    let wanted: Vec<String> = hits.iter().map(|(_, arn, _)| arn.clone()).collect();
    let tags = match hits.is_empty() {
        true => None,
        false => ctx.tags(Query::Arns(&wanted)).await?,
    };
    let mut out = Vec::new();
    match tags {
        Some(tags) => {
            ctx.calls().saved("ecs", "the revision cache", hits.len());
            for (family, arn, mut doc) in hits {
                if let Some(t) = tags.get(&arn).filter(|t| !t.is_empty()) {
                    doc["tags"] = t
                        .iter()
                        .map(|(k, v)| serde_json::json!({"key": k, "value": v}))
                        .collect();
                }
                out.push((family, doc));
            }
        }
        None => misses.extend(hits.into_iter().map(|(family, arn, _)| (family, arn))),
    }
    let described: Vec<(String, Value)> = futures::stream::iter(misses)
        .map(|(family, arn)| async move {
            let doc = describe(client, &arn).await?;
            // Deregistered since it was listed: whatever is now the latest.
            if status_of(&doc) != Some("ACTIVE") {
                return Ok(latest_active(client, &family).await?.map(|d| (family, d)));
            }
            Ok::<_, FetchError>(Some((family, doc)))
        })
        .buffer_unordered(CONCURRENCY)
        .try_filter_map(|x| async move { Ok(x) })
        .try_collect()
        .await?;
    out.extend(described.iter().cloned());
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(WithCache {
        all: out,
        described,
    })
}

/// What [`task_definitions_with_cache`] found: every family's latest revision, and those it
/// described (to be cached).
struct WithCache {
    all: Vec<(String, Value)>,
    described: Vec<(String, Value)>,
}

/// `family → ARN` of the highest revision of each family among `arns`. An ARN that does not
/// end in `family:revision` is an error: skipping it would drop the family from the check and
/// report its golden file missing.
fn latest_per_family(arns: &[String]) -> Result<BTreeMap<String, String>, FetchError> {
    let mut latest: BTreeMap<&str, (u64, &String)> = BTreeMap::new();
    for arn in arns {
        let (family, rev) = family_and_revision(arn).ok_or_else(|| {
            FetchError::said(format!(
                "ecs:ListTaskDefinitions: `{arn}` is not a task definition revision ARN"
            ))
        })?;
        let slot = latest.entry(family).or_insert((rev, arn));
        if rev > slot.0 {
            *slot = (rev, arn);
        }
    }
    Ok(latest
        .into_iter()
        .map(|(f, (_, arn))| (f.to_string(), arn.clone()))
        .collect())
}

/// The family's latest ACTIVE revision, as DescribeTaskDefinition returns it. On AWS,
/// `DescribeTaskDefinition(family)` is that revision: one call. An AWS-compatible server may
/// answer with an INACTIVE revision instead (moto does when the newest one was deregistered);
/// the answer says its status, and only then is the revision looked up with ListTaskDefinitions
/// and described by ARN.
async fn latest_active(client: &Client, family: &str) -> Result<Option<Value>, FetchError> {
    let doc = describe(client, family).await?;
    if status_of(&doc) == Some("ACTIVE") {
        return Ok(Some(doc));
    }
    let Some(arn) = latest_active_revision(client, family).await? else {
        return Ok(None);
    };
    let doc = describe(client, &arn).await?;
    match status_of(&doc) {
        Some("ACTIVE") => Ok(Some(doc)),
        other => Err(FetchError::of(
            "ecs:DescribeTaskDefinition",
            format!(
                "{arn} is {}, expected ACTIVE",
                other.unwrap_or("without a status")
            ),
        )),
    }
}

fn status_of(doc: &Value) -> Option<&str> {
    doc.pointer("/taskDefinition/status")
        .and_then(Value::as_str)
}

/// The revisions (`family:revision`) services run that are not their family's latest, as raw
/// DescribeTaskDefinition documents, for the checks of what a task needs; each one that cannot
/// be described with why (the checks then say they did not judge it): nothing here fails the
/// run.
pub async fn revisions(
    opts: &crate::aws::AwsOptions,
    calls: &crate::aws::ApiCalls,
    wanted: &[String],
) -> BTreeMap<String, Result<Value, String>> {
    if wanted.is_empty() {
        return BTreeMap::new();
    }
    let config = match crate::aws::load_config(opts).await {
        Ok(c) => c,
        Err(e) => return wanted.iter().map(|r| (r.clone(), Err(e.clone()))).collect(),
    };
    let client = crate::aws::ecs::client(&config, calls);
    let client = &client;
    futures::stream::iter(wanted)
        .map(|rev| async move {
            let doc = describe(client, rev).await.map_err(|e| e.to_string());
            (rev.clone(), doc)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await
}

/// DescribeTaskDefinition of a family (its latest ACTIVE revision on AWS) or of an ARN, with
/// its tags, as the raw response document.
async fn describe(client: &Client, family_or_arn: &str) -> Result<Value, FetchError> {
    const OP: &str = "ecs:DescribeTaskDefinition";
    let raw = RawBody::default();
    client
        .describe_task_definition()
        .task_definition(family_or_arn)
        .include(TaskDefinitionField::Tags)
        .customize()
        .interceptor(raw.clone())
        .send()
        .await
        .map_err(|e| explain(OP, &e))?;
    raw.json(OP)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_latest_revision_of_every_family_from_one_listing() {
        let arns: Vec<String> = [
            "arn:aws:ecs:us-east-1:1:task-definition/web:9",
            "arn:aws:ecs:us-east-1:1:task-definition/web:10",
            "arn:aws:ecs:us-east-1:1:task-definition/web-api:3",
            "arn:aws:ecs:us-east-1:1:task-definition/web:2",
        ]
        .map(String::from)
        .into();
        let latest = super::latest_per_family(&arns).unwrap();
        assert_eq!(
            latest.into_iter().collect::<Vec<_>>(),
            [
                ("web".to_string(), arns[1].clone()),
                ("web-api".to_string(), arns[2].clone())
            ]
        );
    }

    #[test]
    fn an_arn_that_names_no_revision_fails_the_listing_instead_of_dropping_a_family() {
        let arns = vec!["arn:aws:ecs:us-east-1:1:task-definition/web".to_string()];
        let err = super::latest_per_family(&arns).unwrap_err().to_string();
        assert!(err.contains("task-definition/web` is not a task definition revision ARN"));
    }
}
