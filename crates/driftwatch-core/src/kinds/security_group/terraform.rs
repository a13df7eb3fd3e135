//! `aws_security_group` and `aws_default_security_group` from a Terraform state, in the shape
//! of `DescribeSecurityGroups`; also the rules of `aws_security_group_rule`. Pure.

use serde_json::{json, Value};

use crate::terraform::map::{attr, blocks, last_segment, tags, text};

pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
    let id = text(a, "id")?.to_string();
    let rules = |key: &str| -> Vec<Value> {
        blocks(a, key)
            .iter()
            .flat_map(|b| inline_rule_sources(b, &id))
            .collect()
    };
    let doc = json!({
        "GroupId": id,
        "GroupName": attr(a, "name"),
        "Description": attr(a, "description"),
        "VpcId": attr(a, "vpc_id"),
        // Tells a rule's same-account group reference from another account's (the normalizer
        // drops the account of the former, as AWS's answer does).
        "OwnerId": attr(a, "owner_id"),
        "Tags": tags(a),
        "IpPermissions": rules("ingress"),
        "IpPermissionsEgress": rules("egress"),
    });
    Some((id, doc))
}

/// An inline `ingress`/`egress` block or an `aws_security_group_rule` as single-source rules.
pub(crate) fn inline_rule_sources(b: &Value, group_id: &str) -> Vec<Value> {
    let base = json!({
        "IpProtocol": attr(b, "protocol"),
        "FromPort": attr(b, "from_port"),
        "ToPort": attr(b, "to_port"),
        "Description": attr(b, "description"),
    });
    let rule = |key: &str, v: &Value| {
        let mut r = base.clone();
        r[key] = v.clone();
        r
    };
    let group = |g: &str| {
        let (account, group) = peer_group(g);
        let mut r = rule("ReferencedGroupId", &Value::from(group));
        if let Some(account) = account {
            r["ReferencedUserId"] = Value::from(account);
        }
        r
    };
    let list = |k: &str| {
        b.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    out.extend(list("cidr_blocks").iter().map(|c| rule("CidrIpv4", c)));
    out.extend(list("ipv6_cidr_blocks").iter().map(|c| rule("CidrIpv6", c)));
    out.extend(
        list("prefix_list_ids")
            .iter()
            .map(|p| rule("PrefixListId", p)),
    );
    let groups = list("security_groups");
    out.extend(groups.iter().map(|g| group(g.as_str().unwrap_or_default())));
    out.extend(text(b, "source_security_group_id").map(group));
    if b.get("self") == Some(&json!(true)) {
        out.push(group(group_id));
    }
    out
}

/// A group reference as Terraform writes it: `sg-…`, or `ACCOUNT/sg-…` for another account's
/// group (a peered VPC's). The account is kept: a group of another account cannot be looked up
/// here, and AWS reports its `UserId`.
pub(crate) fn peer_group(g: &str) -> (Option<&str>, &str) {
    match g.split_once('/') {
        Some((account, _))
            if account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) =>
        {
            (Some(account), last_segment(g))
        }
        _ => (None, last_segment(g)),
    }
}
