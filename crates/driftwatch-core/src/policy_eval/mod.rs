//! IAM policy evaluation, small and exact, for the cross-resource checks (`checks/`). Pure: it
//! takes policy documents (canonical or as IAM returns them, once URL-decoded) and answers
//! whether one principal may do one action on one resource, naming the statement that decided.
//!
//! What it models, as IAM's evaluation logic does: an explicit `Deny` in any policy wins; then
//! an `Allow` from an identity policy or from the resource's own policy; a permissions boundary,
//! when present, must allow it too; nothing matching is an implicit deny. `Action`/`NotAction`
//! match case-insensitively, `Resource`/`NotResource` case-sensitively, both with IAM's `*` and
//! `?`. A statement with a `Condition` (or a policy variable such as `${aws:username}` in its
//! resource) decides only "under conditions": never reported as allowed. What it does not model
//! (session policies, SCPs, cross-account trust) is out of scope of the checks.

#[cfg(test)]
mod tests;
mod wildcard;

use std::fmt;

use serde_json::Value;

pub use wildcard::matches as wildcard_matches;

/// Where a policy comes from, for explanations: "inline policy consume-predictions of role
/// retainwise-worker-task", an ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Grants to the principal it is attached to (inline or managed).
    Identity,
    /// The resource's own policy (an SQS queue policy): grants to the principals it names.
    Resource,
    /// A permissions boundary: limits identity grants, never grants.
    Boundary,
}

/// One policy document to evaluate, and what it is.
#[derive(Debug, Clone, Copy)]
pub struct Policy<'a> {
    pub name: &'a str,
    pub role: Role,
    pub document: &'a Value,
}

/// The statement that decided an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub policy: String,
    /// Position in the policy's `Statement` list, from 0.
    pub index: usize,
    pub sid: Option<String>,
}

impl fmt::Display for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sid {
            Some(sid) => write!(f, "statement `{sid}` of {}", self.policy),
            None => write!(f, "statement {} of {}", self.index + 1, self.policy),
        }
    }
}

/// The answer to "may the principal do this action on this resource?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allowed(Statement),
    /// Only an Allow with a `Condition` matches (or a Deny with one may apply): it depends on the
    /// request, so it is never counted as allowed.
    Conditional(Statement),
    ExplicitDeny(Statement),
    /// No statement allows it.
    ImplicitDeny,
    /// An identity policy allows it but the permissions boundary does not.
    OutsideBoundary(Statement),
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed(_))
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Decision::Allowed(s) => write!(f, "allowed by {s}"),
            Decision::Conditional(s) => write!(f, "allowed only under the conditions of {s}"),
            Decision::ExplicitDeny(s) => write!(f, "denied by {s}"),
            Decision::ImplicitDeny => f.write_str("no statement allows it"),
            Decision::OutsideBoundary(s) => {
                write!(f, "allowed by {s}, but not by the permissions boundary")
            }
        }
    }
}

/// The principal making the request: its ARN, for resource policies naming it.
#[derive(Debug, Clone, Copy)]
pub struct Principal<'a> {
    pub arn: &'a str,
}

/// How one statement answers one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hit {
    No,
    Yes,
    /// It matches, but only under its conditions.
    Conditional,
}

/// The first statement found of each sort, preferring an unconditional one.
#[derive(Default)]
struct Found {
    allow: Option<(Statement, bool)>,
    boundary: Option<(Statement, bool)>,
    conditional_deny: Option<Statement>,
}

/// Keeps `at` in `slot` unless an unconditional statement is there already.
fn keep(slot: &mut Option<(Statement, bool)>, at: Statement, conditional: bool) {
    if slot.as_ref().is_none_or(|(_, c)| *c && !conditional) {
        *slot = Some((at, conditional));
    }
}

