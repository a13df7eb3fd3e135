//! `secret-reference`: the secrets and parameters a task definition hands its containers
//! (`secrets`, a log configuration's `secretOptions`, `repositoryCredentials`) exist, are not
//! scheduled for deletion, and the execution role may read them (and decrypt them with a
//! customer-managed key).

use serde_json::Value;

use super::grants::{decrypt, exec_role, judge, tasks, Need, Target, Task};
use super::names::{secret_ref, ParameterRef, SecretArn, SecretRef};
use super::{Cx, Found, Out, Reason, Ref, Severity};
use crate::model::{Kind, Place};

/// One reference: where it is, for messages, and what it says.
struct Named<'a> {
    /// `secret DATABASE_URL of container backend`.
    at: String,
    value: &'a str,
}

fn references(doc: &Value) -> Vec<Named<'_>> {
    let Some(Value::Object(containers)) = doc.get("containerDefinitions") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (container, c) in containers {
        let keyed = [
            ("secret", c.get("secrets")),
            (
                "log secret option",
                c.get("logConfiguration")
                    .and_then(|l| l.get("secretOptions")),
            ),
        ];
        for (label, map) in keyed {
            let Some(Value::Object(map)) = map else {
                continue;
            };
            for (name, v) in map {
                if let Some(value) = v.as_str() {
                    let at = format!("{label} {name} of container {container}");
                    out.push(Named { at, value });
                }
            }
        }
        let credentials = c
            .get("repositoryCredentials")
            .and_then(|r| r.get("credentialsParameter"))
            .and_then(Value::as_str);
        if let Some(value) = credentials {
            let at = format!("repositoryCredentials of container {container}");
            out.push(Named { at, value });
        }
    }
    out
}

pub fn secret_reference(cx: &Cx, out: &mut Out) {
    super::grants::unread_revisions(cx, out);
    for (task, from) in tasks(cx) {
        for n in references(task.doc) {
            match secret_ref(n.value) {
                Some(SecretRef::Secret(s)) => secret(cx, out, task, &from, &n, &s),
                Some(SecretRef::Parameter(p)) => parameter(cx, out, task, &from, &n, &p),
                None => {}
            }
        }
    }
}

/// The first of the names a secret ARN may stand for that is here; else what the lookup of the
/// name as written says.
fn find_secret<'a>(cx: &'a Cx, from: &Place, s: &SecretArn) -> (Found<'a>, String) {
    let mut first = None;
    for name in s.names() {
        let r = Ref {
            kind: Kind::SecretsmanagerSecret,
            id: name,
            account: Some(&s.account),
            region: Some(&s.region),
        };
        match cx.find(from, &r) {
            Found::Here(found) => return (Found::Here(found), name.to_string()),
            other if first.is_none() => first = Some((other, name.to_string())),
            _ => {}
        }
    }
    first.unwrap_or((Found::Absent, s.name.clone()))
}

