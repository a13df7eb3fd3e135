//! What a change is, in words a person reads without the document open: a security group rule
//! as `ingress rule tcp 22 from 0.0.0.0/0 added`, a policy statement by its Sid or effect and
//! actions, an environment variable by name and container, an attached policy by ARN. Anything
//! else is its JSON Pointer with the values. Pure; every renderer calls [`change`].

use serde_json::Value;

use crate::diff::{Change, Op};
use crate::kinds::security_group::rule_name::{self, plain};

/// One change in words. `expected` and `actual` are the two compared documents, where the
/// thing a pointer lands inside (a rule, a statement) is looked up.
pub fn change(c: &Change, expected: Option<&Value>, actual: Option<&Value>) -> String {
    let segs = segments(&c.path);
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let doc = match c.op {
        Op::Added => actual,
        _ => expected,
    };
    if let Some(w) = security_group(c, &s, doc) {
        return w;
    }
    if let Some(w) = statement(c, &s, doc) {
        return w;
    }
    match s.as_slice() {
        ["containerDefinitions", container, list @ ("environment" | "secrets"), name] => {
            let what = if *list == "environment" {
                "env"
            } else {
                "secret"
            };
            return format!("{what} {name} of container {container}{}", op_tail(c, true));
        }
        ["AttachedManagedPolicies", ..] | ["AttachedPolicies", ..] => {
            return list_of(c, "attached policy", "attached policies");
        }
        _ => {}
    }
    format!("{}{}", c.path, op_tail(c, true))
}

/// `: "a" → "b"`, ` added: "b"`, ` removed (was "a")`; without values, just the verb.
fn op_tail(c: &Change, values: bool) -> String {
    match (c.op, values) {
        (Op::Changed, true) => format!(": {} → {}", value(&c.expected), value(&c.actual)),
        (Op::Added, true) => format!(" added: {}", value(&c.actual)),
        (Op::Removed, true) => format!(" removed (was {})", value(&c.expected)),
        (Op::Changed, false) => " changed".into(),
        (Op::Added, false) => " added".into(),
        (Op::Removed, false) => " removed".into(),
    }
}

/// An item or a whole list of plain values (ARNs): the values themselves are the words.
fn list_of(c: &Change, one: &str, many: &str) -> String {
    let v = c.actual.as_ref().or(c.expected.as_ref());
    match (c.op, v) {
        (Op::Changed, _) => format!("{many}: {} → {}", value(&c.expected), value(&c.actual)),
        (_, Some(Value::Array(items))) => {
            let list: Vec<String> = items.iter().map(plain).collect();
            format!("{many} {}{}", list.join(", "), op_tail(c, false))
        }
        (_, Some(v)) => format!("{one} {}{}", plain(v), op_tail(c, false)),
        (_, None) => format!("{}{}", c.path, op_tail(c, false)),
    }
}

/// Rules under `/IpPermissions` (ingress) and `/IpPermissionsEgress`: single-source rules keyed
/// by their name, see `kinds::security_group::rule_name`.
fn security_group(c: &Change, s: &[&str], doc: Option<&Value>) -> Option<String> {
    let (direction, field) = match *s.first()? {
        "IpPermissions" => ("ingress", "IpPermissions"),
        "IpPermissionsEgress" => ("egress", "IpPermissionsEgress"),
        _ => return None,
    };
    match s {
        [_] => {
            let v = c.actual.as_ref().or(c.expected.as_ref())?;
            let rules: Vec<String> = rule_name::rules(Some(v))
                .map(|r| rule(direction, r))
                .collect();
            if rules.is_empty() {
                return None;
            }
            Some(format!("{}{}", rules.join(", "), op_tail(c, false)))
        }
        [_, _] => {
            let r = c.actual.as_ref().or(c.expected.as_ref())?;
            Some(format!("{}{}", rule(direction, r), op_tail(c, false)))
        }
        [_, key, rest @ ..] => {
            let r = doc?.get(field)?.get(*key)?;
            let named = named_rule(direction, r);
            Some(match rest {
                ["Description"] => {
                    let was = described(&c.expected);
                    format!("{named} re-described: {was} → {}", described(&c.actual))
                }
                _ => format!("{named}: {}{}", rest.join("/"), op_tail(c, true)),
            })
        }
        [] => None,
    }
}

/// A description as it reads in a change: quoted, or `none`.
fn described(v: &Option<Value>) -> String {
    match v {
        None => "none".into(),
        v => value(v),
    }
}

/// `ingress rule tcp 22 from 0.0.0.0/0 ("ssh")`, `egress rule all traffic to sg-1`.
pub fn rule(direction: &str, r: &Value) -> String {
    let note = r
        .get("Description")
        .map(|d| format!(" ({:?})", plain(d)))
        .unwrap_or_default();
    format!("{}{note}", named_rule(direction, r))
}