/// Evaluates `action` on `resource` for `principal` against every policy given.
pub fn evaluate(
    policies: &[Policy],
    principal: Principal,
    action: &str,
    resource: &str,
) -> Decision {
    let mut found = Found::default();
    for p in policies {
        for (index, st) in statements(p.document).enumerate() {
            let hit = statement_hits(st, p.role, principal, action, resource);
            if hit == Hit::No {
                continue;
            }
            let at = Statement {
                policy: p.name.to_string(),
                index,
                sid: st.get("Sid").and_then(Value::as_str).map(str::to_string),
            };
            let conditional = hit == Hit::Conditional;
            match (is_deny(st), p.role) {
                (true, _) if !conditional => return Decision::ExplicitDeny(at),
                (true, _) => {
                    found.conditional_deny.get_or_insert(at);
                }
                (false, Role::Boundary) => keep(&mut found.boundary, at, conditional),
                (false, _) => keep(&mut found.allow, at, conditional),
            }
        }
    }
    let has_boundary = policies.iter().any(|p| p.role == Role::Boundary);
    decide(found, has_boundary)
}

/// Combines what the statements said: an allow, limited by the boundary, then conditions.
fn decide(found: Found, has_boundary: bool) -> Decision {
    let Some((st, conditional)) = found.allow else {
        return Decision::ImplicitDeny;
    };
    if has_boundary {
        match found.boundary {
            None => return Decision::OutsideBoundary(st),
            Some((b, true)) => return Decision::Conditional(b),
            Some((_, false)) => {}
        }
    }
    if let Some(deny) = found.conditional_deny {
        return Decision::Conditional(deny);
    }
    if conditional {
        return Decision::Conditional(st);
    }
    Decision::Allowed(st)
}

/// A document's statements: `Statement` as a list or a single object.
pub fn statements(document: &Value) -> impl Iterator<Item = &Value> {
    let list: Vec<&Value> = match document.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    list.into_iter()
}

