//! Normalizer for `aws_security_group`. Input: a `DescribeSecurityGroups` item, or our own
//! output. Rules become a **set of single-source rules** (one protocol, port range and source
//! each), so adding, removing or changing one rule reports exactly that rule, however the rules
//! were grouped when they were written. Pure.

use serde_json::{json, Map, Value};

use crate::normalize::{clean, drop_default, map_fields, pairs_to_map, sort_set};

/// The grouped source lists of an `IpPermission`, and the single-source key each item becomes
/// (the names `DescribeSecurityGroupRules` uses).
const SOURCES: &[(&str, &str, &str)] = &[
    ("IpRanges", "CidrIp", "CidrIpv4"),
    ("Ipv6Ranges", "CidrIpv6", "CidrIpv6"),
    ("PrefixListIds", "PrefixListId", "PrefixListId"),
    ("UserIdGroupPairs", "GroupId", "ReferencedGroupId"),
];

pub fn normalize(doc: Value) -> Value {
    let Value::Object(mut m) = doc else {
        return doc;
    };
    m.remove("SecurityGroupArn");
    let owner = m
        .remove("OwnerId")
        .and_then(|o| o.as_str().map(String::from));
    let group_id = m.get("GroupId").and_then(Value::as_str).map(String::from);
    let is_default = m.get("GroupName") == Some(&json!("default"));
    drop_default(&mut m, "Description", json!(""));
    let mut doc = map_fields(m, |field, v| match field {
        "IpPermissions" | "IpPermissionsEgress" => rules(v, owner.as_deref()),
        "Tags" => pairs_to_map(v, "Key", "Value"),
        _ => clean(v),
    });
    if is_default {
        drop_default_group_rules(&mut doc, group_id.as_deref());
    }
    Value::Object(doc)
}

/// True for a VPC's `default` group that holds nothing but what AWS created: it belongs to AWS,
/// so it is neither snapshotted nor reported unmanaged. (Takes the canonical document.)
pub fn is_untouched_default(doc: &Value) -> bool {
    doc.get("GroupName") == Some(&json!("default"))
        && doc.get("IpPermissions").is_none()
        && doc.get("IpPermissionsEgress").is_none()
        && doc.get("Tags").is_none()
}

/// Every VPC's `default` group is created by AWS with an ingress rule allowing all traffic from
/// the group itself and egress to everywhere. Those two are AWS's, not the team's: not drift.
fn drop_default_group_rules(doc: &mut Map<String, Value>, group_id: Option<&str>) {
    let self_ingress = json!({"IpProtocol": "-1", "ReferencedGroupId": group_id});
    let all_egress = [
        json!({"IpProtocol": "-1", "CidrIpv4": "0.0.0.0/0"}),
        json!({"IpProtocol": "-1", "CidrIpv6": "::/0"}),
    ];
    let mut prune = |field: &str, drop: &[Value]| {
        if let Some(Value::Array(rules)) = doc.get_mut(field) {
            rules.retain(|r| !drop.contains(r));
            if rules.is_empty() {
                doc.remove(field);
            }
        }
    };
    prune("IpPermissions", &[self_ingress]);
    prune("IpPermissionsEgress", &all_egress);
}

