//! The Elastic Load Balancing client and what the four load balancer kinds share: the load
//! balancers (the kind's own documents; listeners are read per load balancer), the listeners
//! (their kind's documents; rules are read per listener), each read once a run by whichever kind
//! asks first, and tags, `DescribeTags` for up to 20 ARNs a call. ELBv2 speaks the query
//! protocol (XML): documents are built from the SDK's types in the API's field names
//! (`shape`).

pub(crate) mod shape;

use aws_config::SdkConfig;
use aws_sdk_elasticloadbalancingv2::types::{Listener, LoadBalancer};
use aws_sdk_elasticloadbalancingv2::Client;
use futures::{StreamExt, TryStreamExt};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use tokio::sync::OnceCell;

use super::{explain, ApiCalls};
use crate::error::FetchError;

super::sdk_client!(aws_sdk_elasticloadbalancingv2);

/// The largest page `DescribeLoadBalancers`, `DescribeTargetGroups`, `DescribeListeners`,
/// `DescribeRules` and `DescribeListenerCertificates` give (AWS's maximum).
pub(crate) const PAGE: i32 = 400;

/// The most ARNs `DescribeTags` takes in one call.
const TAGS_PER_CALL: usize = 20;

/// Calls in flight at once for per-resource reads (attributes, listeners, rules, tags).
/// Elastic Load Balancing publishes no rate for its describes; eight hide the latency without
/// leaning on the standard retries, as the other kinds' per-resource reads do.
pub(crate) const CONCURRENCY: usize = 8;

/// What the load balancer kinds share in one run.
pub(crate) struct Shared {
    client: Client,
    load_balancers: OnceCell<Result<Vec<LoadBalancer>, FetchError>>,
    listeners: OnceCell<Result<Vec<Listener>, FetchError>>,
}

impl Shared {
    pub(crate) fn new(config: &SdkConfig, calls: &ApiCalls) -> Self {
        Shared {
            client: client(config, calls),
            load_balancers: OnceCell::new(),
            listeners: OnceCell::new(),
        }
    }

    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    /// Every load balancer, `DescribeLoadBalancers` in pages, once a run.
    pub(crate) async fn load_balancers(&self) -> Result<&[LoadBalancer], FetchError> {
        let r = self
            .load_balancers
            .get_or_init(|| describe_load_balancers(&self.client))
            .await;
        r.as_deref().map_err(Clone::clone)
    }

    /// Every listener of every load balancer, `DescribeListeners` per load balancer, once a run.
    pub(crate) async fn listeners(&self) -> Result<&[Listener], FetchError> {
        let r = self
            .listeners
            .get_or_init(|| async {
                let lbs = self.load_balancers().await?;
                let arns: Vec<String> = lbs
                    .iter()
                    .filter_map(|lb| lb.load_balancer_arn().map(str::to_string))
                    .collect();
                let client = &self.client;
                let per_lb: Vec<Vec<Listener>> = futures::stream::iter(arns)
                    .map(|arn| async move { describe_listeners(client, &arn).await })
                    .buffered(CONCURRENCY)
                    .try_collect()
                    .await?;
                Ok(per_lb.into_iter().flatten().collect())
            })
            .await;
        r.as_deref().map_err(Clone::clone)
    }
}

async fn describe_load_balancers(client: &Client) -> Result<Vec<LoadBalancer>, FetchError> {
    const OP: &str = "elasticloadbalancing:DescribeLoadBalancers";
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let sent = marker.take();
        let page = client
            .describe_load_balancers()
            .page_size(PAGE)
            .set_marker(sent.clone())
            .send()
            .await
            .map_err(|e| explain(OP, &e))?;
        out.extend(page.load_balancers().iter().cloned());
        marker = match next(OP, page.next_marker(), sent.as_deref())? {
            Some(m) => Some(m),
            None => return Ok(out),
        };
    }
}

async fn describe_listeners(client: &Client, lb_arn: &str) -> Result<Vec<Listener>, FetchError> {
    const OP: &str = "elasticloadbalancing:DescribeListeners";
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let sent = marker.take();
        let page = client
            .describe_listeners()
            .load_balancer_arn(lb_arn)
            .page_size(PAGE)
            .set_marker(sent.clone())
            .send()
            .await
            .map_err(|e| explain(OP, &e))?;
        out.extend(page.listeners().iter().cloned());
        marker = match next(OP, page.next_marker(), sent.as_deref())? {
            Some(m) => Some(m),
            None => return Ok(out),
        };
    }
}

