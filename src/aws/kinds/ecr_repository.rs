//! Fetcher for ECR repositories: `DescribeRepositories` (1,000 a page), then per repository its
//! lifecycle policy, repository policy and tags, asked together. ECR is not in the Tagging API
//! (neither on AWS nor on moto), so tags cost one `ListTagsForResource` per repository. Never
//! `GetAuthorizationToken`: driftwatch reads settings, not images.

use aws_sdk_ecr::types::Repository;
use aws_sdk_ecr::Client;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::{json, Map, Value};

use crate::aws::pages;
use crate::aws::{explain, Context};
use crate::error::FetchError;
use crate::kinds::Docs;

/// Repositories a `DescribeRepositories` page holds: AWS's maximum.
const PAGE: i32 = 1000;

/// Repositories read at once (three calls each). ECR rate-limits each API on its own token
/// bucket; eight repositories keep each bucket at eight requests in flight.
const CONCURRENCY: usize = 8;

crate::aws::sdk_client!(aws_sdk_ecr);

/// Every repository, with a client of its own: no other kind calls ECR.
pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    let client = client(ctx.config(), ctx.calls());
    async move { repositories(&client).await }.boxed()
}

/// `(repository name, document)`, sorted by name.
async fn repositories(client: &Client) -> Result<Docs, FetchError> {
    let listed: Result<Vec<Repository>, _> = pages::list(
        "ecr:DescribeRepositories",
        client
            .describe_repositories()
            .max_results(PAGE)
            .into_paginator()
            .send(),
        |p| p.next_token(),
        |p| p.repositories,
    )
    .await;
    let listed = listed?;
    let mut out: Docs = futures::stream::iter(listed)
        .map(|r| async move { repository(client, r).await })
        .buffer_unordered(CONCURRENCY)
        .try_filter_map(|r| async move { Ok(r) })
        .try_collect()
        .await?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// What an ECR call found: the answer, or that the repository was deleted since the listing.
enum Found<T> {
    Is(T),
    Gone,
}

/// One repository's document; `None` when it was deleted between the listing and these calls.
async fn repository(client: &Client, r: Repository) -> Result<Option<(String, Value)>, FetchError> {
    let Some(name) = r.repository_name().map(str::to_string) else {
        return Ok(None);
    };
    let arn = r.repository_arn().unwrap_or_default().to_string();
    let (lifecycle, policy, tags) = tokio::try_join!(
        lifecycle_policy(client, &name),
        repository_policy(client, &name),
        tags(client, &arn),
    )?;
    let (Found::Is(lifecycle), Found::Is(policy), Found::Is(tags)) = (lifecycle, policy, tags)
    else {
        return Ok(None);
    };
    let mut doc = settings(&r);
    doc.insert(
        "lifecyclePolicy".into(),
        lifecycle.map_or(Value::Null, Value::from),
    );
    doc.insert(
        "repositoryPolicy".into(),
        policy.map_or(Value::Null, Value::from),
    );
    doc.insert("tags".into(), Value::Object(tags));
    Ok(Some((name, Value::Object(doc))))
}

/// The `DescribeRepositories` item in the API's field names.
fn settings(r: &Repository) -> Map<String, Value> {
    let filters: Vec<Value> = r
        .image_tag_mutability_exclusion_filters()
        .iter()
        .map(|f| json!({"filterType": f.filter_type().as_str(), "filter": f.filter()}))
        .collect();
    let doc = json!({
        "repositoryName": r.repository_name(),
        "repositoryArn": r.repository_arn(),
        "registryId": r.registry_id(),
        "repositoryUri": r.repository_uri(),
        "imageTagMutability": r.image_tag_mutability().map(|m| m.as_str()),
        "imageTagMutabilityExclusionFilters": filters,
        "imageScanningConfiguration": r.image_scanning_configuration()
            .map(|s| json!({"scanOnPush": s.scan_on_push()})),
        "encryptionConfiguration": r.encryption_configuration().map(|e| json!({
            "encryptionType": e.encryption_type().as_str(), "kmsKey": e.kms_key()})),
    });
    match doc {
        Value::Object(m) => m,
        _ => unreachable!("json! of an object"),
    }
}

/// The lifecycle policy's text; `None` when the repository has none (ECR answers
/// `LifecyclePolicyNotFoundException`).
async fn lifecycle_policy(
    client: &Client,
    name: &str,
) -> Result<Found<Option<String>>, FetchError> {
    match client
        .get_lifecycle_policy()
        .repository_name(name)
        .send()
        .await
    {
        Ok(o) => Ok(Found::Is(o.lifecycle_policy_text().map(str::to_string))),
        Err(e) => match e.as_service_error() {
            Some(s) if s.is_lifecycle_policy_not_found_exception() => Ok(Found::Is(None)),
            Some(s) if s.is_repository_not_found_exception() => Ok(Found::Gone),
            _ => Err(explain("ecr:GetLifecyclePolicy", &e)),
        },
    }
}

/// The repository policy's text; `None` when the repository has none (ECR answers
/// `RepositoryPolicyNotFoundException`).
async fn repository_policy(
    client: &Client,
    name: &str,
) -> Result<Found<Option<String>>, FetchError> {
    match client
        .get_repository_policy()
        .repository_name(name)
        .send()
        .await
    {
        Ok(o) => Ok(Found::Is(o.policy_text().map(str::to_string))),
        Err(e) => match e.as_service_error() {
            Some(s) if s.is_repository_policy_not_found_exception() => Ok(Found::Is(None)),
            Some(s) if s.is_repository_not_found_exception() => Ok(Found::Gone),
            _ => Err(explain("ecr:GetRepositoryPolicy", &e)),
        },
    }
}

/// The repository's tags, key → value.
async fn tags(client: &Client, arn: &str) -> Result<Found<Map<String, Value>>, FetchError> {
    match client
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
    {
        Ok(o) => Ok(Found::Is(
            o.tags()
                .iter()
                .map(|t| (t.key().to_string(), Value::from(t.value())))
                .collect(),
        )),
        Err(e) => match e.as_service_error() {
            Some(s) if s.is_repository_not_found_exception() => Ok(Found::Gone),
            _ => Err(explain("ecr:ListTagsForResource", &e)),
        },
    }
}
