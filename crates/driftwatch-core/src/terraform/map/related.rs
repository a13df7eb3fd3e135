//! Related resources: rules of a security group, inline policies and attachments of a role, the
//! policies of a queue. Each folds into its owner. When the owner is not in the state (managed
//! elsewhere), the state still claims these parts of it: the owner is described partially, and
//! only the claimed parts are compared (see `crate::scope`). Pure.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{attr, last_segment, text, Described};
use crate::kinds::security_group::terraform::{inline_rule_sources, peer_group};
use crate::kinds::sqs_queue::terraform::queue_name_from_url;
use crate::model::Kind;
use crate::scope::{Part, Scope};
use crate::terraform::state::Instance;

/// The Terraform types that fold into an owner of another type.
pub(super) const TYPES: [&str; 9] = [
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_policy_attachment",
    "aws_sqs_queue_policy",
    "aws_sqs_queue_redrive_policy",
    "aws_sqs_queue_redrive_allow_policy",
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
];

/// True for the Terraform types that fold into an owner of another type.
pub(super) fn is_related(r#type: &str) -> bool {
    TYPES.contains(&r#type)
}

/// What one related resource says about one owner.
struct Claim {
    kind: Kind,
    owner: String,
    /// The API field it writes, as the normalizer reads it.
    field: &'static str,
    edit: Edit,
}

enum Edit {
    /// Items of a list (rules, inline policies, attached ARNs).
    Push(Vec<Value>),
    /// The whole value (a queue's policy).
    Set(Value),
}

/// Folds a related resource into its owner, or into a partial description of an owner managed
/// elsewhere; false when it names no owner.
pub(super) fn fold(owners: &mut BTreeMap<(Kind, String), Described>, i: &Instance) -> bool {
    let claims = claims(i);
    if claims.is_empty() {
        return false;
    }
    for c in claims {
        let owner = owners
            .entry((c.kind, c.owner.clone()))
            .or_insert_with(|| partial_owner(c.kind, &c.owner, &i.address));
        if owner.scope.partial && !owner.address.split(", ").any(|a| a == i.address) {
            owner.address = format!("{}, {}", owner.address, i.address);
        }
        let part = match c.edit {
            Edit::Push(_) => Part::Members(format!("/{}", c.field)),
            Edit::Set(_) => Part::Whole(format!("/{}", c.field)),
        };
        match c.edit {
            Edit::Push(items) => {
                for item in items {
                    push_item(&mut owner.document, c.field, item);
                }
            }
            Edit::Set(v) => owner.document[c.field] = v,
        }
        owner.scope.claim(part);
        // A sensitive value of a related resource: the whole field it writes is hidden.
        let field = format!("/{}", c.field);
        if i.sensitive.is_some() && !owner.scope.sensitive.contains(&field) {
            owner.scope.sensitive.push(field);
        }
    }
    true
}

/// An owner the state does not hold: only its identity, until claims fold in.
fn partial_owner(kind: Kind, id: &str, address: &str) -> Described {
    let identity = match kind {
        Kind::IamRole => "RoleName",
        Kind::SqsQueue => "QueueName",
        _ => "GroupId",
    };
    Described {
        kind,
        id: id.to_string(),
        document: json!({ identity: id }),
        address: address.to_string(),
        scope: Scope::partial(Vec::new()),
        place: None,
    }
}

/// What a related resource claims, per owner.
fn claims(i: &Instance) -> Vec<Claim> {
    let a = &i.attributes;
    let t = i.r#type.as_str();
    match t {
        "aws_iam_role_policy" | "aws_iam_role_policy_attachment" | "aws_iam_policy_attachment" => {
            role_claims(t, a)
        }
        "aws_sqs_queue_policy"
        | "aws_sqs_queue_redrive_policy"
        | "aws_sqs_queue_redrive_allow_policy" => queue_claims(t, a),
        "aws_security_group_rule"
        | "aws_vpc_security_group_ingress_rule"
        | "aws_vpc_security_group_egress_rule" => group_claims(t, a),
        _ => Vec::new(),
    }
}

/// Inline policies and policy attachments, claimed on each role they name.
fn role_claims(t: &str, a: &Value) -> Vec<Claim> {
    let role = |owner: &str, field, edit| Claim {
        kind: Kind::IamRole,
        owner: last_segment(owner).to_string(),
        field,
        edit,
    };
    match t {
        "aws_iam_role_policy" => {
            let (Some(owner), Some(name)) = (text(a, "role"), text(a, "name")) else {
                return Vec::new();
            };
            let p = json!({"PolicyName": name, "PolicyDocument": attr(a, "policy")});
            vec![role(owner, "RolePolicyList", Edit::Push(vec![p]))]
        }
        "aws_iam_role_policy_attachment" => {
            let Some(owner) = text(a, "role") else {
                return Vec::new();
            };
            let p = json!({"PolicyArn": attr(a, "policy_arn")});
            vec![role(owner, "AttachedManagedPolicies", Edit::Push(vec![p]))]
        }
        // The exclusive attachment: the policy is attached to exactly these roles (and users
        // and groups, which are not a kind we check). Each role gets the attachment.
        _ => a
            .get("roles")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter(|r| !r.is_empty())
            .map(|owner| {
                let p = json!({"PolicyArn": attr(a, "policy_arn")});
                role(owner, "AttachedManagedPolicies", Edit::Push(vec![p]))
            })
            .collect(),
    }
}

/// A queue's policy, redrive policy or redrive allow policy, set on the queue its URL names.
fn queue_claims(t: &str, a: &Value) -> Vec<Claim> {
    let Some(url) = text(a, "queue_url") else {
        return Vec::new();
    };
    let (field, attribute) = match t {
        "aws_sqs_queue_policy" => ("Policy", "policy"),
        "aws_sqs_queue_redrive_policy" => ("RedrivePolicy", "redrive_policy"),
        _ => ("RedriveAllowPolicy", "redrive_allow_policy"),
    };
    vec![Claim {
        kind: Kind::SqsQueue,
        owner: queue_name_from_url(url).to_string(),
        field,
        edit: Edit::Set(attr(a, attribute)),
    }]
}

/// A rule resource (the classic one, or the per-rule VPC ones), pushed onto its group's rules.
fn group_claims(t: &str, a: &Value) -> Vec<Claim> {
    let Some(group) = text(a, "security_group_id") else {
        return Vec::new();
    };
    let (field, rules) = if t == "aws_security_group_rule" {
        let field = match text(a, "type") {
            Some("egress") => "IpPermissionsEgress",
            _ => "IpPermissions",
        };
        (field, inline_rule_sources(a, group))
    } else if t.ends_with("egress_rule") {
        ("IpPermissionsEgress", vec![vpc_rule(a)])
    } else {
        ("IpPermissions", vec![vpc_rule(a)])
    };
    vec![Claim {
        kind: Kind::SecurityGroup,
        owner: group.to_string(),
        field,
        edit: Edit::Push(rules),
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

pub(super) fn push_item(doc: &mut Value, field: &str, item: Value) {
    let Value::Object(m) = doc else { return };
    match m.entry(field).or_insert_with(|| Value::Array(Vec::new())) {
        Value::Array(items) => items.push(item),
        other => *other = Value::Array(vec![item]),
    }
}

/// Another state's (pre-normalization) document of the same resource folded into `doc`: list
/// fields gain its items, other fields take its value.
pub(super) fn merge_document(doc: &mut Value, other: Value) {
    let Value::Object(other) = other else { return };
    for (field, v) in other {
        match v {
            Value::Array(items) => {
                for item in items {
                    push_item(doc, &field, item);
                }
            }
            v => doc[field.as_str()] = v,
        }
    }
}
