//! Checks on services and security groups: `service-reference` (a service running a task
//! definition family with no ACTIVE revision, or naming security groups that do not exist) and
//! `group-reference` (a rule referencing a group that does not exist).

use serde_json::Value;

use super::{Cx, Found, Out, Reason, Ref, Severity};
use crate::kinds::security_group::rule_name;
use crate::model::Kind;

pub fn service_reference(cx: &Cx, out: &mut Out) {
    let kind = Kind::EcsService;
    for (id, r) in cx.inv.of_kind(kind) {
        let doc = &r.document;
        let from = cx.place_of(kind, id);
        if let Some(td) = doc.get("taskDefinition").and_then(Value::as_str) {
            // Canonical `family:revision`; the inventory holds each family's latest ACTIVE
            // revision, so a family absent from a whole inventory has none.
            let family = td.rsplit_once(':').map_or(td, |(f, _)| f);
            match cx.find(&from, &Ref::local(Kind::EcsTaskDefinition, family)) {
                Found::Here(_) => out.judged(kind, id),
                Found::Absent => out.finding(
                    Severity::Error,
                    kind,
                    id,
                    td,
                    format!(
                        "runs task definition {td}, whose family {family} has no ACTIVE revision"
                    ),
                ),
                Found::Unknown(reason, why) => {
                    let message = format!("runs task definition {td}: {why}");
                    out.not_judged(reason, kind, id, td, message);
                }
            }
        }
        let groups = doc
            .pointer("/networkConfiguration/awsvpcConfiguration/securityGroups")
            .and_then(Value::as_array);
        for g in groups.into_iter().flatten().filter_map(Value::as_str) {
            match cx.find(&from, &Ref::local(Kind::SecurityGroup, g)) {
                Found::Here(_) => out.judged(kind, id),
                Found::Absent => out.finding(
                    Severity::Error,
                    kind,
                    id,
                    g,
                    format!("names security group {g}, which does not exist"),
                ),
                Found::Unknown(reason, why) => {
                    let message = format!("names security group {g}: {why}");
                    out.not_judged(reason, kind, id, g, message);
                }
            }
        }
    }
}

pub fn group_reference(cx: &Cx, out: &mut Out) {
    let kind = Kind::SecurityGroup;
    for (id, r) in cx.inv.of_kind(kind) {
        let from = cx.place_of(kind, id);
        for (field, way) in [
            ("IpPermissions", "an inbound"),
            ("IpPermissionsEgress", "an outbound"),
        ] {
            for rule in rule_name::rules(r.document.get(field)) {
                let Some(g) = rule.get("ReferencedGroupId").and_then(Value::as_str) else {
                    continue;
                };
                // The canonical rule keeps `ReferencedUserId` only for another account's group
                // (or, from a rule resource whose group the state does not hold, any account's).
                let account = rule.get("ReferencedUserId").and_then(Value::as_str);
                let target = Ref {
                    account,
                    ..Ref::local(kind, g)
                };
                let refers = format!("{way} rule references security group {g}");
                match cx.find(&from, &target) {
                    Found::Here(_) => out.judged(kind, id),
                    Found::Absent if account.is_some() && from.account.is_none() => {
                        // Another account's, as far as anyone here can tell.
                        let message = format!(
                            "{refers} of account {}, which cannot be told from here",
                            account.unwrap_or_default()
                        );
                        out.not_judged(Reason::OtherAccount, kind, id, g, message);
                    }
                    Found::Absent => out.finding(
                        Severity::Error,
                        kind,
                        id,
                        g,
                        format!("{refers}, which does not exist"),
                    ),
                    Found::Unknown(reason, why) => {
                        out.not_judged(reason, kind, id, g, format!("{refers}: {why}"))
                    }
                }
            }
        }
    }
}
