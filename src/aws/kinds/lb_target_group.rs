//! Fetcher for target groups: `DescribeTargetGroups` pages, per target group
//! `DescribeTargetGroupAttributes`, and `DescribeTags` for 20 at a time.

use aws_sdk_elasticloadbalancingv2::types::TargetGroup;
use aws_sdk_elasticloadbalancingv2::Client;
use futures::future::BoxFuture;
use futures::FutureExt;
use serde_json::{json, Value};

use crate::aws::elbv2::{self, shape};
use crate::aws::{explain, Context};
use crate::error::FetchError;
use crate::kinds::Docs;

/// Every target group, `(name, document)` sorted by name.
pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    target_groups(ctx.elbv2().client()).boxed()
}

async fn target_groups(client: &Client) -> Result<Docs, FetchError> {
    let tgs = describe_target_groups(client).await?;
    let arn_of = TargetGroup::target_group_arn;
    elbv2::read_with_tags(client, &tgs, arn_of, "TargetGroupArn", |tg| async move {
        target_group(client, &tg).await
    })
    .await
}

async fn describe_target_groups(client: &Client) -> Result<Vec<TargetGroup>, FetchError> {
    const OP: &str = "elasticloadbalancing:DescribeTargetGroups";
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let sent = marker.take();
        let page = client
            .describe_target_groups()
            .page_size(elbv2::PAGE)
            .set_marker(sent.clone())
            .send()
            .await
            .map_err(|e| explain(OP, &e))?;
        out.extend(page.target_groups().iter().cloned());
        marker = match elbv2::next(OP, page.next_marker(), sent.as_deref())? {
            Some(m) => Some(m),
            None => return Ok(out),
        };
    }
}

/// One target group with its `Attributes`; `None` without a name or ARN.
async fn target_group(
    client: &Client,
    tg: &TargetGroup,
) -> Result<Option<(String, Value)>, FetchError> {
    const OP: &str = "elasticloadbalancing:DescribeTargetGroupAttributes";
    let (Some(name), Some(arn)) = (tg.target_group_name(), tg.target_group_arn()) else {
        return Ok(None);
    };
    let answer = client
        .describe_target_group_attributes()
        .target_group_arn(arn)
        .send()
        .await
        .map_err(|e| explain(OP, &e))?;
    let mut doc = shape::target_group(tg);
    doc["Attributes"] = answer
        .attributes()
        .iter()
        .map(|a| json!({"Key": a.key(), "Value": a.value()}))
        .collect();
    Ok(Some((name.to_string(), doc)))
}
