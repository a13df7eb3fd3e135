//! Checks on task definitions: `env-reference` (environment values and secrets naming queues or
//! roles that do not exist) and `task-role` (task and execution roles that do not exist or do
//! not trust ECS tasks).

use serde_json::Value;

use super::{Cx, Found, Out, Reason, Ref, Severity};
use crate::arn::{self, QueueRef};
use crate::model::Kind;
use crate::policy_eval::{condition_words, is_deny, statements, trusts_service, Decision};
use crate::scope::Known;

/// The service principal ECS tasks assume their roles as.
pub const ECS_TASKS: &str = "ecs-tasks.amazonaws.com";

/// One environment value or secret `valueFrom` of a task definition.
pub struct EnvValue<'a> {
    pub container: &'a str,
    /// `environment NAME` or `secret NAME`.
    pub name: String,
    pub value: &'a str,
    /// A plain environment value, not a secret's `valueFrom` (`secret-reference` judges those).
    pub is_environment: bool,
}

/// Every environment value and secret of a task definition's containers (canonical form:
/// containers, `environment` and `secrets` are objects keyed by name).
pub fn env_values(doc: &Value) -> Vec<EnvValue<'_>> {
    let mut out = Vec::new();
    let Some(Value::Object(containers)) = doc.get("containerDefinitions") else {
        return out;
    };
    for (container, c) in containers {
        for (field, label) in [("environment", "environment"), ("secrets", "secret")] {
            let Some(Value::Object(vars)) = c.get(field) else {
                continue;
            };
            for (name, v) in vars {
                if let Some(value) = v.as_str() {
                    out.push(EnvValue {
                        container,
                        name: format!("{label} {name}"),
                        value,
                        is_environment: field == "environment",
                    });
                }
            }
        }
    }
    out
}

/// The queues a task definition names in its environment.
pub fn queues(doc: &Value) -> Vec<(EnvValue<'_>, QueueRef)> {
    env_values(doc)
        .into_iter()
        .filter_map(|e| arn::queue(e.value).map(|q| (e, q)))
        .collect()
}

pub fn env_reference(cx: &Cx, out: &mut Out) {
    let kind = Kind::EcsTaskDefinition;
    for (family, r) in cx.inv.of_kind(kind) {
        let from = cx.place_of(kind, family);
        for e in env_values(&r.document) {
            let queue = arn::queue(e.value);
            let target = match (&queue, arn::role(e.value)) {
                (Some(q), _) => Ref::queue(q),
                (None, Some((account, name))) => Ref::role(account, name),
                (None, None) => {
                    if let Some(d) = dependency(e.value).filter(|_| e.is_environment) {
                        dependency_reference(cx, out, (family, &from), &e, &d);
                    }
                    continue;
                }
            };
            let names = format!(
                "{} of container {} names {}",
                e.name,
                e.container,
                target.what()
            );
            match cx.find(&from, &target) {
                Found::Here(_) => out.judged(kind, family),
                Found::Absent => out.finding(
                    Severity::Error,
                    kind,
                    family,
                    e.value,
                    format!("{names}, which does not exist"),
                ),
                Found::Unknown(reason, why) => {
                    out.not_judged(reason, kind, family, e.value, format!("{names}: {why}"))
                }
            }
        }
    }
}

pub fn task_role(cx: &Cx, out: &mut Out) {
    let kind = Kind::EcsTaskDefinition;
    for (family, r) in cx.inv.of_kind(kind) {
        let from = cx.place_of(kind, family);
        for field in ["taskRoleArn", "executionRoleArn"] {
            let Some(value) = r.document.get(field).and_then(Value::as_str) else {
                continue;
            };
            let Some((account, name)) = arn::role(value) else {
                continue;
            };
            let names = format!("{field} names role {name}");
            let role = match cx.find(&from, &Ref::role(account, name)) {
                Found::Here(role) => role,
                Found::Absent => {
                    let message = format!("{names}, which does not exist");
                    out.finding(Severity::Error, kind, family, value, message);
                    continue;
                }
                Found::Unknown(reason, why) => {
                    out.not_judged(reason, kind, family, value, format!("{names}: {why}"));
                    continue;
                }
            };
            if role.scope.knows(TRUST) == Known::Nothing {
                let why = format!(
                    "{names}: {} describes only part of that role, not its trust policy",
                    cx.inv.source
                );
                out.not_judged(Reason::Partial, kind, family, value, why);
                continue;
            }
            match trust_problem(&role.document, name) {
                None => out.judged(kind, family),
                Some((severity, why)) => {
                    out.finding(severity, kind, family, value, format!("{names}, {why}"))
                }
            }
        }
    }
}

