//! Fetcher for listeners: every load balancer's `DescribeListeners` (shared with the rules,
//! `aws::elbv2`), and for HTTPS and TLS listeners `DescribeListenerCertificates` (the others
//! have none), whose answer holds the certificates besides the default one
//! `DescribeListeners` gives.

use aws_sdk_elasticloadbalancingv2::types::Listener;
use aws_sdk_elasticloadbalancingv2::Client;
use driftwatch_core::arn::elb::load_balancer_name;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::{json, Value};

use crate::aws::elbv2::{self, shape};
use crate::aws::{explain, Context};
use crate::error::FetchError;
use crate::kinds::Docs;

/// Every listener, `(LB-NAME/PORT, document)` sorted by id.
pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    listeners(ctx).boxed()
}

async fn listeners(ctx: &Context) -> Result<Docs, FetchError> {
    let shared = ctx.elbv2();
    let client = shared.client();
    let listeners = shared.listeners().await?;
    let docs: Vec<Option<(String, Value)>> = futures::stream::iter(listeners.iter().cloned())
        .map(|l| async move { listener(client, &l).await })
        .buffer_unordered(elbv2::CONCURRENCY)
        .try_collect()
        .await?;
    let mut out: Docs = docs.into_iter().flatten().collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The id of a listener: its load balancer's name and its port; `None` without them.
pub(crate) fn listener_id(l: &Listener) -> Option<String> {
    let lb = l.load_balancer_arn().and_then(load_balancer_name)?;
    Some(format!("{lb}/{}", l.port()?))
}

async fn listener(client: &Client, l: &Listener) -> Result<Option<(String, Value)>, FetchError> {
    let Some(id) = listener_id(l) else {
        return Ok(None);
    };
    let mut doc = shape::listener(l);
    let secure = matches!(l.protocol().map(|p| p.as_str()), Some("HTTPS" | "TLS"));
    if let (true, Some(arn)) = (secure, l.listener_arn()) {
        doc["Certificates"] = certificates(client, arn).await?;
    }
    Ok(Some((id, doc)))
}

/// Every certificate of a listener, the default one included, in pages.
async fn certificates(client: &Client, arn: &str) -> Result<Value, FetchError> {
    const OP: &str = "elasticloadbalancing:DescribeListenerCertificates";
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let sent = marker.take();
        let page = client
            .describe_listener_certificates()
            .listener_arn(arn)
            .page_size(elbv2::PAGE)
            .set_marker(sent.clone())
            .send()
            .await
            .map_err(|e| explain(OP, &e))?;
        out.extend(
            page.certificates().iter().map(
                |c| json!({"CertificateArn": c.certificate_arn(), "IsDefault": c.is_default()}),
            ),
        );
        marker = match elbv2::next(OP, page.next_marker(), sent.as_deref())? {
            Some(m) => Some(m),
            None => return Ok(Value::Array(out)),
        };
    }
}
