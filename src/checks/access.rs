//! Checks that evaluate IAM policies: `queue-access` (a task role allowed neither to send to nor
//! to receive from a queue its task definition names) and `pass-role` (a deployer not allowed to
//! pass the roles of the task definitions it can register).

use serde_json::Value;

use super::arn;
use super::ecs::queues;
use super::{finding, CheckId, Cx, Finding, Severity};
use crate::model::Kind;
use crate::policy_eval::{evaluate, Decision, Policy, Principal, Role};

/// A role's policies as evaluation needs them, and the attached ones whose documents are not
/// available (an answer that is not "allowed" is then "cannot tell").
struct RolePolicies {
    names: Vec<String>,
    docs: Vec<(Role, Value)>,
    unknown: Vec<String>,
}

impl RolePolicies {
    fn of(cx: &Cx, name: &str, role: &Value) -> RolePolicies {
        let mut p = RolePolicies {
            names: Vec::new(),
            docs: Vec::new(),
            unknown: Vec::new(),
        };
        if let Some(Value::Object(inline)) = role.get("RolePolicyList") {
            for (policy, doc) in inline {
                p.push(
                    format!("inline policy {policy} of role {name}"),
                    Role::Identity,
                    doc.clone(),
                );
            }
        }
        let attached = role
            .get("AttachedManagedPolicies")
            .and_then(Value::as_array);
        for a in attached.into_iter().flatten().filter_map(Value::as_str) {
            p.managed(cx, a, Role::Identity);
        }
        if let Some(b) = role.get("PermissionsBoundary").and_then(Value::as_str) {
            p.managed(cx, b, Role::Boundary);
        }
        p
    }

    fn push(&mut self, name: String, role: Role, doc: Value) {
        self.names.push(name);
        self.docs.push((role, doc));
    }

    /// A managed policy by ARN: the inventory's customer-managed policies (by name), or the
    /// side table of AWS-managed documents.
    fn managed(&mut self, cx: &Cx, policy_arn: &str, role: Role) {
        let parsed = arn::Arn::parse(policy_arn);
        let doc = match parsed {
            Some(a) if a.account == "aws" => cx.extras.aws_managed.get(policy_arn).cloned(),
            Some(a) => {
                let name = a.resource.rsplit('/').next().unwrap_or(a.resource);
                cx.doc(Kind::IamPolicy, name)
                    .and_then(|d| d.get("PolicyDocument"))
                    .cloned()
            }
            None => None,
        };
        let what = if role == Role::Boundary {
            format!("permissions boundary {policy_arn}")
        } else {
            format!("policy {policy_arn}")
        };
        match doc {
            Some(d) => self.push(what, role, d),
            None => self.unknown.push(policy_arn.to_string()),
        }
    }

    fn policies<'a>(&'a self, extra: &'a [(String, Role, Value)]) -> Vec<Policy<'a>> {
        let mine = self.names.iter().zip(&self.docs).map(|(n, (r, d))| Policy {
            name: n,
            role: *r,
            document: d,
        });
        let extra = extra.iter().map(|(n, r, d)| Policy {
            name: n,
            role: *r,
            document: d,
        });
        mine.chain(extra).collect()
    }
}

/// The ARN of a role, from the inventory's place: `arn:P:iam::ACCOUNT:role/NAME`.
fn role_arn(cx: &Cx, name: &str, account: &str) -> String {
    format!("arn:{}:iam::{account}:role/{name}", cx.at.partition())
}

