//! `lb-reference`: a service behind a load balancer registers its tasks with a target group
//! that exists (the one of that ARN, not a namesake made since), that some listener or rule
//! forwards to, whose target type and VPC its tasks can be registered as, and whose container
//! and port its task definition has. Listeners and rules forward to target groups that exist;
//! a target group nothing uses is a warning.
//!
//! Listener and rule documents name target groups by name (canonical form: an id that survives
//! a recreate), so "forwards to" is by name; a service's `targetGroupArn` is by ARN, and live,
//! where the target group's own ARN is known, the two must agree.

use std::collections::BTreeSet;

use serde_json::Value;

use super::service_task::{is_awsvpc, task_of, vpc_of};
use super::{Cx, Found, Out, Reason, Ref, Severity};
use crate::arn;
use crate::model::{Kind, Place, Resource};
use crate::scope::Known;

/// The kinds that forward traffic to target groups.
const FORWARDERS: [Kind; 2] = [Kind::LbListener, Kind::LbListenerRule];

pub fn lb_reference(cx: &Cx, out: &mut Out) {
    let forwarded = forwards(cx, out);
    let mut registered = BTreeSet::new();
    for (id, r) in cx.inv.of_kind(Kind::EcsService) {
        let from = cx.place_of(Kind::EcsService, id);
        let items = r.document.get("loadBalancers").and_then(Value::as_array);
        for item in items.into_iter().flatten() {
            let Some(tg_arn) = item.get("targetGroupArn").and_then(Value::as_str) else {
                continue;
            };
            let Some(tg) = TargetGroupRef::parse(tg_arn) else {
                let why = format!("names target group {tg_arn}, which is not a target group ARN");
                out.finding(Severity::Error, Kind::EcsService, id, tg_arn, why);
                continue;
            };
            registered.insert(tg.name.to_string());
            let service = Service {
                id,
                doc: &r.document,
                from: &from,
            };
            target_group(cx, out, &service, item, tg_arn, &tg, &forwarded);
        }
    }
    unused(cx, out, &forwarded, &registered);
}

/// A target group a service names by ARN: where it is and its name.
struct TargetGroupRef<'a> {
    account: &'a str,
    region: &'a str,
    name: &'a str,
}

impl<'a> TargetGroupRef<'a> {
    fn parse(s: &'a str) -> Option<Self> {
        let a = arn::Arn::parse(s)?;
        Some(TargetGroupRef {
            account: a.account,
            region: a.region,
            name: arn::elb::target_group_name(s)?,
        })
    }
}

/// A service and where it is.
struct Service<'a> {
    id: &'a str,
    doc: &'a Value,
    from: &'a Place,
}

/// The target groups listeners and rules forward to, by name, after judging that each exists.
fn forwards(cx: &Cx, out: &mut Out) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for kind in FORWARDERS {
        let field = match kind {
            Kind::LbListener => "DefaultActions",
            _ => "Actions",
        };
        for (id, r) in cx.inv.of_kind(kind) {
            let from = cx.place_of(kind, id);
            for name in forwarded_by(r.document.get(field)) {
                names.insert(name.to_string());
                match cx.find(&from, &Ref::local(Kind::LbTargetGroup, name)) {
                    Found::Here(_) => out.judged(kind, id),
                    Found::Absent => {
                        let why = format!("forwards to target group {name}, which does not exist");
                        out.finding(Severity::Error, kind, id, name, why);
                    }
                    Found::Unknown(reason, why) => {
                        let why = format!("forwards to target group {name}: {why}");
                        out.not_judged(reason, kind, id, name, why);
                    }
                }
            }
        }
    }
    names
}

/// The target group names the `forward` actions of a listener or rule name.
fn forwarded_by(actions: Option<&Value>) -> Vec<&str> {
    let actions = actions.and_then(Value::as_array).into_iter().flatten();
    actions
        .filter(|a| a.get("Type").and_then(Value::as_str) == Some("forward"))
        .filter_map(|a| a.pointer("/ForwardConfig/TargetGroups")?.as_array())
        .flatten()
        .filter_map(|t| t.get("TargetGroupName")?.as_str())
        .collect()
}

/// One `loadBalancers` item of a service: the target group it names, judged every way.
fn target_group(
    cx: &Cx,
    out: &mut Out,
    s: &Service,
    item: &Value,
    tg_arn: &str,
    tg: &TargetGroupRef,
    forwarded: &BTreeSet<String>,
) {
    let kind = Kind::EcsService;
    let name = tg.name;
    let target = Ref {
        account: Some(tg.account),
        region: Some(tg.region),
        ..Ref::local(Kind::LbTargetGroup, name)
    };
    let group = match cx.find(s.from, &target) {
        Found::Here(r) => r,
        Found::Absent => {
            let why = format!("registers its tasks with target group {name}, which does not exist");
            out.finding(Severity::Error, kind, s.id, name, why);
            return;
        }
        Found::Unknown(reason, why) => {
            let why = format!("registers its tasks with target group {name}: {why}");
            out.not_judged(reason, kind, s.id, name, why);
            return;
        }
    };
    let uses = format!("registers its tasks with target group {name}");
    if let Some(now) = cx
        .extras
        .import_ids
        .get(&(Kind::LbTargetGroup, name.to_string()))
    {
        if now.starts_with("arn:") && now != tg_arn {
            let why = format!(
                "{uses} by ARN {tg_arn}, but the target group of that name is now {now}: it \
                 was recreated, and the service still registers with the one that is gone"
            );
            out.finding(Severity::Error, kind, s.id, name, why);
            return;
        }
    }
    is_forwarded(cx, out, s, name, &uses, forwarded);
    let task = match task_of(cx, s.from, s.id, s.doc) {
        Ok(task) => task,
        Err((reason, why)) => {
            let why = format!("{uses}: its task definition: {why}");
            out.not_judged(reason, kind, s.id, name, why);
            None
        }
    };
    target_type(out, s, group, task, name, &uses);
    same_vpc(cx, out, s, group, name, &uses);
    if let Some(task) = task {
        container_port(out, s, item, task, name, &uses);
    }
}

