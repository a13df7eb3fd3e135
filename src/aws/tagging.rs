//! Tags in pages: the Resource Groups Tagging API's `GetResources` answers with the tags of up
//! to 100 resources of a type a call, where the services themselves need one call per resource
//! (`sqs:ListQueueTags`) or per description (a task definition revision served from the
//! revision cache). Shared plumbing because two kinds use it.
//!
//! The Tagging API is eventually consistent on AWS: a tag changed seconds ago may still show
//! its old value (and a resource tagged a moment ago may be missing). For drift detection this
//! is acceptable: drift is a state that lasts, a nightly check sees settled tags, and a check
//! that runs right after a deploy that changes tags and must not see a lag can read the tags
//! first-hand with `--no-cache` (README, "Permissions"). A new task definition revision is never
//! affected: it is not in the revision cache, so it is described with its tags.

use std::collections::BTreeMap;

use aws_sdk_resourcegroupstagging::types::ResourceTagMapping;
pub use aws_sdk_resourcegroupstagging::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::{StreamExt, TryStreamExt};

use super::explain;
use super::pages::{self, PageError};
use crate::error::FetchError;

/// The one call this module makes.
const OPERATION: &str = "tag:GetResources";

super::sdk_client!(aws_sdk_resourcegroupstagging);

/// `ARN → tags` of the resources of one type.
pub type Tags = BTreeMap<String, BTreeMap<String, String>>;

/// The most AWS allows a page.
const RESOURCES_PER_PAGE: i32 = 100;

/// Which resources' tags to ask for.
#[derive(Clone, Copy, Debug)]
pub enum Query<'a> {
    /// Every resource of a type (`sqs`, `ecs:task-definition`), 100 a page.
    Type(&'a str),
    /// These ARNs, 100 a call: fewer calls than a type when only some of its resources are
    /// wanted (the latest revision of each family, not every revision).
    Arns(&'a [String]),
}

/// ARNs per call with `ResourceARNList` (AWS's maximum).
const ARNS_PER_CALL: usize = 100;

/// Calls in flight for [`Query::Arns`]: the Tagging API's quota is small (GetResources: a few
/// calls a second per account), so few; throttling is retried with backoff (standard retries,
/// docs/DECISIONS.md #30).
const CONCURRENCY: usize = 4;

/// The tags of the resources `query` names, by ARN. A resource that is not listed has no tags:
/// AWS lists the resources that are tagged or were once tagged. `Ok(None)` when the server
/// does not offer the API or the credentials may not call it: the caller falls back to its
/// per-resource calls. Other failures (throttled past the retries, no answer) are errors, as
/// for any call.
///
/// moto pages by at most 100 tags as well (its `TagsPerPage` default, which AWS does not apply
/// when `ResourcesPerPage` is given), so its pages are smaller; the result is the same.
pub async fn tags(client: &Client, query: Query<'_>) -> Result<Option<Tags>, FetchError> {
    let mappings = match query {
        Query::Type(resource_type) => {
            let listed = pages::items(
                client
                    .get_resources()
                    .resource_type_filters(resource_type)
                    .resources_per_page(RESOURCES_PER_PAGE)
                    .into_paginator()
                    .send(),
                |p| p.pagination_token(),
                |p| p.resource_tag_mapping_list,
            )
            .await;
            listed.map_err(|e| match e {
                PageError::Call(e) => failure(&e),
                PageError::Repeated => Some(pages::repeated(OPERATION)),
            })
        }
        Query::Arns(arns) => {
            let chunks: Vec<Vec<String>> = arns.chunks(ARNS_PER_CALL).map(<[_]>::to_vec).collect();
            futures::stream::iter(chunks)
                .map(|chunk: Vec<String>| async move { by_arns(client, chunk).await })
                .buffer_unordered(CONCURRENCY)
                .try_concat()
                .await
        }
    };
    let mappings = match mappings {
        Ok(m) => m,
        Err(None) => return Ok(None),
        Err(Some(e)) => return Err(e),
    };
    Ok(Some(
        mappings
            .into_iter()
            .filter_map(|m| {
                let tags = m
                    .tags()
                    .iter()
                    .map(|t| (t.key().to_string(), t.value().to_string()))
                    .collect();
                Some((m.resource_arn()?.to_string(), tags))
            })
            .collect(),
    ))
}

/// The tags of up to 100 ARNs. AWS answers them in one response (it refuses pagination
/// parameters beside `ResourceARNList`); moto pages them by 50 and returns a `PaginationToken`,
/// so a token, if any, is followed: a dropped page would be tags reported as removed.
async fn by_arns(
    client: &Client,
    arns: Vec<String>,
) -> Result<Vec<ResourceTagMapping>, Option<FetchError>> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let sent = token.take();
        let page = client
            .get_resources()
            .set_resource_arn_list(Some(arns.clone()))
            .set_pagination_token(sent.clone())
            .send()
            .await
            .map_err(|e| failure(&e))?;
        out.extend_from_slice(page.resource_tag_mapping_list());
        match page.pagination_token() {
            Some(t) if !t.is_empty() && sent.as_deref() == Some(t) => {
                return Err(Some(pages::repeated(OPERATION)));
            }
            Some(t) if !t.is_empty() => token = Some(t.to_string()),
            _ => return Ok(out),
        }
    }
}

/// `None` for an error that means the API is not offered here ([`not_offered`]), else the
/// error.
fn failure<E>(e: &SdkError<E, HttpResponse>) -> Option<FetchError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let status = e.raw_response().map(|r| r.status().as_u16());
    if status.is_some_and(|s| not_offered(s, e.code())) {
        return None;
    }
    Some(explain(OPERATION, e))
}

/// Whether an error answer means "this API is not for you here" rather than a failure: access
/// denied (the policy lacks `tag:GetResources`), an operation the server does not know, or the
/// 400/403/404/501 a server without the API answers with. Throttling (a 400 on this API) is not
/// one: it is a failure like on any other call.
fn not_offered(status: u16, code: Option<&str>) -> bool {
    if code.is_some_and(|c| c.contains("Throttl")) {
        return false;
    }
    matches!(status, 400 | 403 | 404 | 501)
        || code.is_some_and(|c| {
            [
                "AccessDenied",
                "UnknownOperation",
                "InvalidAction",
                "NotImplemented",
            ]
            .iter()
            .any(|k| c.contains(k))
        })
}

#[cfg(test)]
mod tests {
    use super::not_offered;

    #[test]
    fn denied_or_unknown_falls_back_and_throttling_fails() {
        assert!(not_offered(400, Some("AccessDeniedException")));
        assert!(not_offered(400, Some("UnknownOperationException")));
        assert!(not_offered(404, None));
        assert!(not_offered(501, None));
        assert!(not_offered(500, Some("NotImplemented")));
        assert!(!not_offered(400, Some("ThrottledException")));
        assert!(!not_offered(500, Some("InternalServiceException")));
        assert!(!not_offered(503, None));
    }
}
