//! `log-reference`: the log groups a task definition's `awslogs` log configurations name exist
//! in their region (or may be created: `awslogs-create-group`), the execution role may write to
//! them, and (a warning) they do not keep logs forever.

use serde_json::Value;

use super::grants::{arn_at, exec_role, judge, tasks, ExecRole, Need, Target};
use super::{Cx, Found, Out, Ref, Severity};
use crate::model::{Kind, Place};

/// One container's `awslogs` configuration.
struct AwsLogs<'a> {
    container: &'a str,
    group: &'a str,
    /// `awslogs-region`; the task's own region when not set.
    region: Option<&'a str>,
    create: bool,
}

fn awslogs(doc: &Value) -> Vec<AwsLogs<'_>> {
    let Some(Value::Object(containers)) = doc.get("containerDefinitions") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (container, c) in containers {
        let Some(config) = c.get("logConfiguration") else {
            continue;
        };
        if config.get("logDriver").and_then(Value::as_str) != Some("awslogs") {
            continue;
        }
        let option = |k: &str| config.get("options")?.get(k)?.as_str();
        let Some(group) = option("awslogs-group") else {
            continue;
        };
        out.push(AwsLogs {
            container,
            group,
            region: option("awslogs-region"),
            create: option("awslogs-create-group").is_some_and(|v| v.eq_ignore_ascii_case("true")),
        });
    }
    out
}

pub fn log_reference(cx: &Cx, out: &mut Out) {
    super::grants::unread_revisions(cx, out);
    for (task, from) in tasks(cx) {
        let (kind, family) = (task.kind, task.id);
        for l in awslogs(task.doc) {
            let region = l.region.or(from.region.as_deref());
            let uses = format!(
                "container {} logs to log group {}{}",
                l.container,
                l.group,
                region.map(|r| format!(" in {r}")).unwrap_or_default()
            );
            let at = Place {
                region: region.map(str::to_string),
                ..from.clone()
            };
            let group_ref = Ref {
                kind: Kind::CloudwatchLogGroup,
                id: l.group,
                account: None,
                region,
            };
            let role = || match exec_role(cx, &from, task.doc) {
                Ok(role) => Ok(role),
                Err((reason, why)) => Err((reason, format!("{uses}: {why}"))),
            };
            match cx.find(&from, &group_ref) {
                Found::Here(group) => {
                    if group.document.get("retentionInDays").is_none() {
                        let message =
                            format!("{uses}, which never expires its events (no retention set)");
                        out.finding(Severity::Warning, kind, family, l.group, message);
                    }
                    match role() {
                        Ok(Some(role)) => write(cx, out, (kind, family), &at, &uses, &l, &role),
                        Ok(None) => out.judged(kind, family),
                        Err((reason, why)) => out.not_judged(reason, kind, family, l.group, why),
                    }
                }
                Found::Absent if l.create => match role() {
                    Ok(Some(role)) => {
                        let uses = format!(
                            "{uses}, which does not exist and awslogs-create-group creates"
                        );
                        let group_arn = arn_at(&at, "logs", &format!("log-group:{}", l.group));
                        let needs = [Need {
                            action: "logs:CreateLogGroup",
                            resources: vec![group_arn.clone(), format!("{group_arn}:*")],
                        }];
                        let target = Target {
                            what: format!("log group {}", l.group),
                            resource: None,
                            policy_field: "",
                            gap: None,
                        };
                        judge(
                            cx,
                            out,
                            (kind, family, l.group),
                            &uses,
                            &role,
                            &target,
                            &needs,
                        );
                        write(cx, out, (kind, family), &at, &uses, &l, &role);
                    }
                    Ok(None) => out.judged(kind, family),
                    Err((reason, why)) => out.not_judged(reason, kind, family, l.group, why),
                },
                Found::Absent => {
                    let message = format!("{uses}, which does not exist");
                    out.finding(Severity::Error, kind, family, l.group, message);
                }
                Found::Unknown(reason, why) => {
                    out.not_judged(reason, kind, family, l.group, format!("{uses}: {why}"))
                }
            }
        }
    }
}

/// `logs:CreateLogStream` and `logs:PutLogEvents` on the group's streams.
fn write(
    cx: &Cx,
    out: &mut Out,
    (kind, family): (Kind, &str),
    at: &Place,
    uses: &str,
    l: &AwsLogs,
    role: &ExecRole,
) {
    let group_arn = arn_at(at, "logs", &format!("log-group:{}", l.group));
    let streams = vec![
        format!("{group_arn}:log-stream:*"),
        format!("{group_arn}:*"),
    ];
    let needs = [
        Need {
            action: "logs:CreateLogStream",
            resources: streams.clone(),
        },
        Need {
            action: "logs:PutLogEvents",
            resources: streams,
        },
    ];
    let target = Target {
        what: format!("log group {}", l.group),
        resource: None,
        policy_field: "",
        gap: None,
    };
    let holder = (kind, family, l.group);
    judge(cx, out, holder, uses, role, &target, &needs);
}