/// Some listener default action or rule forwards to the target group: else it gets no traffic.
fn is_forwarded(
    cx: &Cx,
    out: &mut Out,
    s: &Service,
    name: &str,
    uses: &str,
    forwarded: &BTreeSet<String>,
) {
    let kind = Kind::EcsService;
    if forwarded.contains(name) {
        out.judged(kind, s.id);
        return;
    }
    match FORWARDERS.iter().find(|k| !cx.inv.is_whole(**k)) {
        None => {
            let why = format!(
                "{uses}, but no listener or listener rule forwards to it: its tasks get no traffic"
            );
            out.finding(Severity::Error, kind, s.id, name, why);
        }
        Some(k) if !cx.inv.kinds.contains(k) => {
            let why = format!("{uses}: no {k} was read from {}", cx.inv.source);
            out.not_judged(Reason::NotRead, kind, s.id, name, why);
        }
        Some(k) => {
            let why = format!(
                "{uses}: {} does not describe every {k}, so what forwards to it cannot be told",
                cx.inv.source
            );
            out.not_judged(Reason::NotDescribed, kind, s.id, name, why);
        }
    }
}

/// An `awsvpc` task is registered by IP address: its target group must be of type `ip`.
fn target_type(
    out: &mut Out,
    s: &Service,
    group: &Resource,
    task: Option<&Value>,
    name: &str,
    uses: &str,
) {
    let kind = Kind::EcsService;
    if !is_awsvpc(s.doc, task) {
        return;
    }
    if group.scope.knows("/TargetType") == Known::Nothing {
        let why = format!("{uses}: the source does not state its target type");
        out.not_judged(Reason::Partial, kind, s.id, name, why);
        return;
    }
    // AWS's default target type, which the canonical form keeps.
    let target_type = group.document.get("TargetType").and_then(Value::as_str);
    match target_type.unwrap_or("instance") {
        "ip" => out.judged(kind, s.id),
        other => {
            let why = format!(
                "{uses}, whose target type is {other}: tasks in awsvpc network mode can only be \
                 registered with an ip target group"
            );
            out.finding(Severity::Error, kind, s.id, name, why);
        }
    }
}

/// The target group's VPC is the one the service's tasks are in.
fn same_vpc(cx: &Cx, out: &mut Out, s: &Service, group: &Resource, name: &str, uses: &str) {
    let kind = Kind::EcsService;
    if s.doc
        .pointer("/networkConfiguration/awsvpcConfiguration")
        .is_none()
    {
        // Bridge or host mode: the container instances' VPC, which is not read.
        return;
    }
    let Some(tg_vpc) = group.document.get("VpcId").and_then(Value::as_str) else {
        let why = format!("{uses}: the source does not state its VPC");
        out.not_judged(Reason::Partial, kind, s.id, name, why);
        return;
    };
    match vpc_of(cx, s.from, s.doc) {
        Ok(vpc) if vpc == tg_vpc => out.judged(kind, s.id),
        Ok(vpc) => {
            let why = format!(
                "{uses}, which is in {tg_vpc}, but the service's tasks are in {vpc}: they cannot \
                 be registered with it"
            );
            out.finding(Severity::Error, kind, s.id, name, why);
        }
        Err(why) => {
            let why = format!("{uses}: {why}");
            out.not_judged(Reason::NotDescribed, kind, s.id, name, why);
        }
    }
}

/// The container and port the service names are in the task definition it runs.
fn container_port(out: &mut Out, s: &Service, item: &Value, task: &Value, name: &str, uses: &str) {
    let kind = Kind::EcsService;
    let Some(container) = item.get("containerName").and_then(Value::as_str) else {
        return;
    };
    let port = item.get("containerPort").and_then(Value::as_i64);
    let Some(c) = task.pointer(&format!(
        "/containerDefinitions/{}",
        container.replace('~', "~0").replace('/', "~1")
    )) else {
        let why =
            format!("{uses} for container {container}, which its task definition does not have");
        out.finding(Severity::Error, kind, s.id, name, why);
        return;
    };
    let Some(port) = port else {
        out.judged(kind, s.id);
        return;
    };
    let mappings = c.get("portMappings").and_then(Value::as_array);
    let ports = mappings.into_iter().flatten();
    let mut ports = ports.filter_map(|m| m.get("containerPort")?.as_i64());
    if ports.any(|p| p == port) {
        out.judged(kind, s.id);
    } else {
        let why = format!(
            "{uses} for port {port} of container {container}, which maps no such port in its \
             task definition"
        );
        out.finding(Severity::Error, kind, s.id, name, why);
    }
}

/// Warnings: a target group no service registers with and no listener or rule forwards to.
/// Judged only when every service, listener and rule is known.
fn unused(cx: &Cx, out: &mut Out, forwarded: &BTreeSet<String>, registered: &BTreeSet<String>) {
    let users = [Kind::EcsService, Kind::LbListener, Kind::LbListenerRule];
    if !users.iter().all(|k| cx.inv.is_whole(*k)) {
        return;
    }
    let kind = Kind::LbTargetGroup;
    for (id, _) in cx.inv.of_kind(kind) {
        if forwarded.contains(id) || registered.contains(id) {
            out.judged(kind, id);
            continue;
        }
        let why = format!(
            "target group {id}: no service registers with it and no listener or rule forwards \
             to it"
        );
        out.finding(Severity::Warning, kind, id, id, why);
    }
}