pub fn queue_access(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    if !cx.covers(Kind::IamRole) || !cx.covers(Kind::SqsQueue) {
        return out;
    }
    for (family, r) in cx.inv.of_kind(Kind::EcsTaskDefinition) {
        let Some(task_role) = r.document.get("taskRoleArn").and_then(Value::as_str) else {
            continue;
        };
        let Some((_, role_name)) = arn::role(task_role) else {
            continue;
        };
        // A missing role is `task-role`'s finding.
        let Some(role) = cx.doc(Kind::IamRole, role_name) else {
            continue;
        };
        let policies = RolePolicies::of(cx, role_name, role);
        let principal = Principal { arn: task_role };
        for (env, q) in queues(cx, &r.document) {
            let Some(queue) = cx.doc(Kind::SqsQueue, &q.name) else {
                continue;
            };
            let queue_arn = q.arn(cx.at);
            let mut extra = Vec::new();
            if let Some(p) = queue.get("Policy") {
                extra.push((
                    format!("the policy of queue {}", q.name),
                    Role::Resource,
                    p.clone(),
                ));
            }
            let all = policies.policies(&extra);
            let send = evaluate(&all, principal, "sqs:SendMessage", &queue_arn);
            let receive = evaluate(&all, principal, "sqs:ReceiveMessage", &queue_arn);
            if send.is_allowed() || receive.is_allowed() {
                continue;
            }
            let severity = severity_of(&[&send, &receive], &policies.unknown);
            let why = if send == receive {
                format!("sqs:SendMessage and sqs:ReceiveMessage: {send}")
            } else {
                format!("sqs:SendMessage: {send}; sqs:ReceiveMessage: {receive}")
            };
            let mut message = format!(
                "task role {role_name} may neither send to nor receive from queue {} ({} of container {}): {why}",
                q.name, env.name, env.container
            );
            add_unknown(&mut message, &policies.unknown);
            out.push(finding(
                CheckId::QueueAccess,
                severity,
                Kind::EcsTaskDefinition,
                family,
                &queue_arn,
                message,
            ));
        }
    }
    out
}

/// An error when every answer is a plain no with every document known; else "cannot tell".
fn severity_of(decisions: &[&Decision], unknown: &[String]) -> Severity {
    let conditional = decisions
        .iter()
        .any(|d| matches!(d, Decision::Conditional(_)));
    let denied = decisions
        .iter()
        .any(|d| matches!(d, Decision::ExplicitDeny(_)));
    if conditional || (!unknown.is_empty() && !denied) {
        Severity::Warning
    } else {
        Severity::Error
    }
}

fn add_unknown(message: &mut String, unknown: &[String]) {
    if !unknown.is_empty() {
        message.push_str(&format!(
            " (cannot tell for sure: the documents of {} are not available here)",
            unknown.join(", ")
        ));
    }
}

pub fn pass_role(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    if !cx.covers(Kind::IamRole) {
        return out;
    }
    let account = cx.at.account.clone().unwrap_or_default();
    // The roles every task definition uses, each once.
    let mut used: Vec<(&str, &str, &str)> = Vec::new();
    for (family, r) in cx.inv.of_kind(Kind::EcsTaskDefinition) {
        for field in ["taskRoleArn", "executionRoleArn"] {
            if let Some(v) = r.document.get(field).and_then(Value::as_str) {
                if !used.iter().any(|(_, x, _)| *x == v) {
                    used.push((family, v, field));
                }
            }
        }
    }
    for (name, r) in cx.inv.of_kind(Kind::IamRole) {
        let policies = RolePolicies::of(cx, name, &r.document);
        let me = role_arn(cx, name, &account);
        let principal = Principal { arn: &me };
        let all = policies.policies(&[]);
        // RegisterTaskDefinition supports no resource-level permissions: only `*` grants it.
        let registers = evaluate(&all, principal, "ecs:RegisterTaskDefinition", "*");
        let named = cx.options.deployers.iter().any(|d| d == name);
        if !named
            && matches!(
                registers,
                Decision::ImplicitDeny | Decision::ExplicitDeny(_) | Decision::OutsideBoundary(_)
            )
        {
            continue;
        }
        for (family, passed, field) in &used {
            let d = evaluate(&all, principal, "iam:PassRole", passed);
            if d.is_allowed() {
                continue;
            }
            let severity = severity_of(&[&d], &policies.unknown);
            let why = if named {
                "is a deployer (driftwatch.toml)".to_string()
            } else {
                format!("may register task definitions ({registers})")
            };
            let mut message = format!(
                "role {name} {why} but may not pass {passed}, the {field} of {family}: iam:PassRole: {d}"
            );
            add_unknown(&mut message, &policies.unknown);
            out.push(finding(
                CheckId::PassRole,
                severity,
                Kind::IamRole,
                name,
                passed,
                message,
            ));
        }
    }
    out
}
