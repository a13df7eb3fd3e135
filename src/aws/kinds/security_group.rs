//! Fetcher for EC2 security groups, in the shape `DescribeSecurityGroups` documents them.

use aws_sdk_ec2::types::{IpPermission, SecurityGroup};
use aws_sdk_ec2::Client;
use futures::future::BoxFuture;
use futures::FutureExt;
use serde_json::{json, Value};

use crate::aws::pages;
use crate::aws::Context;
use crate::error::FetchError;
use crate::kinds::Docs;

crate::aws::sdk_client!(aws_sdk_ec2);

/// Every security group, with a client of its own: no other kind calls EC2.
pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    let client = client(ctx.config(), ctx.calls());
    async move { security_groups(&client).await }.boxed()
}

/// `(group id, document)` for every security group, sorted by id.
async fn security_groups(client: &Client) -> Result<Vec<(String, Value)>, FetchError> {
    let groups: Vec<SecurityGroup> = pages::list(
        "ec2:DescribeSecurityGroups",
        client
            .describe_security_groups()
            .max_results(1000)
            .into_paginator()
            .send(),
        |p| p.next_token(),
        |p| p.security_groups,
    )
    .await?;
    let mut out: Vec<(String, Value)> = groups
        .iter()
        .filter_map(|g| Some((g.group_id()?.to_string(), group(g))))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn group(g: &SecurityGroup) -> Value {
    json!({
        "GroupId": g.group_id(),
        "GroupName": g.group_name(),
        "Description": g.description(),
        "VpcId": g.vpc_id(),
        "OwnerId": g.owner_id(),
        "Tags": g.tags().iter().map(|t| json!({"Key": t.key(), "Value": t.value()})).collect::<Vec<_>>(),
        "IpPermissions": g.ip_permissions().iter().map(permission).collect::<Vec<_>>(),
        "IpPermissionsEgress": g.ip_permissions_egress().iter().map(permission).collect::<Vec<_>>(),
    })
}

fn permission(p: &IpPermission) -> Value {
    json!({
        "IpProtocol": p.ip_protocol(),
        "FromPort": p.from_port(),
        "ToPort": p.to_port(),
        "IpRanges": p.ip_ranges().iter().map(|r| json!({
            "CidrIp": r.cidr_ip(), "Description": r.description()
        })).collect::<Vec<_>>(),
        "Ipv6Ranges": p.ipv6_ranges().iter().map(|r| json!({
            "CidrIpv6": r.cidr_ipv6(), "Description": r.description()
        })).collect::<Vec<_>>(),
        "PrefixListIds": p.prefix_list_ids().iter().map(|r| json!({
            "PrefixListId": r.prefix_list_id(), "Description": r.description()
        })).collect::<Vec<_>>(),
        "UserIdGroupPairs": p.user_id_group_pairs().iter().map(|r| json!({
            "GroupId": r.group_id(), "UserId": r.user_id(), "Description": r.description()
        })).collect::<Vec<_>>(),
    })
}