/// The trust policy's place in a role's canonical document.
const TRUST: &str = "/AssumeRolePolicyDocument";

/// Why ECS tasks may not assume a role, if they may not: an error, or a warning when it
/// depends on a condition of the request (AWS's recommended `aws:SourceAccount` pattern).
fn trust_problem(role: &Value, name: &str) -> Option<(Severity, String)> {
    let empty = Value::Null;
    let trust = role.pointer(TRUST).unwrap_or(&empty);
    let decision = trusts_service(
        trust,
        &format!("the trust policy of role {name}"),
        ECS_TASKS,
    );
    match &decision {
        Decision::Allowed(_) => None,
        Decision::Conditional(at) => {
            let st = statements(trust).nth(at.index);
            let condition = st.and_then(condition_words).unwrap_or_default();
            let text = if st.is_some_and(is_deny) {
                format!("whose trust policy refuses ECS tasks ({ECS_TASKS}) under a condition ({condition}; {at})")
            } else {
                format!("which allows ECS tasks ({ECS_TASKS}) only under a condition ({condition}; {at})")
            };
            Some((Severity::Warning, text))
        }
        d => Some((
            Severity::Error,
            format!("whose trust policy does not let {ECS_TASKS} assume it ({d})"),
        )),
    }
}

/// A dependency of the app an environment value names by ARN or URI: a secret, a parameter, a
/// log group, an ECR repository.
pub(super) struct Dependency {
    kind: Kind,
    /// The names it may stand for, first as written (a secret's full ARN may end in a random
    /// suffix that is not part of its name).
    names: Vec<String>,
    account: String,
    region: String,
}

fn dependency(value: &str) -> Option<Dependency> {
    use super::names::{ecr_image, log_group_arn, secret_ref, SecretRef};
    if let Some(i) = ecr_image(value) {
        return Some(Dependency {
            kind: Kind::EcrRepository,
            names: vec![i.repository],
            account: i.account,
            region: i.region,
        });
    }
    if let Some((account, region, name)) = log_group_arn(value) {
        return Some(Dependency {
            kind: Kind::CloudwatchLogGroup,
            names: vec![name.to_string()],
            account: account.to_string(),
            region: region.to_string(),
        });
    }
    // Only by ARN: a bare word is not known to name a parameter.
    arn::Arn::parse(value)?;
    match secret_ref(value)? {
        SecretRef::Secret(s) => Some(Dependency {
            kind: Kind::SecretsmanagerSecret,
            names: s.names().into_iter().map(str::to_string).collect(),
            account: s.account,
            region: s.region,
        }),
        SecretRef::Parameter(p) => Some(Dependency {
            kind: Kind::SsmParameter,
            names: vec![p.name],
            account: p.account?,
            region: p.region?,
        }),
    }
}

/// Whether the dependency an environment value names exists: the first of its names that is
/// here, else what the lookup of the name as written says.
fn dependency_reference(
    cx: &Cx,
    out: &mut Out,
    (family, from): (&str, &crate::model::Place),
    e: &EnvValue,
    d: &Dependency,
) {
    let kind = Kind::EcsTaskDefinition;
    let mut first = None;
    for name in &d.names {
        let r = Ref {
            kind: d.kind,
            id: name,
            account: Some(&d.account),
            region: Some(&d.region),
        };
        match cx.find(from, &r) {
            Found::Here(_) => {
                out.judged(kind, family);
                return;
            }
            other if first.is_none() => first = Some((other, r.what())),
            _ => {}
        }
    }
    let Some((found, what)) = first else { return };
    let names = format!("{} of container {} names {what}", e.name, e.container);
    match found {
        Found::Here(_) => out.judged(kind, family),
        Found::Absent => out.finding(
            Severity::Error,
            kind,
            family,
            e.value,
            format!("{names}, which does not exist"),
        ),
        Found::Unknown(reason, why) => {
            out.not_judged(reason, kind, family, e.value, format!("{names}: {why}"))
        }
    }
}
