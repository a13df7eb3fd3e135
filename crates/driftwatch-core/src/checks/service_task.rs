//! What the checks on a running service read of it: the task definition it runs and the network
//! its tasks are in (VPC, security groups, subnets' address ranges).

use std::collections::BTreeSet;

use serde_json::Value;

use super::{Cx, Found, Reason, Ref};
use crate::model::{Kind, Place};

/// The task definition service `id` runs: the revision it runs when that is not its family's
/// latest ACTIVE one (live: `Extras::service_revisions`), else the family's. `Err` when the
/// inventory cannot tell; `Ok(None)` when the family has no ACTIVE revision
/// (`service-reference`'s finding).
pub(super) fn task_of<'a>(
    cx: &'a Cx,
    from: &Place,
    id: &str,
    service: &'a Value,
) -> Result<Option<&'a Value>, (Reason, String)> {
    if let Some(doc) = cx.extras.service_revisions.read.get(id) {
        return Ok(Some(doc));
    }
    if let Some((revision, why)) = cx.extras.service_revisions.unread.get(id) {
        return Err((
            Reason::NotRead,
            format!("{revision} could not be read: {why}"),
        ));
    }
    let Some(td) = service.get("taskDefinition").and_then(Value::as_str) else {
        return Err((Reason::Partial, "its task definition is not known".into()));
    };
    let family = td.rsplit_once(':').map_or(td, |(f, _)| f);
    match cx.find(from, &Ref::local(Kind::EcsTaskDefinition, family)) {
        Found::Here(r) => Ok(Some(&r.document)),
        Found::Absent => Ok(None),
        Found::Unknown(reason, why) => Err((reason, why)),
    }
}

/// The security groups a service's tasks have (`awsvpc` only; none otherwise).
pub(super) fn groups(service: &Value) -> Vec<&str> {
    strings(service.pointer("/networkConfiguration/awsvpcConfiguration/securityGroups"))
}

/// The subnets a service's tasks are placed in (`awsvpc` only).
pub(super) fn subnets(service: &Value) -> Vec<&str> {
    strings(service.pointer("/networkConfiguration/awsvpcConfiguration/subnets"))
}

fn strings(v: Option<&Value>) -> Vec<&str> {
    let items = v.and_then(Value::as_array).into_iter().flatten();
    items.filter_map(Value::as_str).collect()
}

/// Whether a service's tasks have network interfaces of their own (`awsvpc`): from the task
/// definition when known, else from the service's network configuration (which only `awsvpc`
/// services have).
pub(super) fn is_awsvpc(service: &Value, task: Option<&Value>) -> bool {
    match task
        .and_then(|t| t.get("networkMode"))
        .and_then(Value::as_str)
    {
        Some(mode) => mode == "awsvpc",
        None => service
            .pointer("/networkConfiguration/awsvpcConfiguration")
            .is_some(),
    }
}

/// The VPC a service's tasks are in: its subnets' (live, `Extras::subnets`), else its security
/// groups' — AWS refuses a network interface whose groups are of another VPC than its subnet,
/// so the groups tell the subnets' VPC offline too. `Err` when neither is known.
pub(super) fn vpc_of(cx: &Cx, from: &Place, service: &Value) -> Result<String, String> {
    let from_subnets: BTreeSet<&str> = subnets(service)
        .into_iter()
        .filter_map(|s| cx.extras.subnets.as_ref()?.read.get(s))
        .map(|s| s.vpc.as_str())
        .collect();
    if let Some(vpc) = from_subnets.into_iter().next() {
        return Ok(vpc.to_string());
    }
    for g in groups(service) {
        if let Found::Here(r) = cx.find(from, &Ref::local(Kind::SecurityGroup, g)) {
            if let Some(vpc) = r.document.get("VpcId").and_then(Value::as_str) {
                return Ok(vpc.to_string());
            }
        }
    }
    Err("the VPC of its subnets is not known (neither its subnets nor its security groups were read)".into())
}
