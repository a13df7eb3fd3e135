//! Normalizer for `aws_security_group`. Input: a `DescribeSecurityGroups` item, or our own
//! output (rules keyed by name, or the list of single-source rules earlier versions wrote).
//! Rules become a **set of single-source rules** (one protocol, port range and source each),
//! keyed by their name (`tcp 443 0.0.0.0/0`, see `rule_name`), so adding, removing or
//! re-describing one rule reports exactly that rule, at a path that names it, however the rules
//! were grouped when they were written and wherever they sort. Pure.

use serde_json::{json, Map, Value};

use super::rule_name::{name, tame};
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
        if let Some(Value::Object(rules)) = doc.get_mut(field) {
            rules.retain(|_, r| !drop.contains(r));
            if rules.is_empty() {
                doc.remove(field);
            }
        }
    };
    prune("IpPermissions", &[self_ingress]);
    prune("IpPermissionsEgress", &all_egress);
}

/// A list of `IpPermission`s, our single-source rules keyed by name, or the list of them an
/// earlier version wrote, as single-source rules keyed by name. The key is made from the rule,
/// whatever key it had: a hand-edited rule is filed under what it now says.
fn rules(v: Value, owner: Option<&str>) -> Value {
    let perms = match v {
        Value::Array(perms) => perms,
        Value::Object(keyed) => keyed.into_iter().map(|(_, r)| r).collect(),
        other => return other,
    };
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
    keyed(out)
}

/// Single-source rules as an object keyed by their names. Equal rules are one (a set). Two
/// different rules with one name (which AWS refuses, but two states or a hand-written file
/// can say) both stay, the later one as `NAME (2)`, so neither hides the other.
fn keyed(rules: Vec<Value>) -> Value {
    let Value::Array(rules) = sort_set(Value::Array(rules)) else {
        unreachable!("sort_set keeps a list a list")
    };
    let mut out = Map::new();
    for r in rules {
        let base = tame(&name(&r).key());
        let mut key = base.clone();
        let mut n = 1;
        while out.contains_key(&key) {
            n += 1;
            key = format!("{base} ({n})");
        }
        out.insert(key, r);
    }
    Value::Object(out)
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
                "IpPermissions": {
                    "tcp 443 10.0.0.0/8":
                        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv4": "10.0.0.0/8"},
                    "tcp 443 192.168.0.0/16":
                        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv4": "192.168.0.0/16"},
                    "tcp 443 ::/0":
                        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv6": "::/0"},
                    "tcp 8000 sg-lb":
                        {"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8000, "ReferencedGroupId": "sg-lb",
                         "Description": "from the ALB"}
                },
                "IpPermissionsEgress": {"all 0.0.0.0/0": {"IpProtocol": "-1", "CidrIpv4": "0.0.0.0/0"}},
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
                   "IpPermissions": {"tcp 22 0.0.0.0/0":
                       {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "0.0.0.0/0"}}})
        );
    }

    /// What versions before rules were keyed wrote: the rules as a sorted list.
    fn old_golden_file() -> serde_json::Value {
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
    }

    #[test]
    fn an_older_golden_file_reads_as_the_keyed_form_and_compares_equal() {
        let new = normalize(aws_shaped());
        assert_eq!(normalize(old_golden_file()), new);
        assert_eq!(normalize(normalize(old_golden_file())), new);
    }

    #[test]
    fn the_key_is_made_from_the_rule_whatever_key_it_had() {
        let mut edited = normalize(aws_shaped());
        // A hand edit of the fields under the old name: filed under the new one.
        let rules = edited["IpPermissions"].as_object_mut().unwrap();
        let mut r = rules.remove("tcp 443 ::/0").unwrap();
        r["FromPort"] = json!(8443);
        r["ToPort"] = json!(8443);
        rules.insert("tcp 443 ::/0".into(), r);
        let again = normalize(edited);
        assert!(again["IpPermissions"].get("tcp 443 ::/0").is_none());
        assert_eq!(again["IpPermissions"]["tcp 8443 ::/0"]["FromPort"], 8443);
    }

    #[test]
    fn two_different_rules_with_one_name_both_stay() {
        let g = json!({"GroupId": "sg-1", "IpPermissions": [
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "10.0.0.0/8", "Description": "a"},
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "10.0.0.0/8", "Description": "b"},
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "10.0.0.0/8", "Description": "a"}]});
        let once = normalize(g);
        let rules = once["IpPermissions"].as_object().unwrap();
        let keys: Vec<&str> = rules.keys().map(String::as_str).collect();
        assert_eq!(keys, ["tcp 22 10.0.0.0/8", "tcp 22 10.0.0.0/8 (2)"]);
        assert_eq!(rules["tcp 22 10.0.0.0/8"]["Description"], "a");
        assert_eq!(normalize(once.clone()), once);
    }
}