/// The rule by its name alone (protocol, ports, source): `ingress rule tcp 443 from sg-1`.
fn named_rule(direction: &str, r: &Value) -> String {
    let name = rule_name::name(r);
    let what = match name.what.as_str() {
        "all" => "all traffic",
        other => other,
    };
    let from = if direction == "egress" { "to" } else { "from" };
    format!("{direction} rule {what} {from} {}", name.source)
}

/// A change inside a policy document's statement: the statement named by its Sid, or by its
/// effect and actions.
fn statement(c: &Change, s: &[&str], doc: Option<&Value>) -> Option<String> {
    let at = s.iter().position(|x| *x == "Statement")?;
    let prefix = match &s[..at] {
        [] | ["PolicyDocument"] => String::new(),
        ["AssumeRolePolicyDocument"] => "trust policy: ".into(),
        ["RolePolicyList", name] => format!("inline policy {name}: "),
        other => format!("/{}: ", other.join("/")),
    };
    let rest = &s[at + 1..];
    let Some(index) = rest.first() else {
        return Some(format!("{prefix}statements{}", op_tail(c, false)));
    };
    let found = lookup(doc, &s[..at + 2]);
    let whole = if rest.len() == 1 {
        found.or(c.actual.as_ref().or(c.expected.as_ref()))
    } else {
        found
    };
    let label = whole
        .map(statement_label)
        .unwrap_or_else(|| format!("statement {index}"));
    let what = match &rest[1..] {
        [] => op_tail(c, false),
        [field, _] if matches!(*field, "Action" | "NotAction" | "Resource" | "NotResource") => {
            let word = field.to_ascii_lowercase().replace("not", "not-");
            let v = c
                .actual
                .as_ref()
                .or(c.expected.as_ref())
                .map(plain)
                .unwrap_or_default();
            format!(": {word} {v}{}", op_tail(c, false))
        }
        more => format!(": {}{}", more.join("/"), op_tail(c, true)),
    };
    Some(format!("{prefix}{label}{what}"))
}

/// `statement "Read" (Allow ec2:describe*)`, `statement (Deny s3:*, s3:get* …)`.
fn statement_label(st: &Value) -> String {
    let effect = st.get("Effect").map(plain).unwrap_or_default();
    let actions: Vec<String> = match st.get("Action").or(st.get("NotAction")) {
        Some(Value::Array(a)) => a.iter().map(plain).collect(),
        Some(v) => vec![plain(v)],
        None => Vec::new(),
    };
    let mut shown = actions
        .iter()
        .take(2)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if actions.len() > 2 {
        shown.push_str(" …");
    }
    let what = format!("({effect} {shown})")
        .replace("( ", "(")
        .replace(" )", ")");
    match st.get("Sid").and_then(Value::as_str) {
        Some(sid) => format!("statement {sid:?} {what}"),
        None => format!("statement {what}"),
    }
}

fn lookup<'a>(doc: Option<&'a Value>, segs: &[&str]) -> Option<&'a Value> {
    let mut v = doc?;
    for s in segs {
        v = match v {
            Value::Array(a) => a.get(s.parse::<usize>().ok()?)?,
            Value::Object(m) => m.get(*s)?,
            _ => return None,
        };
    }
    Some(v)
}

/// RFC 6901 segments, unescaped.
fn segments(path: &str) -> Vec<String> {
    path.split('/')
        .skip(1)
        .map(|s| crate::diff::unescape(s).into_owned())
        .collect()
}

