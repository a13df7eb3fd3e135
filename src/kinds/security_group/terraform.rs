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
    let mut out = Vec::new();
    let mut push = |key: &str, v: &Value| {
        let mut r = base.clone();
        r[key] = v.clone();
        out.push(r);
    };
    let list = |k: &str| {
        b.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    for c in list("cidr_blocks") {
        push("CidrIpv4", &c);
    }
    for c in list("ipv6_cidr_blocks") {
        push("CidrIpv6", &c);
    }
    for p in list("prefix_list_ids") {
        push("PrefixListId", &p);
    }
    // Cross-account references are written `ACCOUNT/sg-…`.
    for g in list("security_groups") {
        push(
            "ReferencedGroupId",
            &Value::from(last_segment(g.as_str().unwrap_or_default())),
        );
    }
    if let Some(g) = text(b, "source_security_group_id") {
        push("ReferencedGroupId", &Value::from(last_segment(g)));
    }
    if b.get("self") == Some(&json!(true)) {
        push("ReferencedGroupId", &Value::from(group_id));
    }
    out
}
