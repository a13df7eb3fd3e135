//! IAM customer-managed policies (and AWS-managed ones with `--aws-managed`), from the
//! account-authorization walk both IAM kinds share (`aws::iam`), with `ListPolicyTags` per
//! policy; and the documents of AWS-managed policies the cross-resource checks read.

use std::collections::BTreeMap;

use aws_sdk_iam::types::{ManagedPolicyDetail, Tag};
use aws_sdk_iam::Client;
use futures::future::BoxFuture;
use futures::{FutureExt, Stream, StreamExt, TryStreamExt};
use serde_json::{json, Value};

use crate::aws::iam::{self, tags_json, Named};
use crate::aws::pages;
use crate::aws::{load_config, ApiCalls, AwsOptions, Context};
use crate::error::FetchError;
use crate::kinds::Docs;

/// `ListPolicyTags` calls in flight. IAM's request rate is account-wide and its token buckets are
/// not published (AWS Security Blog, "How to monitor and query IAM resources at scale, part 2":
/// a bucket per API, refilled every second): 8 hides most of the latency of 1,000 policies
/// (50 ms each: 6 s instead of 50 s serial, overlapped with the paging) and throttled calls are
/// retried with backoff (standard retries, docs/DECISIONS.md #30).
const IN_FLIGHT: usize = 8;

/// The policies' half of the run's IAM walk.
pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    async move { ctx.iam_walk().policies().await }.boxed()
}

/// The policies `found` by the walk's pages, each with its tags, as they arrive (unsorted).
pub(crate) async fn with_tags(
    client: &Client,
    found: impl Stream<Item = ManagedPolicyDetail>,
) -> Result<Named, FetchError> {
    found
        .map(|p| async move {
            let tags = policy_tags(client, p.arn().unwrap_or_default()).await?;
            Ok::<_, FetchError>((policy_name(&p), policy_document(&p, tags)))
        })
        .buffer_unordered(IN_FLIGHT)
        .try_collect()
        .await
}

/// The default version's document of each AWS-managed policy in `arns` (raw, maybe URL-encoded),
/// for the cross-resource checks only: the inventory leaves AWS-managed policies out as
/// AWS-owned. `GetPolicy` + `GetPolicyVersion` per policy: the checks need a few attached ones,
/// where `GetAccountAuthorizationDetails` with the `AWSManagedPolicy` filter would page through
/// every one (moto returns all ~1,300 of them). A policy that cannot be read is left out: the
/// checks then say they cannot tell.
pub async fn aws_managed_documents(
    opts: &AwsOptions,
    calls: &ApiCalls,
    arns: &[String],
) -> Result<BTreeMap<String, String>, String> {
    let config = load_config(opts).await?;
    Ok(default_versions(&iam::client(&config, calls), arns).await)
}

async fn default_versions(client: &Client, arns: &[String]) -> BTreeMap<String, String> {
    let each = arns.iter().map(|arn| async move {
        let policy = client.get_policy().policy_arn(arn).send().await.ok()?;
        let version = policy.policy()?.default_version_id()?.to_string();
        let v = client
            .get_policy_version()
            .policy_arn(arn)
            .version_id(version)
            .send()
            .await
            .ok()?;
        let doc = v.policy_version()?.document()?.to_string();
        Some((arn.clone(), doc))
    });
    futures::stream::iter(each)
        .buffer_unordered(IN_FLIGHT)
        .filter_map(|x| async move { x })
        .collect()
        .await
}

async fn policy_tags(client: &Client, arn: &str) -> Result<Vec<Tag>, FetchError> {
    pages::list(
        "iam:ListPolicyTags",
        client
            .list_policy_tags()
            .policy_arn(arn)
            .into_paginator()
            .send(),
        |p| p.marker(),
        |p| Some(p.tags),
    )
    .await
}

/// A policy in the shape of `ManagedPolicyDetail`, with its tags.
fn policy_document(p: &ManagedPolicyDetail, tags: Vec<Tag>) -> Value {
    json!({
        "PolicyName": policy_name(p),
        "Arn": p.arn(),
        "Path": p.path(),
        "Description": p.description(),
        "DefaultVersionId": p.default_version_id(),
        "PolicyVersionList": p.policy_version_list().iter().map(|v| json!({
            "VersionId": v.version_id(),
            "IsDefaultVersion": v.is_default_version(),
            "Document": v.document(),
        })).collect::<Vec<_>>(),
        "Tags": tags_json(&tags),
    })
}

/// The policy's name. AWS always sends `PolicyName`; moto's `GetAccountAuthorizationDetails`
/// omits it, so fall back to the ARN's last segment (`arn:aws:iam::ID:policy/path/NAME`).
fn policy_name(p: &ManagedPolicyDetail) -> String {
    match p.policy_name() {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => name_from_arn(p.arn().unwrap_or_default()),
    }
}

fn name_from_arn(arn: &str) -> String {
    arn.rsplit('/').next().unwrap_or(arn).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn policy_name_from_arn_skips_the_path() {
        assert_eq!(
            super::name_from_arn("arn:aws:iam::123456789012:policy/ci/deploy"),
            "deploy"
        );
        assert_eq!(
            super::name_from_arn("arn:aws:iam::123456789012:policy/deploy"),
            "deploy"
        );
    }
}
