//! What the four RDS kinds share: the page size of RDS's describes, tags as the API lists
//! them, and `ListTagsForResource` for the groups (instances and clusters have their tags
//! inline). Each kind makes its own client (`sdk_client!` in its module).

use aws_sdk_rds::types::Tag;
use aws_sdk_rds::Client;
use serde_json::{json, Value};

use super::explain;
use crate::error::FetchError;

/// The most RDS's describes return a page (`MaxRecords` 20 to 100).
pub(crate) const RECORDS_PER_PAGE: i32 = 100;

/// Calls in flight for the per-group calls (parameters, tags). RDS publishes no rate for its
/// describes; a few at once hide the latency without leaning on the standard retries.
pub(crate) const CONCURRENCY: usize = 8;

/// `[{Key, Value}]`, as `TagList` is in the API's documents.
/// `(identifier, document)` of each described item, sorted by identifier (instances and
/// clusters, whose describes carry everything compared).
pub(crate) fn by_identifier<T>(
    items: &[T],
    id: impl Fn(&T) -> Option<&str>,
    document: impl Fn(&T) -> Value,
) -> crate::kinds::Docs {
    let mut out: crate::kinds::Docs = items
        .iter()
        .filter_map(|i| Some((id(i)?.to_string(), document(i))))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

pub(crate) fn tag_list(tags: &[Tag]) -> Value {
    Value::Array(
        tags.iter()
            .map(|t| json!({"Key": t.key(), "Value": t.value()}))
            .collect(),
    )
}

/// The tags of the resource `arn` names, as a `TagList`. A failure is an error of the kind:
/// tags that could not be read are not "no tags".
pub(crate) async fn tags_of(client: &Client, arn: &str) -> Result<Value, FetchError> {
    let answer = client
        .list_tags_for_resource()
        .resource_name(arn)
        .send()
        .await
        .map_err(|e| explain("rds:ListTagsForResource", &e))?;
    Ok(tag_list(answer.tag_list()))
}