/// A list of `IpPermission`s (or of our single-source rules) as a sorted set of single-source
/// rules.
fn rules(v: Value, owner: Option<&str>) -> Value {
    let Value::Array(perms) = v else { return v };
    let mut out = Vec::new();
    for p in perms {
        let Value::Object(p) = p else { continue };
        let grouped = SOURCES.iter().any(|(list, _, _)| p.contains_key(*list));
        if !grouped {
            out.push(rule(p, owner));
            continue;
        }
        let base: Map<String, Value> = p
            .iter()
            .filter(|(k, _)| matches!(k.as_str(), "IpProtocol" | "FromPort" | "ToPort"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (list, key, single) in SOURCES {
            for item in p.get(*list).and_then(Value::as_array).into_iter().flatten() {
                let mut r = base.clone();
                r.insert(
                    single.to_string(),
                    item.get(*key).cloned().unwrap_or(Value::Null),
                );
                for extra in ["Description", "UserId"] {
                    if let Some(v) = item.get(extra) {
                        let name = if extra == "UserId" {
                            "ReferencedUserId"
                        } else {
                            extra
                        };
                        r.insert(name.into(), v.clone());
                    }
                }
                out.push(rule(r, owner));
            }
        }
    }
    sort_set(Value::Array(out))
}

/// One single-source rule in canonical form.
fn rule(mut r: Map<String, Value>, owner: Option<&str>) -> Value {
    if let Some(p) = r.remove("IpProtocol") {
        r.insert("IpProtocol".into(), protocol_name(p));
    }
    if r.get("IpProtocol") == Some(&json!("-1")) {
        // All traffic has no ports; AWS reports none (or -1).
        r.remove("FromPort");
        r.remove("ToPort");
    }
    drop_default(&mut r, "Description", json!(""));
    if owner.is_some() && r.get("ReferencedUserId").and_then(Value::as_str) == owner {
        // A group of the same account: the account id says nothing.
        r.remove("ReferencedUserId");
    }
    clean(Value::Object(r))
}

/// EC2 accepts protocol numbers and names in any case; it reports `tcp`, `udp`, `icmp`,
/// `icmpv6` and `-1` for all. Compare in that form.
fn protocol_name(p: Value) -> Value {
    let s = match &p {
        Value::String(s) => s.to_ascii_lowercase(),
        Value::Number(n) => n.to_string(),
        _ => return p,
    };
    Value::from(match s.as_str() {
        "6" => "tcp",
        "17" => "udp",
        "1" => "icmp",
        "58" => "icmpv6",
        "all" => "-1",
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use serde_json::json;

    /// A `DescribeSecurityGroups` item as AWS returns it: grouped sources, empty lists.
    fn aws_shaped() -> serde_json::Value {
        json!({
            "GroupId": "sg-0123", "GroupName": "backend", "Description": "api", "VpcId": "vpc-1",
            "OwnerId": "123456789012",
            "SecurityGroupArn": "arn:aws:ec2:us-east-1:123456789012:security-group/sg-0123",
            "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8000,
                "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [],
                "UserIdGroupPairs": [{"GroupId": "sg-lb", "UserId": "123456789012", "Description": "from the ALB"}]},
                {"IpProtocol": "6", "FromPort": 443, "ToPort": 443,
                "IpRanges": [{"CidrIp": "10.0.0.0/8", "Description": ""}, {"CidrIp": "192.168.0.0/16"}],
                "Ipv6Ranges": [{"CidrIpv6": "::/0"}], "PrefixListIds": [], "UserIdGroupPairs": []}],
            "IpPermissionsEgress": [{"IpProtocol": "-1", "FromPort": -1, "ToPort": -1,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}],
            "Tags": [{"Key": "Name", "Value": "backend"}]
        })
    }

    #[test]
    fn rules_become_a_set_of_single_source_rules() {
        assert_eq!(
            normalize(aws_shaped()),
            json!({
                "GroupId": "sg-0123", "GroupName": "backend", "Description": "api", "VpcId": "vpc-1",
                "IpPermissions": [
                    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv4": "10.0.0.0/8"},
                    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv4": "192.168.0.0/16"},
                    {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv6": "::/0"},
                    {"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8000, "ReferencedGroupId": "sg-lb",
                     "Description": "from the ALB"}
                ],
                "IpPermissionsEgress": [{"IpProtocol": "-1", "CidrIpv4": "0.0.0.0/0"}],
                "Tags": {"Name": "backend"}
            })
        );
    }

    #[test]
    fn grouping_does_not_matter_and_normalization_is_idempotent() {
        let once = normalize(aws_shaped());
        assert_eq!(normalize(once.clone()), once);
        let mut split = aws_shaped();
        split["IpPermissions"] = json!([
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "192.168.0.0/16"}]},
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
            {"IpProtocol": "TCP", "FromPort": 8000, "ToPort": 8000,
             "UserIdGroupPairs": [{"GroupId": "sg-lb", "Description": "from the ALB"}]},
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}
        ]);
        assert_eq!(normalize(split), once);
    }

    #[test]
    fn default_groups_lose_only_their_default_rules() {
        let g = json!({"GroupId": "sg-d", "GroupName": "default", "Description": "default VPC security group",
            "OwnerId": "123456789012",
            "IpPermissions": [{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": "sg-d", "UserId": "123456789012"}]},
                              {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
            "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]});
        assert_eq!(
            normalize(g),
            json!({"GroupId": "sg-d", "GroupName": "default", "Description": "default VPC security group",
                   "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "0.0.0.0/0"}]})
        );
    }
}
