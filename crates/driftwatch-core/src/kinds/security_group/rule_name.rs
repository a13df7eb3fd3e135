//! The name of a security group rule: what it allows, said by its content (protocol, ports,
//! source), never by its position. The canonical document keys each rule by this name
//! (`/IpPermissions/tcp 443 0.0.0.0~10`), the words say it (`ingress rule tcp 443 from
//! 0.0.0.0/0`), and ignore rules match it. Pure.
//!
//! The form is `PROTOCOL[ PORTS] SOURCE`, one space between parts:
//! - `PROTOCOL`: `tcp`, `udp`, `icmp`, `icmpv6`, a protocol number, or `all` (`-1`);
//! - `PORTS`: for ICMP `TYPE:CODE` (`8:-1`); otherwise `443`, or `8000-8100` for a range;
//!   none when the rule has no ports (all traffic);
//! - `SOURCE`: the CIDR (`0.0.0.0/0`, `::/0`), prefix list (`pl-…`) or group (`sg-…`).
//!
//! The description is not part of the name: a re-described rule is the same rule. The name
//! holds none of the glob characters `*?[]`, so an ignore rule can spell it as it reads.

use serde_json::Value;

/// The source fields of a single-source rule, in the order they name it.
pub const SOURCES: [&str; 4] = ["CidrIpv4", "CidrIpv6", "PrefixListId", "ReferencedGroupId"];

/// A rule's name in parts: what it allows (`tcp 443`, `all`) and from or to where.
pub struct Name {
    pub what: String,
    pub source: String,
}

impl Name {
    /// The key of the rule in the canonical document: `tcp 443 0.0.0.0/0`.
    pub fn key(&self) -> String {
        format!("{} {}", self.what, self.source)
    }
}

/// The name of a single-source rule in canonical form (see `normalize`).
pub fn name(rule: &Value) -> Name {
    let text = |k: &str| rule.get(k).map(plain);
    let protocol = text("IpProtocol");
    let ports = ports(
        protocol.as_deref(),
        rule.get("FromPort"),
        rule.get("ToPort"),
    );
    let protocol = match protocol.as_deref() {
        Some("-1") => "all".to_string(),
        Some(p) if !p.is_empty() => p.to_string(),
        // Not a rule AWS holds (a hand-written golden file): named so, never dropped.
        _ => "no-protocol".to_string(),
    };
    let what = match ports {
        Some(p) => format!("{protocol} {p}"),
        None => protocol,
    };
    let source = SOURCES
        .iter()
        .find_map(|k| text(k).filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "no-source".to_string());
    Name { what, source }
}

/// `443`, `8000-8100`, ICMP's `TYPE:CODE`; `None` without ports. A rule with only one of the
/// two (not one AWS holds) says `any` for the other, so no two port pairs read alike.
fn ports(protocol: Option<&str>, from: Option<&Value>, to: Option<&Value>) -> Option<String> {
    let (from, to) = (from.map(plain), to.map(plain));
    if from.is_none() && to.is_none() {
        return None;
    }
    let (f, t) = (
        from.unwrap_or_else(|| "any".into()),
        to.unwrap_or_else(|| "any".into()),
    );
    Some(match protocol {
        // ICMP's "ports" are a type and a code (`-1`: any).
        Some("icmp" | "icmpv6") => format!("{f}:{t}"),
        _ if f == t => f,
        _ => format!("{f}-{t}"),
    })
}

/// The rules in a group's `IpPermissions` or `IpPermissionsEgress`: the values of the keyed
/// object (or the items of a list, as the mapped, not yet normalized, form holds them).
pub fn rules(field: Option<&Value>) -> Box<dyn Iterator<Item = &Value> + '_> {
    match field {
        Some(Value::Object(m)) => Box::new(m.values()),
        Some(Value::Array(a)) => Box::new(a.iter()),
        _ => Box::new(std::iter::empty()),
    }
}

/// Characters that would make a key a glob or break a line are replaced: a key comes from
/// hostile text (a hand-written golden file), and an ignore rule must be able to spell it.
pub fn tame(key: &str) -> String {
    key.chars()
        .map(|c| match c {
            '*' | '?' | '[' | ']' => '_',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// A string as itself, anything else as compact JSON.
pub(crate) fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(r: Value) -> String {
        name(&r).key()
    }

    #[test]
    fn a_name_says_protocol_ports_and_source() {
        let tcp = json!({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv4": "0.0.0.0/0",
                         "Description": "not part of the name"});
        assert_eq!(key(tcp), "tcp 443 0.0.0.0/0");
        let range = json!({"IpProtocol": "udp", "FromPort": 8000, "ToPort": 8100,
                           "ReferencedGroupId": "sg-0abc"});
        assert_eq!(key(range), "udp 8000-8100 sg-0abc");
        assert_eq!(
            key(json!({"IpProtocol": "-1", "PrefixListId": "pl-123"})),
            "all pl-123"
        );
        let ping = json!({"IpProtocol": "icmp", "FromPort": 8, "ToPort": -1, "CidrIpv6": "::/0"});
        assert_eq!(key(ping), "icmp 8:-1 ::/0");
        let esp = json!({"IpProtocol": "50", "CidrIpv4": "10.0.0.0/8"});
        assert_eq!(key(esp), "50 10.0.0.0/8");
    }

    #[test]
    fn odd_rules_get_distinct_names_without_glob_characters() {
        let one_port = json!({"IpProtocol": "tcp", "FromPort": -1, "CidrIpv4": "10.0.0.0/8"});
        let both =
            json!({"IpProtocol": "tcp", "FromPort": -1, "ToPort": -1, "CidrIpv4": "10.0.0.0/8"});
        assert_eq!(key(one_port), "tcp -1-any 10.0.0.0/8");
        assert_eq!(key(both), "tcp -1 10.0.0.0/8");
        assert_eq!(key(json!({})), "no-protocol no-source");
        assert_eq!(tame("tcp 1 sg-[x]*?\n"), "tcp 1 sg-_x___ ");
    }
}
