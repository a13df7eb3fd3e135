//! Checks that evaluate IAM policies: `queue-access` (a task role allowed neither to send to nor
//! to receive from a queue its task definition names) and `pass-role` (a deployer not allowed to
//! pass the roles of the task definitions it can register). "Not allowed" is a finding only when
//! every policy that could allow it is known: a partial reference, or a policy document not
//! here, leaves the reference not judged (an explicit deny is a finding whatever else exists).

use serde_json::Value;

use super::ecs::{queues, EnvValue};
use super::{Cx, Found, Out, Reason, Ref, Severity};
use crate::arn::{self, QueueRef};
use crate::model::{Kind, Place, Resource};
use crate::policy_eval::{evaluate, Decision, Policy, Principal, Role};
use crate::scope::Known;

/// A role's policies as evaluation needs them, and what of them is not known.
pub(super) struct RolePolicies {
    names: Vec<String>,
    docs: Vec<(Role, Value)>,
    /// Attached policies whose documents are not here.
    unknown: Vec<String>,
    /// The source states only some of the role's policies (a partial reference).
    partial: bool,
}

impl RolePolicies {
    pub(super) fn of(cx: &Cx, name: &str, role: &Resource) -> RolePolicies {
        let doc = &role.document;
        let mut p = RolePolicies {
            names: Vec::new(),
            docs: Vec::new(),
            unknown: Vec::new(),
            partial: ["/RolePolicyList", "/AttachedManagedPolicies"]
                .iter()
                .any(|path| role.scope.knows(path) != Known::All),
        };
        if let Some(Value::Object(inline)) = doc.get("RolePolicyList") {
            for (policy, doc) in inline {
                p.push(
                    format!("inline policy {policy} of role {name}"),
                    Role::Identity,
                    doc.clone(),
                );
            }
        }
        let attached = doc.get("AttachedManagedPolicies").and_then(Value::as_array);
        for a in attached.into_iter().flatten().filter_map(Value::as_str) {
            p.managed(cx, a, Role::Identity);
        }
        if let Some(b) = doc.get("PermissionsBoundary").and_then(Value::as_str) {
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

    pub(super) fn policies<'a>(&'a self, extra: &'a [(String, Role, Value)]) -> Vec<Policy<'a>> {
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

    /// Why a "no" could still be a yes, if it could: what the source does not state.
    pub(super) fn gap(&self, cx: &Cx, role: &str) -> Option<(Reason, String)> {
        if self.partial {
            return Some((
                Reason::Partial,
                format!(
                    "{} describes only some of role {role}'s policies",
                    cx.inv.source
                ),
            ));
        }
        (!self.unknown.is_empty()).then(|| {
            (
                Reason::NotDescribed,
                format!(
                    "the documents of {} are not in {}",
                    self.unknown.join(", "),
                    cx.inv.source
                ),
            )
        })
    }
}

/// Whether a "no" stands whatever the source does not state: an explicit deny always does, a
/// conditional answer is a warning, and an implicit one only when nothing is missing.
pub(super) fn definite(d: &Decision, gap: bool) -> bool {
    match d {
        Decision::ExplicitDeny(_) | Decision::Conditional(_) => true,
        Decision::Allowed(_) => false,
        _ => !gap,
    }
}

/// An error when every answer is a plain no; a warning when one depends on a condition.
pub(super) fn severity_of(decisions: &[&Decision]) -> Severity {
    if decisions
        .iter()
        .any(|d| matches!(d, Decision::Conditional(_)))
    {
        Severity::Warning
    } else {
        Severity::Error
    }
}

/// The ARN of a role, from where it is: `arn:P:iam::ACCOUNT:role/NAME`.
fn role_arn(cx: &Cx, name: &str) -> String {
    let at = cx.place_of(Kind::IamRole, name);
    format!(
        "arn:{}:iam::{}:role/{name}",
        at.partition.as_deref().unwrap_or("aws"),
        at.account.as_deref().unwrap_or_default()
    )
}

pub fn queue_access(cx: &Cx, out: &mut Out) {
    let kind = Kind::EcsTaskDefinition;
    for (family, r) in cx.inv.of_kind(kind) {
        let Some(task_role) = r.document.get("taskRoleArn").and_then(Value::as_str) else {
            continue;
        };
        let Some((role_account, role_name)) = arn::role(task_role) else {
            continue;
        };
        let queues = queues(&r.document);
        if queues.is_empty() {
            continue;
        }
        let from = cx.place_of(kind, family);
        let role = match cx.find(&from, &Ref::role(role_account, role_name)) {
            Found::Here(role) => role,
            // A missing role is `task-role`'s finding.
            Found::Absent => continue,
            Found::Unknown(reason, why) => {
                for (env, q) in &queues {
                    let message = format!(
                        "task role {role_name} and queue {} ({} of container {}): {why}",
                        q.name, env.name, env.container
                    );
                    out.not_judged(reason, kind, family, &q.arn(&from), message);
                }
                continue;
            }
        };
        let task_role = TaskRole {
            family,
            name: role_name,
            principal: Principal { arn: task_role },
            policies: RolePolicies::of(cx, role_name, role),
        };
        for (env, q) in queues {
            judge_queue(cx, out, &task_role, &from, &env, &q);
        }
    }
}

/// A task definition's task role, as `queue-access` evaluates it.
struct TaskRole<'a> {
    family: &'a str,
    name: &'a str,
    principal: Principal<'a>,
    policies: RolePolicies,
}

/// Whether the task role may send to or receive from one queue its environment names.
fn judge_queue(
    cx: &Cx,
    out: &mut Out,
    role: &TaskRole,
    from: &Place,
    env: &EnvValue,
    q: &QueueRef,
) {
    let (kind, family, role_name) = (Kind::EcsTaskDefinition, role.family, role.name);
    let queue_arn = q.arn(from);
    let uses = format!(
        "task role {role_name} and queue {} ({} of container {})",
        q.name, env.name, env.container
    );
    let queue = match cx.find(from, &Ref::queue(q)) {
        Found::Here(queue) => queue,
        // A missing queue is `env-reference`'s finding.
        Found::Absent => return,
        Found::Unknown(reason, why) => {
            out.not_judged(reason, kind, family, &queue_arn, format!("{uses}: {why}"));
            return;
        }
    };
    let mut extra = Vec::new();
    if let Some(p) = queue.document.get("Policy") {
        extra.push((
            format!("the policy of queue {}", q.name),
            Role::Resource,
            p.clone(),
        ));
    }
    let all = role.policies.policies(&extra);
    let send = evaluate(&all, role.principal, "sqs:SendMessage", &queue_arn);
    let receive = evaluate(&all, role.principal, "sqs:ReceiveMessage", &queue_arn);
    if send.is_allowed() || receive.is_allowed() {
        out.judged(kind, family);
        return;
    }
    let why = if send == receive {
        format!("sqs:SendMessage and sqs:ReceiveMessage: {send}")
    } else {
        format!("sqs:SendMessage: {send}; sqs:ReceiveMessage: {receive}")
    };
    let gap = role.policies.gap(cx, role_name).or_else(|| {
        (queue.scope.knows("/Policy") != Known::All).then(|| {
            (
                Reason::Partial,
                format!(
                    "{} does not describe the policy of queue {}",
                    cx.inv.source, q.name
                ),
            )
        })
    });
    let is_gap = gap.is_some();
    match gap.filter(|_| !(definite(&send, is_gap) && definite(&receive, is_gap))) {
        Some((reason, missing)) => {
            let message = format!(
                "{uses}: none of the policies described lets the role send or receive ({why}), but {missing}"
            );
            out.not_judged(reason, kind, family, &queue_arn, message);
        }
        None => {
            let message = format!(
                "task role {role_name} may neither send to nor receive from queue {} ({} of container {}): {why}",
                q.name, env.name, env.container
            );
            let severity = severity_of(&[&send, &receive]);
            out.finding(severity, kind, family, &queue_arn, message);
        }
    }
}

pub fn pass_role(cx: &Cx, out: &mut Out) {
    if !cx.inv.kinds.contains(&Kind::IamRole) {
        return;
    }
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
        let policies = RolePolicies::of(cx, name, r);
        let me = role_arn(cx, name);
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
        let why = if named {
            "is a deployer (driftwatch.toml)".to_string()
        } else {
            format!("may register task definitions ({registers})")
        };
        let gap = policies.gap(cx, name);
        for (family, passed, field) in &used {
            let d = evaluate(&all, principal, "iam:PassRole", passed);
            if d.is_allowed() {
                out.judged(Kind::IamRole, name);
                continue;
            }
            match gap.as_ref().filter(|_| !definite(&d, true)) {
                Some((reason, missing)) => {
                    let message = format!(
                        "role {name} {why}; none of the policies described lets it pass {passed}, the {field} of {family} (iam:PassRole: {d}), but {missing}"
                    );
                    out.not_judged(*reason, Kind::IamRole, name, passed, message);
                }
                None => {
                    let message = format!(
                        "role {name} {why} but may not pass {passed}, the {field} of {family}: iam:PassRole: {d}"
                    );
                    out.finding(severity_of(&[&d]), Kind::IamRole, name, passed, message);
                }
            }
        }
    }
}
