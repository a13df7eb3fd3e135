//! Checks on services and security groups: `service-reference` (a service running a task
//! definition family with no ACTIVE revision, or naming security groups that do not exist) and
//! `group-reference` (a rule referencing a group that does not exist).

use serde_json::Value;

use super::{finding, CheckId, Cx, Finding, Severity};
use crate::kinds::security_group::rule_name;
use crate::model::Kind;

pub fn service_reference(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (id, r) in cx.inv.of_kind(Kind::EcsService) {
        let doc = &r.document;
        if let Some(td) = doc.get("taskDefinition").and_then(Value::as_str) {
            // Canonical `family:revision`; the inventory holds each family's latest ACTIVE
            // revision, so a family absent from it has none.
            let family = td.rsplit_once(':').map_or(td, |(f, _)| f);
            if cx.covers(Kind::EcsTaskDefinition)
                && cx.doc(Kind::EcsTaskDefinition, family).is_none()
            {
                out.push(finding(
                    CheckId::ServiceReference,
                    Severity::Error,
                    Kind::EcsService,
                    id,
                    td,
                    format!(
                        "runs task definition {td}, whose family {family} has no ACTIVE revision"
                    ),
                ));
            }
        }
        let groups = doc
            .pointer("/networkConfiguration/awsvpcConfiguration/securityGroups")
            .and_then(Value::as_array);
        for g in groups.into_iter().flatten().filter_map(Value::as_str) {
            if cx.covers(Kind::SecurityGroup) && cx.doc(Kind::SecurityGroup, g).is_none() {
                out.push(finding(
                    CheckId::ServiceReference,
                    Severity::Error,
                    Kind::EcsService,
                    id,
                    g,
                    format!("names security group {g}, which does not exist"),
                ));
            }
        }
    }
    out
}

pub fn group_reference(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (id, r) in cx.inv.of_kind(Kind::SecurityGroup) {
        for (field, way) in [
            ("IpPermissions", "an inbound"),
            ("IpPermissionsEgress", "an outbound"),
        ] {
            for rule in rule_name::rules(r.document.get(field)) {
                let Some(g) = rule.get("ReferencedGroupId").and_then(Value::as_str) else {
                    continue;
                };
                // The canonical rule keeps `ReferencedUserId` only for another account's group.
                if rule.get("ReferencedUserId").is_some()
                    || cx.doc(Kind::SecurityGroup, g).is_some()
                {
                    continue;
                }
                out.push(finding(
                    CheckId::GroupReference,
                    Severity::Error,
                    Kind::SecurityGroup,
                    id,
                    g,
                    format!("{way} rule references security group {g}, which does not exist"),
                ));
            }
        }
    }
    out
}
