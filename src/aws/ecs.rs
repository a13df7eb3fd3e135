//! Fetcher for ECS task definitions: the latest ACTIVE revision of every family.

use aws_sdk_ecs::types::{
    SortOrder, TaskDefinitionFamilyStatus, TaskDefinitionField, TaskDefinitionStatus,
};
use aws_sdk_ecs::Client;
use futures::{StreamExt, TryStreamExt};
use serde_json::Value;
use std::collections::BTreeMap;

use super::revision_cache::RevisionCache;
use super::tagging::Query;
use super::{explain, Context, RawBody};
use crate::error::FetchError;

/// Requests in flight. ECS throttles per account and region with token buckets (read actions
/// such as DescribeClusters: a burst of 50, refilled at 20 a second): 16 stays inside the burst
/// and hides 50 ms of latency per call; on a busy account throttled calls are retried with
/// backoff (standard retries, docs/DECISIONS.md #30) instead of failing the run.
const CONCURRENCY: usize = 16;

super::sdk_client!(aws_sdk_ecs);

/// `(family, DescribeTaskDefinition response)` for the latest ACTIVE revision of each family,
/// sorted by family. Families with no ACTIVE revision are skipped. One call per family on AWS.
pub async fn task_definitions(client: &Client) -> Result<Vec<(String, Value)>, FetchError> {
    let families: Vec<String> = client
        .list_task_definition_families()
        .status(TaskDefinitionFamilyStatus::Active)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| explain("ecs:ListTaskDefinitionFamilies", &e))?;
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
pub async fn task_definitions_with_cache(
    ctx: &Context,
    cache: &RevisionCache,
) -> Result<WithCache, FetchError> {
    let client = ctx.ecs();
    let arns: Vec<String> = client
        .list_task_definitions()
        .status(TaskDefinitionStatus::Active)
        .max_results(100)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| explain("ecs:ListTaskDefinitions", &e))?;
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
pub struct WithCache {
    pub all: Vec<(String, Value)>,
    pub described: Vec<(String, Value)>,
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

/// `(family, revision)` of a task definition ARN (`…:task-definition/web:10` → `("web", 10)`).
fn family_and_revision(arn: &str) -> Option<(&str, u64)> {
    let (family, rev) = arn.rsplit_once('/')?.1.rsplit_once(':')?;
    Some((family, rev.parse().ok()?))
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

/// The ARN of the family's newest ACTIVE revision, in one call: AWS returns it first with
/// `sort=DESC, maxResults=1`, without listing the hundreds of revisions a busy family has.
///
/// Two AWS-compatible servers get this wrong in ways we undo here. ListTaskDefinitionFamilies
/// may list a family whose revisions are all INACTIVE (moto ignores `status`): then this finds
/// none and the family is skipped. And a server may ignore `sort` and `maxResults` (moto returns
/// every ACTIVE revision, oldest first): so we take the highest revision of the page rather than
/// the first item.
async fn latest_active_revision(
    client: &Client,
    family: &str,
) -> Result<Option<String>, FetchError> {
    let page = client
        .list_task_definitions()
        .family_prefix(family)
        .status(TaskDefinitionStatus::Active)
        .sort(SortOrder::Desc)
        .max_results(1)
        .send()
        .await
        .map_err(|e| explain("ecs:ListTaskDefinitions", &e))?;
    Ok(highest_revision(family, page.task_definition_arns()))
}

/// The ARN with the highest revision among those of exactly `family` (`familyPrefix` is a
/// prefix on some servers: `web` must not pick `web-api`).
pub(crate) fn highest_revision(family: &str, arns: &[String]) -> Option<String> {
    arns.iter()
        .filter_map(|arn| {
            let (fam, rev) = family_and_revision(arn)?;
            (fam == family).then_some((rev, arn))
        })
        .max_by_key(|(rev, _)| *rev)
        .map(|(_, arn)| arn.clone())
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

/// `family → family:revision` of the latest ACTIVE revisions in `task_definitions` (raw
/// DescribeTaskDefinition documents), so services can be checked against them without asking
/// again.
pub fn latest_revisions(task_definitions: &[(String, Value)]) -> BTreeMap<String, String> {
    task_definitions
        .iter()
        .filter_map(|(family, doc)| {
            let rev = doc.pointer("/taskDefinition/revision")?.as_u64()?;
            Some((family.clone(), format!("{family}:{rev}")))
        })
        .collect()
}

/// DescribeServices takes at most 10 services a call.
const SERVICES_PER_CALL: usize = 10;

/// `("cluster/service", DescribeServices item)` for every service of every cluster, sorted.
/// [`mark_stale_revisions`] completes them.
pub async fn services(client: &Client) -> Result<Vec<(String, Value)>, FetchError> {
    let clusters: Vec<String> = client
        .list_clusters()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| explain("ecs:ListClusters", &e))?;
    let mut out = Vec::new();
    for cluster in clusters {
        let arns: Vec<String> = client
            .list_services()
            .cluster(&cluster)
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| explain("ecs:ListServices", &e))?;
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
pub async fn mark_stale_revisions(
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

/// `arn:aws:ecs:REGION:ACCOUNT:cluster/NAME` → `NAME`; `…:task-definition/FAMILY:REV` →
/// `FAMILY:REV`.
pub(crate) fn last_segment(arn: &str) -> String {
    arn.rsplit('/').next().unwrap_or(arn).to_string()
}

#[cfg(test)]
mod tests {
    use super::highest_revision;

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

    #[test]
    fn picks_the_highest_revision_of_exactly_the_family() {
        let arns: Vec<String> = [
            "arn:aws:ecs:us-east-1:1:task-definition/web:2",
            "arn:aws:ecs:us-east-1:1:task-definition/web:10",
            "arn:aws:ecs:us-east-1:1:task-definition/web-api:99",
        ]
        .map(String::from)
        .into();
        assert_eq!(
            highest_revision("web", &arns).as_deref(),
            Some("arn:aws:ecs:us-east-1:1:task-definition/web:10")
        );
        assert_eq!(highest_revision("api", &arns), None);
    }
}
