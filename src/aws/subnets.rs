//! The subnets services place their tasks in, for the load balancer and database checks: their
//! VPC and IPv4 range. One `DescribeSubnets` a page, by a `subnet-id` filter (a filter, not
//! `SubnetIds`: an id that no longer exists is then left out of the answer instead of failing
//! the whole call).

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{Filter, Subnet as Ec2Subnet};
use aws_sdk_ec2::Client;

use crate::aws::pages;
use crate::aws::{load_config, ApiCalls, AwsOptions};
use crate::checks::{Subnet, Subnets};

crate::aws::sdk_client!(aws_sdk_ec2);

/// EC2's limit on the values of one filter.
const IDS_PER_CALL: usize = 200;

/// What the account says of the subnets `wanted`; a failure is said in `unread`, never taken as
/// "no such subnet".
pub async fn described(opts: &AwsOptions, calls: &ApiCalls, wanted: &[String]) -> Subnets {
    let mut out = Subnets::default();
    if wanted.is_empty() {
        return out;
    }
    let config = match load_config(opts).await {
        Ok(c) => c,
        Err(e) => {
            out.unread = Some(e);
            return out;
        }
    };
    let client = client(&config, calls);
    for ids in wanted.chunks(IDS_PER_CALL) {
        match page(&client, ids).await {
            Ok(subnets) => out.read.extend(subnets),
            Err(why) => {
                out.unread = Some(why);
                return out;
            }
        }
    }
    out
}

async fn page(client: &Client, ids: &[String]) -> Result<BTreeMap<String, Subnet>, String> {
    let filter = Filter::builder()
        .name("subnet-id")
        .set_values(Some(ids.to_vec()))
        .build();
    let subnets: Vec<Ec2Subnet> = pages::list(
        "ec2:DescribeSubnets",
        client
            .describe_subnets()
            .filters(filter)
            .max_results(1000)
            .into_paginator()
            .send(),
        |p| p.next_token(),
        |p| p.subnets,
    )
    .await
    .map_err(|e| e.to_string())?;
    Ok(subnets
        .iter()
        .filter_map(|s| {
            let subnet = Subnet {
                vpc: s.vpc_id()?.to_string(),
                cidr: s.cidr_block().map(str::to_string),
            };
            Some((s.subnet_id()?.to_string(), subnet))
        })
        .collect())
}
