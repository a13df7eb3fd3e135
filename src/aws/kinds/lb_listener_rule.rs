//! Fetcher for listener rules: every listener's `DescribeRules` in pages (the listeners are
//! shared with their kind, `aws::elbv2`), the default rule left out (its actions are the
//! listener's default actions), and `DescribeTags` for 20 rules at a time.

use aws_sdk_elasticloadbalancingv2::types::{Listener, Rule};
use aws_sdk_elasticloadbalancingv2::Client;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::{json, Value};

use super::lb_listener::listener_id;
use crate::aws::elbv2::{self, shape};
use crate::aws::{explain, Context};
use crate::error::FetchError;
use crate::kinds::Docs;

/// Every rule but the default ones, `(LB-NAME/PORT/PRIORITY, document)` sorted by id.
pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    rules(ctx).boxed()
}

async fn rules(ctx: &Context) -> Result<Docs, FetchError> {
    let shared = ctx.elbv2();
    let client = shared.client();
    let listeners = shared.listeners().await?;
    let per_listener: Vec<Vec<(String, Value)>> = futures::stream::iter(listeners.iter().cloned())
        .map(|l| async move { of_listener(client, &l).await })
        .buffer_unordered(elbv2::CONCURRENCY)
        .try_collect()
        .await?;
    let rules: Vec<(String, Value)> = per_listener.into_iter().flatten().collect();
    let arns = rules
        .iter()
        .filter_map(|(_, d)| d["RuleArn"].as_str().map(str::to_string))
        .collect();
    let tags = elbv2::tags(client, arns).await?;
    Ok(elbv2::tagged(rules, &tags, "RuleArn"))
}

/// The rules of one listener but its default rule.
async fn of_listener(client: &Client, l: &Listener) -> Result<Vec<(String, Value)>, FetchError> {
    let (Some(listener), Some(arn)) = (listener_id(l), l.listener_arn()) else {
        return Ok(Vec::new());
    };
    Ok(describe_rules(client, arn)
        .await?
        .iter()
        .filter(|r| r.is_default() != Some(true))
        .filter_map(|r| Some((format!("{listener}/{}", r.priority()?), rule(r))))
        .collect())
}

fn rule(r: &Rule) -> Value {
    json!({
        "RuleArn": r.rule_arn(),
        "Priority": r.priority(),
        "IsDefault": r.is_default(),
        "Conditions": r.conditions().iter().map(shape::condition).collect::<Vec<_>>(),
        "Actions": r.actions().iter().map(shape::action).collect::<Vec<_>>(),
    })
}

async fn describe_rules(client: &Client, listener_arn: &str) -> Result<Vec<Rule>, FetchError> {
    const OP: &str = "elasticloadbalancing:DescribeRules";
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let sent = marker.take();
        let page = client
            .describe_rules()
            .listener_arn(listener_arn)
            .page_size(elbv2::PAGE)
            .set_marker(sent.clone())
            .send()
            .await
            .map_err(|e| explain(OP, &e))?;
        out.extend(page.rules().iter().cloned());
        marker = match elbv2::next(OP, page.next_marker(), sent.as_deref())? {
            Some(m) => Some(m),
            None => return Ok(out),
        };
    }
}
