//! Rules written as resources of their own (the classic `aws_security_group_rule`, or the
//! per-rule VPC ones), pushed onto the rules of the group they name. Pure.

use serde_json::{json, Value};

use super::schema::{EGRESS_RULE, INGRESS_RULE, RULE};
use super::terraform::{inline_rule_sources, peer_group};
use crate::kinds::{Claim, Edit, Related};
use crate::terraform::map::{attr, text};

pub(super) const RELATED: &[Related] = &[
    Related {
        r#type: RULE,
        owner_field: "GroupId",
        claims: rule,
    },
    Related {
        r#type: INGRESS_RULE,
        owner_field: "GroupId",
        claims: |a| claim(a, "IpPermissions", |a, _| vec![vpc_rule(a)]),
    },
    Related {
        r#type: EGRESS_RULE,
        owner_field: "GroupId",
        claims: |a| claim(a, "IpPermissionsEgress", |a, _| vec![vpc_rule(a)]),
    },
];

/// The classic rule: its `type` says which of the group's lists it is in.
fn rule(a: &Value) -> Vec<Claim> {
    let field = match text(a, "type") {
        Some("egress") => "IpPermissionsEgress",
        _ => "IpPermissions",
    };
    claim(a, field, inline_rule_sources)
}

/// The rules `rules` makes of a rule resource, pushed onto `field` of the group it names.
fn claim(a: &Value, field: &'static str, rules: fn(&Value, &str) -> Vec<Value>) -> Vec<Claim> {
    let Some(group) = text(a, "security_group_id") else {
        return Vec::new();
    };
    vec![Claim {
        owner: group.to_string(),
        field,
        edit: Edit::Push(rules(a, group)),
    }]
}

/// An `aws_vpc_security_group_*_rule`: already one protocol, port range and source.
fn vpc_rule(a: &Value) -> Value {
    let mut r = json!({
        "IpProtocol": attr(a, "ip_protocol"),
        "FromPort": attr(a, "from_port"),
        "ToPort": attr(a, "to_port"),
        "Description": attr(a, "description"),
        "CidrIpv4": attr(a, "cidr_ipv4"),
        "CidrIpv6": attr(a, "cidr_ipv6"),
        "PrefixListId": attr(a, "prefix_list_id"),
    });
    if let Some(g) = text(a, "referenced_security_group_id") {
        let (account, group) = peer_group(g);
        r["ReferencedGroupId"] = Value::from(group);
        if let Some(account) = account {
            r["ReferencedUserId"] = Value::from(account);
        }
    }
    if let Value::Object(m) = &mut r {
        m.retain(|_, v| !v.is_null());
    }
    r
}