/// A statement's `Condition` in words, key first: `aws:SourceAccount StringEquals
/// 123456789012; aws:SourceArn ArnLike arn:aws:ecs:…`. None without one.
pub fn condition_words(st: &Value) -> Option<String> {
    let Some(Value::Object(operators)) = st.get("Condition") else {
        return None;
    };
    let mut parts = Vec::new();
    for (operator, keys) in operators {
        let Value::Object(keys) = keys else { continue };
        for (key, values) in keys {
            let values = match values {
                Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
                v => plain(v),
            };
            parts.push(format!("{} {operator} {values}", spelled(key)));
        }
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// Condition keys as AWS documents them. Canonical policies hold keys lower-case (IAM compares
/// them so); words for people use the documented spelling of the global keys.
const SPELLED_KEYS: &[&str] = &[
    "aws:CalledVia",
    "aws:CurrentTime",
    "aws:MultiFactorAuthPresent",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalServiceName",
    "aws:PrincipalTag",
    "aws:PrincipalType",
    "aws:RequestTag",
    "aws:RequestedRegion",
    "aws:ResourceAccount",
    "aws:ResourceOrgID",
    "aws:ResourceTag",
    "aws:SecureTransport",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceIp",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceOwner",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:TagKeys",
    "aws:ViaAWSService",
    "aws:userid",
    "aws:username",
    "sts:ExternalId",
];

/// `key` in its documented spelling when it is a global key (a tag key after `/` as written).
fn spelled(key: &str) -> String {
    let (name, rest) = match key.split_once('/') {
        Some((n, r)) => (n, Some(r)),
        None => (key, None),
    };
    let name = SPELLED_KEYS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(name))
        .map_or(name, |k| *k);
    match rest {
        Some(r) => format!("{name}/{r}"),
        None => name.to_string(),
    }
}

/// A condition value as written: strings without their quotes.
fn plain(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

/// Whether a statement denies.
pub fn is_deny(st: &Value) -> bool {
    st.get("Effect")
        .and_then(Value::as_str)
        .is_some_and(|e| e.eq_ignore_ascii_case("deny"))
}

/// A string or a list of strings, as a list (IAM accepts both for every element).
pub fn strings(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn statement_hits(
    st: &Value,
    role: Role,
    principal: Principal,
    action: &str,
    resource: &str,
) -> Hit {
    let action_hit = element(st, "Action", "NotAction", |p| {
        wildcard::matches(&p.to_ascii_lowercase(), &action.to_ascii_lowercase())
    });
    if !action_hit {
        return Hit::No;
    }
    let mut conditional = st.get("Condition").is_some_and(|c| c != &Value::Null);
    let resource_hit = element(st, "Resource", "NotResource", |p| {
        if wildcard::matches(p, resource) {
            return true;
        }
        // A policy variable is resolved per request: it may match, under conditions.
        let loose = has_variable(p) && wildcard::matches(&variables_as_wildcards(p), resource);
        conditional |= loose;
        loose
    });
    if !resource_hit {
        return Hit::No;
    }
    if role == Role::Resource && !names_principal(st, principal) {
        return Hit::No;
    }
    if conditional {
        Hit::Conditional
    } else {
        Hit::Yes
    }
}

/// Whether the statement's `positive` element matches (or its `negative` element does not).
/// A statement with neither (a trust policy has no `Resource`) matches everything.
fn element(st: &Value, positive: &str, negative: &str, hit: impl FnMut(&str) -> bool) -> bool {
    let mut hit = hit;
    if let Some(v) = st.get(positive) {
        strings(Some(v)).into_iter().any(&mut hit)
    } else if let Some(v) = st.get(negative) {
        !strings(Some(v)).into_iter().any(hit)
    } else {
        true
    }
}

fn has_variable(pattern: &str) -> bool {
    pattern.contains("${")
}

/// `arn:…:user/${aws:username}` → `arn:…:user/*`.
fn variables_as_wildcards(pattern: &str) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => {
                out.push('*');
                rest = &rest[start + end + 1..];
            }
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether a resource policy's statement grants to the principal itself: `"*"`, `{"AWS": "*"}`
/// or its ARN. Naming the account (`arn:aws:iam::ACCOUNT:root` or the bare id) delegates to the
/// account's identity policies, which then must allow it themselves: no grant here.
fn names_principal(st: &Value, principal: Principal) -> bool {
    if let Some(not) = st.get("NotPrincipal") {
        return !principal_listed(not, principal);
    }
    st.get("Principal")
        .is_some_and(|p| principal_listed(p, principal))
}

fn principal_listed(p: &Value, principal: Principal) -> bool {
    match p {
        Value::String(s) => s == "*",
        Value::Object(m) => strings(m.get("AWS"))
            .into_iter()
            .any(|a| a == "*" || a == principal.arn),
        _ => false,
    }
}

/// Whether a trust policy lets `service` (e.g. `ecs-tasks.amazonaws.com`) assume the role.
pub fn trusts_service(trust: &Value, name: &str, service: &str) -> Decision {
    let mut found = Found::default();
    for (index, st) in statements(trust).enumerate() {
        let action = element(st, "Action", "NotAction", |p| {
            wildcard::matches(&p.to_ascii_lowercase(), "sts:assumerole")
        });
        let named = st.get("Principal").is_some_and(|p| match p {
            Value::String(s) => s == "*",
            Value::Object(m) => strings(m.get("Service")).contains(&service),
            _ => false,
        });
        if !action || !named {
            continue;
        }
        let at = Statement {
            policy: name.to_string(),
            index,
            sid: st.get("Sid").and_then(Value::as_str).map(str::to_string),
        };
        let conditional = st.get("Condition").is_some_and(|c| c != &Value::Null);
        if is_deny(st) {
            return if conditional {
                Decision::Conditional(at)
            } else {
                Decision::ExplicitDeny(at)
            };
        }
        keep(&mut found.allow, at, conditional);
    }
    decide(found, false)
}
