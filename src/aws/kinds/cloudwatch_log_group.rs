//! Fetcher for CloudWatch Logs log groups: `DescribeLogGroups` (50 a page: AWS's maximum) has
//! every compared setting but the tags; those come from the Tagging API's pages when the run
//! may use them (`aws::tagging`), else one `ListTagsForResource` per group.

use aws_sdk_cloudwatchlogs::types::LogGroup;
use aws_sdk_cloudwatchlogs::Client;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::{json, Map, Value};

use crate::aws::pages;
use crate::aws::tagging::{Query, Tags};
use crate::aws::{explain, Context};
use crate::error::FetchError;
use crate::kinds::Docs;

/// Log groups a `DescribeLogGroups` page holds: AWS's maximum (moto refuses more).
const PAGE: i32 = 50;

/// Groups whose tags are asked at once when the Tagging API is not used. CloudWatch Logs
/// publishes no per-action rate for ListTagsForResource; standard retries handle throttling.
const CONCURRENCY: usize = 8;

/// The Tagging API's resource type filter: the bare service, since AWS names log groups
/// `logs:log-group` and moto `logs:loggroup`. Other log resources (destinations, deliveries)
/// in the pages are simply never looked up.
const TAG_TYPE: &str = "logs";

crate::aws::sdk_client!(aws_sdk_cloudwatchlogs);

/// Every log group, with a client of its own: no other kind calls CloudWatch Logs.
pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    let client = client(ctx.config(), ctx.calls());
    async move { groups(&client, ctx).await }.boxed()
}

/// `(log group name, document)`, sorted by name.
async fn groups(client: &Client, ctx: &Context) -> Result<Docs, FetchError> {
    let listed = async {
        let listed: Result<Vec<LogGroup>, _> = pages::list(
            "logs:DescribeLogGroups",
            client
                .describe_log_groups()
                .limit(PAGE)
                .into_paginator()
                .send(),
            |p| p.next_token(),
            |p| p.log_groups,
        )
        .await;
        listed
    };
    let (listed, pages) = tokio::join!(listed, ctx.tags(Query::Type(TAG_TYPE)));
    let (listed, pages) = (listed?, pages?);
    if pages.is_some() {
        ctx.calls().saved("logs", "the Tagging API", listed.len());
    }
    let pages = pages.as_ref();
    let mut out: Docs = futures::stream::iter(listed)
        .map(|g| async move { group(client, g, pages).await })
        .buffer_unordered(CONCURRENCY)
        .try_filter_map(|g| async move { Ok(g) })
        .try_collect()
        .await?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// One group's document with its tags: those `pages` give its ARN (none when not listed), else
/// from `ListTagsForResource`. `None` when it was deleted since the listing.
async fn group(
    client: &Client,
    g: LogGroup,
    pages: Option<&Tags>,
) -> Result<Option<(String, Value)>, FetchError> {
    let Some(name) = g.log_group_name().map(str::to_string) else {
        return Ok(None);
    };
    let arn = tagging_arn(&g);
    let tags: Map<String, Value> = match (pages, &arn) {
        (Some(pages), Some(arn)) => pages
            .get(arn)
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect(),
        (_, Some(arn)) => match client
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
        {
            Ok(o) => o
                .tags()
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                .collect(),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_resource_not_found_exception()) =>
            {
                return Ok(None)
            }
            Err(e) => return Err(explain("logs:ListTagsForResource", &e)),
        },
        (_, None) => Map::new(),
    };
    let doc = json!({
        "logGroupName": name,
        "arn": g.arn(),
        "retentionInDays": g.retention_in_days(),
        "kmsKeyId": g.kms_key_id(),
        "logGroupClass": g.log_group_class().map(|c| c.as_str()),
        "tags": tags,
    });
    Ok(Some((name, doc)))
}

/// The ARN tags are kept under: `DescribeLogGroups`' `arn` ends in `:*` (the form IAM policies
/// use for the group's streams), while the Tagging API and `ListTagsForResource` name the group
/// without it, as the newer `logGroupArn` does. `logGroupArn` when AWS gives it, else `arn`
/// without its `:*`.
fn tagging_arn(g: &LogGroup) -> Option<String> {
    g.log_group_arn()
        .map(str::to_string)
        .or_else(|| g.arn().map(|a| without_stream_wildcard(a).to_string()))
}

/// `arn:…:log-group:NAME:*` → `arn:…:log-group:NAME`.
fn without_stream_wildcard(arn: &str) -> &str {
    arn.strip_suffix(":*").unwrap_or(arn)
}

#[cfg(test)]
mod tests {
    use aws_sdk_cloudwatchlogs::types::LogGroup;

    use super::tagging_arn;

    const GROUP: &str = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/backend";

    #[test]
    fn the_tagging_arn_has_no_stream_wildcard() {
        let old = LogGroup::builder().arn(format!("{GROUP}:*")).build();
        assert_eq!(tagging_arn(&old).as_deref(), Some(GROUP));
        let new = LogGroup::builder()
            .arn(format!("{GROUP}:*"))
            .log_group_arn(GROUP)
            .build();
        assert_eq!(tagging_arn(&new).as_deref(), Some(GROUP));
    }
}
