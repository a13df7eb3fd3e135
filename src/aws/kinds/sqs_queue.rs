//! Fetcher for SQS queues: every attribute `GetQueueAttributes(All)` returns, and the tags:
//! from the Tagging API's pages when the run may use them (`aws::tagging`: 100 queues a
//! call, eventually consistent), else one `ListQueueTags` per queue.

use aws_sdk_sqs::types::QueueAttributeName;
use aws_sdk_sqs::Client;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::{Map, Value};

use crate::aws::pages;
use crate::aws::tagging::{Query, Tags};
use crate::aws::{explain, Context};
use crate::error::FetchError;
use crate::kinds::Docs;

/// Queues fetched at once (two calls each). SQS documents no per-account quota for
/// GetQueueAttributes or ListQueueTags (its quotas are per queue, on messages), so the limit is
/// what hides AWS's latency without flooding the client: 16 queues, 32 requests in flight.
const CONCURRENCY: usize = 16;

crate::aws::sdk_client!(aws_sdk_sqs);

/// Every queue, with a client of its own: no other kind calls SQS (the Tagging API's client is
/// shared, in the context).
pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    let client = client(ctx.config(), ctx.calls());
    async move { queues(&client, ctx).await }.boxed()
}

/// `(queue name, attributes with QueueName and Tags)`, sorted by name.
async fn queues(client: &Client, ctx: &Context) -> Result<Vec<(String, Value)>, FetchError> {
    // Without MaxResults, ListQueues returns at most 1,000 queues and no token: a silent
    // truncation. With it, the paginator follows NextToken to the end.
    let urls = async {
        let urls: Result<Vec<String>, _> = pages::list(
            "sqs:ListQueues",
            client
                .list_queues()
                .max_results(1000)
                .into_paginator()
                .send(),
            |p| p.next_token(),
            |p| p.queue_urls,
        )
        .await;
        urls
    };
    let (urls, tags) = tokio::join!(urls, ctx.tags(Query::Type("sqs")));
    let (urls, tags) = (urls?, tags?);
    if tags.is_some() {
        ctx.calls().saved("sqs", "the Tagging API", urls.len());
    }
    let tags = tags.as_ref();
    let mut out: Vec<(String, Value)> = futures::stream::iter(urls)
        .map(|url| async move { queue(client, &url, tags).await })
        .buffer_unordered(CONCURRENCY)
        .try_filter_map(|q| async move { Ok(q) })
        .try_collect()
        .await?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// One queue, or None when it was deleted between the listing and this call. Its tags are those
/// `pages` give its ARN (none when not listed), else from `ListQueueTags`.
async fn queue(
    client: &Client,
    url: &str,
    pages: Option<&Tags>,
) -> Result<Option<(String, Value)>, FetchError> {
    let name = queue_name(url);
    let attrs = match client
        .get_queue_attributes()
        .queue_url(url)
        .attribute_names(QueueAttributeName::All)
        .send()
        .await
    {
        Ok(a) => a,
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_queue_does_not_exist()) =>
        {
            return Ok(None)
        }
        Err(e) => return Err(explain("sqs:GetQueueAttributes", &e)),
    };
    let mut doc = Map::new();
    doc.insert("QueueName".into(), Value::from(name.clone()));
    for (k, v) in attrs.attributes().into_iter().flatten() {
        doc.insert(k.as_str().to_string(), Value::from(v.as_str()));
    }
    let arn = doc.get("QueueArn").and_then(Value::as_str);
    let tags: Map<String, Value> = match (pages, arn) {
        (Some(pages), Some(arn)) => pages
            .get(arn)
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect(),
        _ => client
            .list_queue_tags()
            .queue_url(url)
            .send()
            .await
            .map_err(|e| explain("sqs:ListQueueTags", &e))?
            .tags()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect(),
    };
    doc.insert("Tags".into(), Value::Object(tags));
    Ok(Some((name, Value::Object(doc))))
}

/// A queue URL's last segment is the queue name; the host differs between AWS
/// (`sqs.REGION.amazonaws.com`) and local servers, so nothing else of the URL is used.
fn queue_name(url: &str) -> String {
    url.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(url)
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn queue_name_is_the_last_segment_of_any_url() {
        for url in [
            "https://sqs.us-east-1.amazonaws.com/123456789012/jobs.fifo",
            "http://127.0.0.1:5000/123456789012/jobs.fifo",
        ] {
            assert_eq!(super::queue_name(url), "jobs.fifo");
        }
    }
}
