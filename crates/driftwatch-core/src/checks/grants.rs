//! What a task definition's execution role must be allowed for the ECS agent to start its
//! containers: pull the image, write the logs, read the secrets. One verdict a reference, over
//! the role's own policies and the resource's policy; "not allowed" only when every policy
//! that could allow it is known (as `queue-access`).

use serde_json::Value;

use super::access::{definite, severity_of, RolePolicies};
use super::{Cx, Found, Out, Reason, Ref};
use crate::arn;
use crate::model::{Kind, Place, Resource};
use crate::policy_eval::{evaluate, Decision, Role};

/// A task definition the checks of what a task needs read: a family's latest ACTIVE revision
/// (held by the task definition), or an older revision a service still runs (held by the
/// service: live only, `Extras::service_revisions`).
#[derive(Clone, Copy)]
pub(super) struct Task<'a> {
    pub(super) kind: Kind,
    pub(super) id: &'a str,
    pub(super) doc: &'a Value,
}

/// Every task definition those checks read, with where its holder is.
pub(super) fn tasks<'a>(cx: &'a Cx) -> Vec<(Task<'a>, Place)> {
    let kind = Kind::EcsTaskDefinition;
    let latest = cx.inv.of_kind(kind).map(|(id, r)| (kind, id, &r.document));
    let services = cx
        .extras
        .service_revisions
        .read
        .iter()
        .map(|(id, doc)| (Kind::EcsService, id.as_str(), doc));
    latest
        .chain(services)
        .map(|(kind, id, doc)| (Task { kind, id, doc }, cx.place_of(kind, id)))
        .collect()
}

/// The revisions services run that could not be read: what their tasks need is not judged,
/// and each check says so.
pub(super) fn unread_revisions(cx: &Cx, out: &mut Out) {
    for (service, (revision, why)) in &cx.extras.service_revisions.unread {
        let message = format!("service {service} runs {revision}, which could not be read: {why}");
        out.not_judged(
            Reason::NotRead,
            Kind::EcsService,
            service,
            revision,
            message,
        );
    }
}

/// One permission: an action, on any of the resource forms a policy may name it by (a log
/// stream is `log-group:G:log-stream:S`, written `log-group:G:*` as often).
pub(super) struct Need {
    pub(super) action: &'static str,
    pub(super) resources: Vec<String>,
}

impl Need {
    pub(super) fn on(action: &'static str, resource: impl Into<String>) -> Need {
        Need {
            action,
            resources: vec![resource.into()],
        }
    }
}

/// A task definition's execution role, with its policies.
pub(super) struct ExecRole<'a> {
    pub(super) name: &'a str,
    pub(super) arn: &'a str,
    pub(super) policies: RolePolicies,
}

/// The execution role of a task definition: `Ok(None)` when it names none or one that does not
/// exist (`task-role`'s finding), `Err` when the inventory cannot tell.
pub(super) fn exec_role<'a>(
    cx: &Cx,
    from: &Place,
    doc: &'a Value,
) -> Result<Option<ExecRole<'a>>, (Reason, String)> {
    let Some(role_arn) = doc.get("executionRoleArn").and_then(Value::as_str) else {
        return Ok(None);
    };
    let Some((account, name)) = arn::role(role_arn) else {
        return Ok(None);
    };
    match cx.find(from, &Ref::role(account, name)) {
        Found::Here(role) => Ok(Some(ExecRole {
            name,
            arn: role_arn,
            policies: RolePolicies::of(cx, name, role),
        })),
        Found::Absent => Ok(None),
        Found::Unknown(reason, why) => Err((reason, format!("execution role {name}: {why}"))),
    }
}

/// What the check knows of the resource the role needs access to: its name for messages, its
/// policy (a repository's, a secret's) and whether the source states it.
pub(super) struct Target<'a> {
    pub(super) what: String,
    pub(super) resource: Option<&'a Resource>,
    pub(super) policy_field: &'static str,
    /// What the reference itself does not say that a policy may name (a secret's full ARN
    /// behind a partial one): a "no" that any unknown statement could turn is not judged.
    pub(super) gap: Option<(Reason, String)>,
}