/// The marker of the next page, if any. A server that answers the marker it was sent is an
/// error, never an endless loop.
pub(crate) fn next(
    operation: &str,
    answered: Option<&str>,
    sent: Option<&str>,
) -> Result<Option<String>, FetchError> {
    match answered.filter(|m| !m.is_empty()) {
        None => Ok(None),
        Some(m) if Some(m) == sent => Err(FetchError::of(
            operation,
            "the server answered the page marker it was sent",
        )),
        Some(m) => Ok(Some(m.to_string())),
    }
}

/// The tags of each ARN (load balancers, target groups, listeners, rules alike), `DescribeTags`
/// for 20 ARNs a call: `arn → {key: value}`, an ARN without tags mapped to `{}`.
pub(crate) async fn tags(
    client: &Client,
    arns: Vec<String>,
) -> Result<BTreeMap<String, Map<String, Value>>, FetchError> {
    const OP: &str = "elasticloadbalancing:DescribeTags";
    let batches: Vec<Vec<String>> = arns.chunks(TAGS_PER_CALL).map(<[String]>::to_vec).collect();
    let answers: Vec<_> = futures::stream::iter(batches)
        .map(|batch| async move {
            client
                .describe_tags()
                .set_resource_arns(Some(batch))
                .send()
                .await
                .map_err(|e| explain(OP, &e))
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    let mut out: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for answer in answers {
        for d in answer.tag_descriptions() {
            let Some(arn) = d.resource_arn() else {
                continue;
            };
            let tags = out.entry(arn.to_string()).or_default();
            for t in d.tags() {
                if let Some(k) = t.key() {
                    tags.insert(k.to_string(), json!(t.value().unwrap_or_default()));
                }
            }
        }
    }
    // AWS answers every ARN asked, tagged or not: one left out is not known to have no tags.
    if let Some(missing) = arns.iter().find(|a| !out.contains_key(*a)) {
        return Err(FetchError::of(
            OP,
            format!("the answer said nothing of {missing}"),
        ));
    }
    Ok(out)
}

/// Each of `items` read by `read` ([`CONCURRENCY`] at a time; `None` leaves one out) beside
/// the tags of them all ([`tags`], by the ARN `arn_of` gives), each document's `Tags` set by the
/// ARN in its `arn_field`, sorted by id: what the load balancer and target group kinds share.
pub(crate) async fn read_with_tags<'a, T, F, Fut>(
    client: &'a Client,
    items: &'a [T],
    arn_of: impl Fn(&T) -> Option<&str>,
    arn_field: &str,
    read: F,
) -> Result<crate::kinds::Docs, FetchError>
where
    T: Clone,
    F: Fn(T) -> Fut,
    Fut: std::future::Future<Output = Result<Option<(String, Value)>, FetchError>>,
{
    let arns = items
        .iter()
        .filter_map(|i| arn_of(i).map(str::to_string))
        .collect();
    let (tags, docs) = tokio::join!(tags(client, arns), async {
        futures::stream::iter(items.iter().cloned())
            .map(&read)
            .buffer_unordered(CONCURRENCY)
            .try_collect::<Vec<_>>()
            .await
    });
    let (tags, docs) = (tags?, docs?);
    Ok(tagged(docs.into_iter().flatten(), &tags, arn_field))
}

/// `docs` with each one's `Tags` from [`tags`]' answer, by the ARN in its `arn_field`, sorted
/// by id.
pub(crate) fn tagged(
    docs: impl IntoIterator<Item = (String, Value)>,
    tags: &BTreeMap<String, Map<String, Value>>,
    arn_field: &str,
) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = docs
        .into_iter()
        .map(|(id, mut doc)| {
            let arn = doc[arn_field].as_str().map(str::to_string);
            doc["Tags"] = tag_list(tags, arn.as_deref());
            (id, doc)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The tags of one ARN from [`tags`]' answer, as the API's `[{Key, Value}]` (what the
/// normalizers read).
pub(crate) fn tag_list(all: &BTreeMap<String, Map<String, Value>>, arn: Option<&str>) -> Value {
    let tags = arn.and_then(|a| all.get(a));
    Value::Array(
        tags.into_iter()
            .flatten()
            .map(|(k, v)| json!({"Key": k, "Value": v}))
            .collect(),
    )
}
