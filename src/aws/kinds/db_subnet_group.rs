//! Fetcher for DB subnet groups: `DescribeDBSubnetGroups` pages (100 a page, `Marker`), then
//! `ListTagsForResource` per group, eight at a time (RDS does not list a group's tags inline).

use aws_sdk_rds::types::DbSubnetGroup;
use aws_sdk_rds::Client;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::{json, Value};

use crate::aws::pages;
use crate::aws::rds::{tags_of, CONCURRENCY, RECORDS_PER_PAGE};
use crate::aws::Context;
use crate::error::FetchError;
use crate::kinds::Docs;

crate::aws::sdk_client!(aws_sdk_rds);

pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    let client = client(ctx.config(), ctx.calls());
    async move { groups(&client).await }.boxed()
}

/// `(name, document)` of every subnet group, sorted by name.
async fn groups(client: &Client) -> Result<Docs, FetchError> {
    let items: Vec<DbSubnetGroup> = pages::list(
        "rds:DescribeDBSubnetGroups",
        client
            .describe_db_subnet_groups()
            .max_records(RECORDS_PER_PAGE)
            .into_paginator()
            .send(),
        |p| p.marker(),
        |p| p.db_subnet_groups,
    )
    .await?;
    let mut out: Docs = futures::stream::iter(items)
        .map(|g| async move { group(client, g).await })
        .buffer_unordered(CONCURRENCY)
        .try_filter_map(|g| async move { Ok(g) })
        .try_collect()
        .await?;
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The `default` group the console makes for a VPC: AWS's (its API refuses `default` as the
/// name of a group a user creates).
fn is_default_group(name: &str) -> bool {
    name.eq_ignore_ascii_case("default")
}

async fn group(client: &Client, g: DbSubnetGroup) -> Result<Option<(String, Value)>, FetchError> {
    let Some(name) = g.db_subnet_group_name().map(str::to_string) else {
        return Ok(None);
    };
    if is_default_group(&name) {
        return Ok(None);
    }
    // Without its ARN a group's tags cannot be asked: an error, not "no tags".
    let Some(arn) = g.db_subnet_group_arn() else {
        let why = format!("DB subnet group {name} came without its ARN");
        return Err(FetchError::of("rds:DescribeDBSubnetGroups", why));
    };
    let tags = Some(tags_of(client, arn).await?);
    let doc = json!({
        "DBSubnetGroupName": name,
        "DBSubnetGroupDescription": g.db_subnet_group_description(),
        "VpcId": g.vpc_id(),
        "SubnetGroupStatus": g.subnet_group_status(),
        "Subnets": g.subnets().iter().map(|s| json!({
            "SubnetIdentifier": s.subnet_identifier(),
            "SubnetStatus": s.subnet_status(),
        })).collect::<Vec<_>>(),
        "DBSubnetGroupArn": g.db_subnet_group_arn(),
        "TagList": tags,
    });
    Ok(Some((name, doc)))
}