/// A value as compact JSON, cut to stay on one readable line.
fn value(v: &Option<Value>) -> String {
    let s = v.as_ref().map(Value::to_string).unwrap_or_default();
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}…")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn words(path: &str, op: Op, e: Option<Value>, a: Option<Value>, doc: Value) -> String {
        let c = Change::new(path, op, e.as_ref(), a.as_ref());
        change(&c, Some(&doc), Some(&doc))
    }

    #[test]
    fn a_security_group_rule_reads_as_a_rule() {
        let ssh =
            json!({"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "0.0.0.0/0"});
        let w = words(
            "/IpPermissions/tcp 22 0.0.0.0~10",
            Op::Added,
            None,
            Some(ssh),
            json!({}),
        );
        assert_eq!(w, "ingress rule tcp 22 from 0.0.0.0/0 added");
        let all = json!({"IpProtocol": "-1", "ReferencedGroupId": "sg-1", "Description": "peers"});
        let w = words(
            "/IpPermissionsEgress/all sg-1",
            Op::Removed,
            Some(all),
            None,
            json!({}),
        );
        assert_eq!(w, "egress rule all traffic to sg-1 (\"peers\") removed");
        let ping = json!({"IpProtocol": "icmp", "FromPort": 8, "ToPort": -1, "CidrIpv6": "::/0"});
        let w = words(
            "/IpPermissions",
            Op::Added,
            None,
            Some(json!({"icmp 8:-1 ::/0": ping})),
            json!({}),
        );
        assert_eq!(w, "ingress rule icmp 8:-1 from ::/0 added");
    }

    #[test]
    fn a_re_described_rule_names_the_rule_and_both_descriptions() {
        let rule = |d: Value| {
            json!({"IpProtocol": "tcp", "FromPort": 80, "ToPort": 90,
                   "ReferencedGroupId": "sg-0abc", "Description": d})
        };
        let doc = json!({"IpPermissions": {"tcp 80-90 sg-0abc": rule(json!("a"))}});
        let path = "/IpPermissions/tcp 80-90 sg-0abc/Description";
        let w = words(path, Op::Changed, Some(json!("a")), Some(json!("b")), doc);
        assert_eq!(
            w,
            "ingress rule tcp 80-90 from sg-0abc re-described: \"a\" → \"b\""
        );
        let doc = json!({"IpPermissions": {"tcp 80-90 sg-0abc": rule(Value::Null)}});
        let w = words(path, Op::Added, None, Some(json!("b")), doc.clone());
        assert_eq!(
            w,
            "ingress rule tcp 80-90 from sg-0abc re-described: none → \"b\""
        );
        let other = "/IpPermissions/tcp 80-90 sg-0abc/ReferencedUserId";
        let w = words(other, Op::Added, None, Some(json!("111")), doc);
        assert_eq!(
            w,
            "ingress rule tcp 80-90 from sg-0abc: ReferencedUserId added: \"111\""
        );
    }

    #[test]
    fn a_statement_reads_by_sid_or_effect_and_action() {
        let doc = json!({"PolicyDocument": {"Statement": [
            {"Sid": "Read", "Effect": "Allow", "Action": ["ec2:describe*"]},
            {"Effect": "Deny", "Action": ["s3:a", "s3:b", "s3:c"]}]}});
        let w = words(
            "/PolicyDocument/Statement/0/Action/0",
            Op::Removed,
            Some(json!("ec2:describe*")),
            None,
            doc.clone(),
        );
        assert_eq!(
            w,
            "statement \"Read\" (Allow ec2:describe*): action ec2:describe* removed"
        );
        let w = words(
            "/PolicyDocument/Statement/1/Action/2",
            Op::Removed,
            Some(json!("s3:c")),
            None,
            doc,
        );
        assert_eq!(w, "statement (Deny s3:a, s3:b …): action s3:c removed");
    }

    #[test]
    fn an_inline_policy_statement_names_its_policy() {
        let doc = json!({"RolePolicyList": {"consume": {"Statement": [
            {"Effect": "Allow", "Action": ["sqs:receivemessage"]}]}}});
        let w = words(
            "/RolePolicyList/consume/Statement/0/Action/1",
            Op::Added,
            None,
            Some(json!("sqs:purgequeue")),
            doc,
        );
        assert_eq!(
            w,
            "inline policy consume: statement (Allow sqs:receivemessage): action sqs:purgequeue added"
        );
    }

    #[test]
    fn an_env_var_reads_by_name_and_container() {
        let w = words(
            "/containerDefinitions/worker/environment/ENABLE_SQS",
            Op::Changed,
            Some(json!("true")),
            Some(json!("false")),
            json!({}),
        );
        assert_eq!(
            w,
            "env ENABLE_SQS of container worker: \"true\" → \"false\""
        );
    }

    #[test]
    fn attached_policies_read_by_arn() {
        let arn = "arn:aws:iam::aws:policy/AdministratorAccess";
        let w = words(
            "/AttachedManagedPolicies",
            Op::Added,
            None,
            Some(json!([arn])),
            json!({}),
        );
        assert_eq!(w, format!("attached policies {arn} added"));
        let w = words(
            "/AttachedManagedPolicies/1",
            Op::Removed,
            Some(json!(arn)),
            None,
            json!({}),
        );
        assert_eq!(w, format!("attached policy {arn} removed"));
    }

    #[test]
    fn anything_else_is_its_pointer_with_the_values() {
        let w = words(
            "/desiredCount",
            Op::Changed,
            Some(json!(3)),
            Some(json!(7)),
            json!({}),
        );
        assert_eq!(w, "/desiredCount: 3 → 7");
        let w = words("/latest", Op::Added, None, Some(json!("w:2")), json!({}));
        assert_eq!(w, "/latest added: \"w:2\"");
    }
}
