//! Fetcher for DB parameter groups: `DescribeDBParameterGroups` pages (100 a page, `Marker`),
//! then per group, eight groups at a time, `DescribeDBParameters` with `Source=user` (only
//! what a user set, not the family's hundreds of defaults) and `ListTagsForResource` (RDS
//! does not list a group's tags inline, and the Tagging API does not cover parameter groups on
//! every AWS-compatible server). The engine families' `default.*` groups are AWS's (they
//! cannot be modified, so they hold no user parameter): left out, without a call.

use aws_sdk_rds::types::DbParameterGroup;
use aws_sdk_rds::Client;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::{json, Value};

use crate::aws::pages::{self, PageError};
use crate::aws::rds::{tags_of, CONCURRENCY, RECORDS_PER_PAGE};
use crate::aws::{explain, Context};
use crate::error::FetchError;
use crate::kinds::Docs;

crate::aws::sdk_client!(aws_sdk_rds);

pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    let client = client(ctx.config(), ctx.calls());
    async move { groups(&client).await }.boxed()
}

/// `(name, document)` of every group a user made, sorted by name.
async fn groups(client: &Client) -> Result<Docs, FetchError> {
    let items: Vec<DbParameterGroup> = pages::list(
        "rds:DescribeDBParameterGroups",
        client
            .describe_db_parameter_groups()
            .max_records(RECORDS_PER_PAGE)
            .into_paginator()
            .send(),
        |p| p.marker(),
        |p| p.db_parameter_groups,
    )
    .await?;
    let mut out: Docs = futures::stream::iter(items)
        .filter(|g| {
            let own = g
                .db_parameter_group_name()
                .is_some_and(|n| !is_default_group(n));
            async move { own }
        })
        .map(|g| async move { group(client, g).await })
        .buffer_unordered(CONCURRENCY)
        .try_filter_map(|g| async move { Ok(g) })
        .try_collect()
        .await?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// An engine family's default group (`default.postgres16`): AWS's, and AWS refuses names
/// starting with `default` for the groups users make.
fn is_default_group(name: &str) -> bool {
    name.starts_with("default.")
}

/// One group with its user parameters and tags; `None` when it was deleted after the listing.
async fn group(
    client: &Client,
    g: DbParameterGroup,
) -> Result<Option<(String, Value)>, FetchError> {
    let name = g.db_parameter_group_name().unwrap_or_default().to_string();
    let (parameters, tags) = tokio::join!(user_parameters(client, &name), async {
        // Without its ARN a group's tags cannot be asked: an error, not "no tags".
        match g.db_parameter_group_arn() {
            Some(arn) => tags_of(client, arn).await.map(Some),
            None => Err(FetchError::of(
                "rds:DescribeDBParameterGroups",
                format!("DB parameter group {name} came without its ARN"),
            )),
        }
    });
    let Some(parameters) = parameters? else {
        return Ok(None);
    };
    let doc = json!({
        "DBParameterGroupName": name,
        "DBParameterGroupFamily": g.db_parameter_group_family(),
        "Description": g.description(),
        "DBParameterGroupArn": g.db_parameter_group_arn(),
        "Parameters": parameters,
        "TagList": tags?,
    });
    Ok(Some((name, doc)))
}

/// The parameters a user set in the group, every page; `None` when the group is gone. Any
/// other failure is an error for the kind: parameters that could not be read are not "none".
async fn user_parameters(client: &Client, name: &str) -> Result<Option<Value>, FetchError> {
    let listed = pages::items(
        client
            .describe_db_parameters()
            .db_parameter_group_name(name)
            .source("user")
            .max_records(RECORDS_PER_PAGE)
            .into_paginator()
            .send(),
        |p| p.marker(),
        |p| p.parameters,
    )
    .await;
    let op = "rds:DescribeDBParameters";
    let parameters = match listed {
        Ok(p) => p,
        Err(PageError::Call(e))
            if e.as_service_error()
                .is_some_and(|s| s.is_db_parameter_group_not_found_fault()) =>
        {
            return Ok(None)
        }
        Err(e) => return Err(e.explain(op, |e| explain(op, &e))),
    };
    Ok(Some(Value::Array(
        parameters
            .iter()
            .map(|p| {
                json!({
                    "ParameterName": p.parameter_name(),
                    "ParameterValue": p.parameter_value(),
                    "Source": p.source(),
                    "ApplyMethod": p.apply_method().map(|m| m.as_str()),
                })
            })
            .collect(),
    )))
}
