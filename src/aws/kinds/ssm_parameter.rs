//! Fetcher for Parameter Store parameters: `DescribeParameters` (50 a page), metadata only, and
//! the tags: from the Tagging API's pages when the run may use them (`aws::tagging`), else one
//! `ListTagsForResource` per parameter. Never a value: `GetParameter`, `GetParameters` and
//! `GetParametersByPath` are not called, and not in the kind's actions.

use std::collections::BTreeMap;

use aws_sdk_ssm::types::ResourceTypeForTagging;
use aws_sdk_ssm::Client;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::{json, Value};

use crate::aws::tagging::{Query, Tags};
use crate::aws::{all_items, explain, Context};
use crate::error::FetchError;
use crate::kinds::Docs;

/// The most `DescribeParameters` returns a page.
const PARAMETERS_PER_PAGE: i32 = 50;

/// `ListTagsForResource` calls in flight when the Tagging API is not used.
const CONCURRENCY: usize = 8;

crate::aws::sdk_client!(aws_sdk_ssm);

pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    let client = client(ctx.config(), ctx.calls());
    async move { parameters(&client, ctx).await }.boxed()
}

/// `(parameter name, DescribeParameters item with Tags)`, sorted by name.
async fn parameters(client: &Client, ctx: &Context) -> Result<Docs, FetchError> {
    let (items, pages) = tokio::join!(describe(client), ctx.tags(Query::Type("ssm")));
    let (items, pages) = (items?, pages?);
    if pages.is_some() {
        ctx.calls().saved("ssm", "the Tagging API", items.len());
    }
    let by_name = pages.as_ref().map(tags_by_name);
    let by_name = by_name.as_ref();
    let mut out: Docs = futures::stream::iter(items)
        .map(|item| async move { with_tags(client, item, by_name).await })
        .buffer_unordered(CONCURRENCY)
        .try_filter_map(|p| async move { Ok(p) })
        .try_collect()
        .await?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Every `DescribeParameters` item, as the API's JSON, following `NextToken` to the end (moto
/// returns pages of 10 whatever `MaxResults` says; the token is followed all the same).
async fn describe(client: &Client) -> Result<Vec<Value>, FetchError> {
    const OP: &str = "ssm:DescribeParameters";
    all_items(OP, "Parameters", |token, raw| async move {
        let page = client
            .describe_parameters()
            .max_results(PARAMETERS_PER_PAGE)
            .set_next_token(token)
            .customize()
            .interceptor(raw)
            .send()
            .await
            .map_err(|e| explain(OP, &e))?;
        Ok(page.next_token().map(str::to_string))
    })
    .await
}

/// The Tagging API's tags of parameters by the parameter's name without its leading `/` (see
/// [`name_in_arn`]); other SSM resources (documents, …) are left out.
fn tags_by_name(pages: &Tags) -> BTreeMap<String, &BTreeMap<String, String>> {
    pages
        .iter()
        .filter_map(|(arn, tags)| Some((name_in_arn(arn)?.to_string(), tags)))
        .collect()
}

/// A parameter's ARN is `arn:P:ssm:R:A:parameter/NAME` with the name's leading `/` left out
/// (`/app/db` → `parameter/app/db`, `plain` → `parameter/plain`). A name with a `/` must start
/// with one, so the name without it is unique. moto's `DescribeParameters` has no `ARN`, so
/// parameters are matched by name, not ARN.
fn name_in_arn(arn: &str) -> Option<&str> {
    let (_, resource) = arn.split_once(":parameter/")?;
    Some(resource)
}

/// One parameter with its tags: those the pages give its name (none when not listed), else
/// from `ListTagsForResource`. `None` when it was deleted between the listing and this call.
async fn with_tags(
    client: &Client,
    mut item: Value,
    pages: Option<&BTreeMap<String, &BTreeMap<String, String>>>,
) -> Result<Option<(String, Value)>, FetchError> {
    let Some(name) = item.get("Name").and_then(Value::as_str).map(str::to_string) else {
        return Ok(None);
    };
    let tags: serde_json::Map<String, Value> = match pages {
        Some(pages) => pages
            .get(name.trim_start_matches('/'))
            .into_iter()
            .flat_map(|t| t.iter())
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect(),
        None => match client
            .list_tags_for_resource()
            .resource_type(ResourceTypeForTagging::Parameter)
            .resource_id(&name)
            .send()
            .await
        {
            Ok(t) => t
                .tag_list()
                .iter()
                .map(|t| (t.key().to_string(), json!(t.value())))
                .collect(),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_invalid_resource_id()) =>
            {
                return Ok(None)
            }
            Err(e) => return Err(explain("ssm:ListTagsForResource", &e)),
        },
    };
    item["Tags"] = Value::Object(tags);
    Ok(Some((name, item)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_name_in_a_parameter_arn_is_without_its_leading_slash() {
        let arn = "arn:aws:ssm:us-east-1:123456789012:parameter/app/db/host";
        assert_eq!(super::name_in_arn(arn), Some("app/db/host"));
        assert_eq!(
            super::name_in_arn("arn:aws:ssm:us-east-1:1:document/x"),
            None
        );
    }
}