/// Judges whether `role` may do every `need` for the resource `kind` `id` referring to
/// `subject`: judged when it may; a finding naming each action
/// it may not; not judged when a policy the answer depends on is not known.
pub(super) fn judge(
    cx: &Cx,
    out: &mut Out,
    (kind, id, subject): (Kind, &str, &str),
    uses: &str,
    role: &ExecRole,
    target: &Target,
    needs: &[Need],
) {
    let mut extra = Vec::new();
    let policy = target
        .resource
        .and_then(|r| r.document.get(target.policy_field));
    if let Some(p) = policy {
        extra.push((
            format!("the policy of {}", target.what),
            Role::Resource,
            p.clone(),
        ));
    }
    let all = role.policies.policies(&extra);
    let principal = crate::policy_eval::Principal { arn: role.arn };
    let mut refused: Vec<(&str, &str, Decision)> = Vec::new();
    for need in needs {
        let decisions: Vec<Decision> = need
            .resources
            .iter()
            .map(|r| evaluate(&all, principal, need.action, r))
            .collect();
        if decisions.iter().any(Decision::is_allowed) {
            continue;
        }
        let worst = decisions
            .into_iter()
            .next()
            .unwrap_or(Decision::ImplicitDeny);
        refused.push((need.action, need.resources[0].as_str(), worst));
    }
    if refused.is_empty() {
        out.judged(kind, id);
        return;
    }
    let why = in_words(&refused);
    let resource_gap = target.resource.and_then(|r| {
        (!target.policy_field.is_empty()
            && r.scope.knows(&format!("/{}", target.policy_field)) != crate::scope::Known::All)
            .then(|| {
                (
                    Reason::Partial,
                    format!(
                        "{} does not describe the policy of {}",
                        cx.inv.source, target.what
                    ),
                )
            })
    });
    let gap = role
        .policies
        .gap(cx, role.name)
        .or(resource_gap)
        .or_else(|| target.gap.clone());
    let is_gap = gap.is_some();
    let decisions: Vec<&Decision> = refused.iter().map(|(_, _, d)| d).collect();
    match gap.filter(|_| !decisions.iter().all(|d| definite(d, is_gap))) {
        Some((reason, missing)) => {
            let message = format!(
                "{uses}: none of the policies described lets execution role {} ({why}), but {missing}",
                role.name
            );
            out.not_judged(reason, kind, id, subject, message);
        }
        None => {
            let message = format!("{uses}, but execution role {} may not: {why}", role.name);
            out.finding(severity_of(&decisions), kind, id, subject, message);
        }
    }
}

/// `arn:P:SERVICE:REGION:ACCOUNT:RESOURCE` at a place (unknown parts are empty).
pub(super) fn arn_at(at: &Place, service: &str, resource: &str) -> String {
    format!(
        "arn:{}:{service}:{}:{}:{resource}",
        at.partition.as_deref().unwrap_or("aws"),
        at.region.as_deref().unwrap_or_default(),
        at.account.as_deref().unwrap_or_default()
    )
}

/// The `kms:Decrypt` a customer-managed key needs, by the key's ARN: a key id is made an ARN at
/// `at`; an alias is not a resource IAM evaluates `kms:Decrypt` on, so it gives none.
pub(super) fn decrypt(at: &Place, key: &str) -> Option<Need> {
    if let Some(a) = arn::Arn::parse(key) {
        return a
            .resource
            .starts_with("key/")
            .then(|| Need::on("kms:Decrypt", key));
    }
    if key.starts_with("alias/") {
        return None;
    }
    Some(Need::on(
        "kms:Decrypt",
        arn_at(at, "kms", &format!("key/{key}")),
    ))
}

/// "A and B on R: no statement allows it; C on *: …": the refused actions, those with the same
/// resource and answer said once.
fn in_words(refused: &[(&str, &str, Decision)]) -> String {
    let mut groups: Vec<(Vec<&str>, &str, String)> = Vec::new();
    for (action, resource, d) in refused {
        let answer = d.to_string();
        match groups
            .iter_mut()
            .find(|(_, r, a)| r == resource && *a == answer)
        {
            Some((actions, _, _)) => actions.push(action),
            None => groups.push((vec![action], resource, answer)),
        }
    }
    let said: Vec<String> = groups
        .into_iter()
        .map(|(actions, resource, answer)| {
            format!("{} on {resource}: {answer}", actions.join(" and "))
        })
        .collect();
    said.join("; ")
}
