//! Fetcher for load balancers: `DescribeLoadBalancers` pages (shared with the listener kinds,
//! `aws::elbv2`), per load balancer `DescribeLoadBalancerAttributes`, and `DescribeTags` for 20
//! at a time.

use aws_sdk_elasticloadbalancingv2::types::LoadBalancer;
use aws_sdk_elasticloadbalancingv2::Client;
use futures::future::BoxFuture;
use futures::FutureExt;
use serde_json::{json, Value};

use crate::aws::elbv2::{self, shape};
use crate::aws::{explain, Context};
use crate::error::FetchError;
use crate::kinds::Docs;

/// Every load balancer, `(name, document)` sorted by name.
pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    load_balancers(ctx).boxed()
}

async fn load_balancers(ctx: &Context) -> Result<Docs, FetchError> {
    let shared = ctx.elbv2();
    let client = shared.client();
    let lbs = shared.load_balancers().await?;
    let arn_of = LoadBalancer::load_balancer_arn;
    elbv2::read_with_tags(client, lbs, arn_of, "LoadBalancerArn", |lb| async move {
        load_balancer(client, &lb).await
    })
    .await
}

/// One load balancer with its `Attributes`; `None` without a name or ARN.
async fn load_balancer(
    client: &Client,
    lb: &LoadBalancer,
) -> Result<Option<(String, Value)>, FetchError> {
    const OP: &str = "elasticloadbalancing:DescribeLoadBalancerAttributes";
    let (Some(name), Some(arn)) = (lb.load_balancer_name(), lb.load_balancer_arn()) else {
        return Ok(None);
    };
    let answer = client
        .describe_load_balancer_attributes()
        .load_balancer_arn(arn)
        .send()
        .await
        .map_err(|e| explain(OP, &e))?;
    let mut doc = shape::load_balancer(lb);
    doc["Attributes"] = answer
        .attributes()
        .iter()
        .map(|a| json!({"Key": a.key(), "Value": a.value()}))
        .collect();
    Ok(Some((name.to_string(), doc)))
}