fn secret(cx: &Cx, out: &mut Out, task: Task, from: &Place, n: &Named, s: &SecretArn) {
    let (kind, family) = (task.kind, task.id);
    let (found, name) = find_secret(cx, from, s);
    let uses = format!("{} reads secret {name}", n.at);
    let secret = match found {
        Found::Here(r) => r,
        // Another service's secret (`rds!db-…`: a name no user may give) is left out of
        // golden folders and states; only the account says whether it exists.
        Found::Absent if name.contains('!') && cx.extras.images.is_none() => {
            let why = format!(
                "{uses}: {} leaves out secrets another service owns, as this one",
                cx.inv.source
            );
            out.not_judged(Reason::NotDescribed, kind, family, n.value, why);
            return;
        }
        Found::Absent => {
            let message = format!("{uses}, which does not exist");
            out.finding(Severity::Error, kind, family, n.value, message);
            return;
        }
        Found::Unknown(reason, why) => {
            out.not_judged(reason, kind, family, n.value, format!("{uses}: {why}"));
            return;
        }
    };
    if let Some(when) = secret.document.get("DeletedDate") {
        let when = when
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| when.to_string());
        let message = format!("{uses}, which is scheduled for deletion (deleted {when})");
        out.finding(Severity::Error, kind, family, n.value, message);
        return;
    }
    let at = Place {
        partition: Some(s.partition.clone()),
        account: Some(s.account.clone()),
        region: Some(s.region.clone()),
    };
    // A policy names a secret by its full ARN, random suffix included; a partial reference
    // does not say the suffix, so "no statement allows it" cannot be told from a statement
    // naming the full ARN.
    let full = s.is_full_for(&name);
    let secret_arn = if full {
        s.arn.clone()
    } else {
        format!("{}-??????", s.arn)
    };
    let mut needs = vec![Need::on("secretsmanager:GetSecretValue", secret_arn)];
    let key = secret.document.get("KmsKeyId").and_then(Value::as_str);
    needs.extend(key.and_then(|k| decrypt(&at, k)));
    let partial = (!full).then(|| {
        let why = format!(
            "the reference names secret {name} by a partial ARN, and a policy may name its full ARN"
        );
        (Reason::NotDescribed, why)
    });
    let target = Target {
        what: format!("secret {name}"),
        resource: Some(secret),
        policy_field: "ResourcePolicy",
        gap: partial,
    };
    grant(cx, out, task, from, n.value, &uses, &target, &needs);
}

fn parameter(cx: &Cx, out: &mut Out, task: Task, from: &Place, n: &Named, p: &ParameterRef) {
    let (kind, family) = (task.kind, task.id);
    let uses = format!("{} reads parameter {}", n.at, p.name);
    let r = Ref {
        kind: Kind::SsmParameter,
        id: &p.name,
        account: p.account.as_deref(),
        region: p.region.as_deref(),
    };
    let param = match cx.find(from, &r) {
        Found::Here(r) => r,
        Found::Absent => {
            let message = format!("{uses}, which does not exist");
            out.finding(Severity::Error, kind, family, n.value, message);
            return;
        }
        Found::Unknown(reason, why) => {
            out.not_judged(reason, kind, family, n.value, format!("{uses}: {why}"));
            return;
        }
    };
    let at = Place {
        partition: p.partition.clone().or_else(|| from.partition.clone()),
        account: p.account.clone().or_else(|| from.account.clone()),
        region: p.region.clone().or_else(|| from.region.clone()),
    };
    let param_arn = p.arn(
        at.partition.as_deref().unwrap_or("aws"),
        at.region.as_deref().unwrap_or_default(),
        at.account.as_deref().unwrap_or_default(),
    );
    let mut needs = vec![Need::on("ssm:GetParameters", param_arn)];
    let secure = param.document.get("Type").and_then(Value::as_str) == Some("SecureString");
    let key = param.document.get("KeyId").and_then(Value::as_str);
    needs.extend(key.filter(|_| secure).and_then(|k| decrypt(&at, k)));
    let target = Target {
        what: format!("parameter {}", p.name),
        resource: None,
        policy_field: "",
        gap: None,
    };
    grant(cx, out, task, from, n.value, &uses, &target, &needs);
}

/// The execution role's verdict on `needs` (a partial secret ARN is the target's gap: a refusal
/// that no statement allows is then not judged, see [`secret`]).
#[allow(clippy::too_many_arguments)]
fn grant(
    cx: &Cx,
    out: &mut Out,
    task: Task,
    from: &Place,
    subject: &str,
    uses: &str,
    target: &Target,
    needs: &[Need],
) {
    let (kind, family) = (task.kind, task.id);
    let role = match exec_role(cx, from, task.doc) {
        Ok(Some(role)) => role,
        Ok(None) => {
            out.judged(kind, family);
            return;
        }
        Err((reason, why)) => {
            out.not_judged(reason, kind, family, subject, format!("{uses}: {why}"));
            return;
        }
    };
    judge(cx, out, (kind, family, subject), uses, &role, target, needs);
}
