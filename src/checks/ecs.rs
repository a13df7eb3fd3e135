//! Checks on task definitions: `env-reference` (environment values and secrets naming queues or
//! roles that do not exist) and `task-role` (task and execution roles that do not exist or do
//! not trust ECS tasks).

use serde_json::Value;

use super::arn::{self, QueueRef};
use super::{finding, CheckId, Cx, Finding, Severity};
use crate::model::Kind;
use crate::policy_eval::{trusts_service, Decision};

/// The service principal ECS tasks assume their roles as.
pub const ECS_TASKS: &str = "ecs-tasks.amazonaws.com";

/// One environment value or secret `valueFrom` of a task definition.
pub struct EnvValue<'a> {
    pub container: &'a str,
    /// `environment NAME` or `secret NAME`.
    pub name: String,
    pub value: &'a str,
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
                    });
                }
            }
        }
    }
    out
}

/// The queues a task definition names in its environment, in this account and region.
pub fn queues<'a>(cx: &Cx, doc: &'a Value) -> Vec<(EnvValue<'a>, QueueRef)> {
    env_values(doc)
        .into_iter()
        .filter_map(|e| arn::queue(e.value).map(|q| (e, q)))
        .filter(|(_, q)| cx.at.holds(&q.account, q.region.as_deref()))
        .collect()
}

pub fn env_reference(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (family, r) in cx.inv.of_kind(Kind::EcsTaskDefinition) {
        for e in env_values(&r.document) {
            let missing = if let Some(q) = arn::queue(e.value) {
                let here = cx.at.holds(&q.account, q.region.as_deref());
                (here && cx.covers(Kind::SqsQueue) && cx.doc(Kind::SqsQueue, &q.name).is_none())
                    .then(|| format!("queue {}", q.name))
            } else if let Some((account, name)) = arn::role(e.value) {
                let here = cx.at.holds(account, None);
                (here && cx.covers(Kind::IamRole) && cx.doc(Kind::IamRole, name).is_none())
                    .then(|| format!("role {name}"))
            } else {
                None
            };
            if let Some(what) = missing {
                out.push(finding(
                    CheckId::EnvReference,
                    Severity::Error,
                    Kind::EcsTaskDefinition,
                    family,
                    e.value,
                    format!(
                        "{} of container {} names {what}, which does not exist",
                        e.name, e.container
                    ),
                ));
            }
        }
    }
    out
}

pub fn task_role(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    if !cx.covers(Kind::IamRole) {
        return out;
    }
    for (family, r) in cx.inv.of_kind(Kind::EcsTaskDefinition) {
        for field in ["taskRoleArn", "executionRoleArn"] {
            let Some(value) = r.document.get(field).and_then(Value::as_str) else {
                continue;
            };
            let Some((account, name)) = arn::role(value) else {
                continue;
            };
            if !cx.at.holds(account, None) {
                continue;
            }
            let problem = match cx.doc(Kind::IamRole, name) {
                None => Some((Severity::Error, format!("{field} names role {name}, which does not exist"))),
                Some(role) => trust_problem(role, name).map(|(sev, why)| {
                    (sev, format!("{field} names role {name}, whose trust policy does not let {ECS_TASKS} assume it ({why})"))
                }),
            };
            if let Some((severity, message)) = problem {
                out.push(finding(
                    CheckId::TaskRole,
                    severity,
                    Kind::EcsTaskDefinition,
                    family,
                    value,
                    message,
                ));
            }
        }
    }
    out
}

/// Why ECS tasks may not assume a role, if they may not.
fn trust_problem(role: &Value, name: &str) -> Option<(Severity, String)> {
    let empty = Value::Null;
    let trust = role.get("AssumeRolePolicyDocument").unwrap_or(&empty);
    match trusts_service(
        trust,
        &format!("the trust policy of role {name}"),
        ECS_TASKS,
    ) {
        Decision::Allowed(_) => None,
        d @ Decision::Conditional(_) => Some((Severity::Warning, d.to_string())),
        d => Some((Severity::Error, d.to_string())),
    }
}
