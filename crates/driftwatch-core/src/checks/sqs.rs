//! `redrive`: a queue's dead-letter target must exist and its `RedriveAllowPolicy` must let this
//! queue use it.

use serde_json::Value;

use super::{Cx, Found, Out, Reason, Ref, Severity};
use crate::arn;
use crate::model::Kind;
use crate::scope::Known;

pub fn redrive(cx: &Cx, out: &mut Out) {
    let kind = Kind::SqsQueue;
    for (name, r) in cx.inv.of_kind(kind) {
        let Some(target) = r
            .document
            .get("RedrivePolicy")
            .and_then(|p| p.get("deadLetterTargetArn"))
            .and_then(Value::as_str)
        else {
            continue;
        };
        let Some(q) = arn::queue(target) else {
            continue;
        };
        let from = cx.place_of(kind, name);
        let dlq = match cx.find(&from, &Ref::queue(&q)) {
            Found::Here(dlq) => dlq,
            Found::Absent => {
                let message = format!("its dead-letter queue {} does not exist", q.name);
                out.finding(Severity::Error, kind, name, target, message);
                continue;
            }
            Found::Unknown(reason, why) => {
                let message = format!("its dead-letter queue {}: {why}", q.name);
                out.not_judged(reason, kind, name, target, message);
                continue;
            }
        };
        if dlq.scope.knows("/RedriveAllowPolicy") != Known::All {
            let message = format!(
                "its dead-letter queue {}: {} does not describe its redrive allow policy",
                q.name, cx.inv.source
            );
            out.not_judged(Reason::Partial, kind, name, target, message);
            continue;
        }
        // The source is in the target's account and region (redrive never crosses them).
        let source = arn::QueueRef {
            name: name.to_string(),
            ..q.clone()
        };
        match disallowed(&dlq.document, &source) {
            None => out.judged(kind, name),
            Some(why) => {
                let message = format!(
                    "its dead-letter queue {} does not allow it as a source ({why})",
                    q.name
                );
                out.finding(Severity::Error, kind, name, target, message);
            }
        }
    }
}

/// Why a dead-letter queue's `RedriveAllowPolicy` refuses `source`; none set allows every queue.
fn disallowed(dlq: &Value, source: &arn::QueueRef) -> Option<String> {
    let policy = dlq.get("RedriveAllowPolicy")?;
    match policy.get("redrivePermission").and_then(Value::as_str) {
        Some("denyAll") => Some("redrivePermission is denyAll".to_string()),
        Some("byQueue") => {
            let listed = policy
                .get("sourceQueueArns")
                .and_then(Value::as_array)
                .is_some_and(|l| {
                    l.iter()
                        .filter_map(Value::as_str)
                        .filter_map(arn::queue)
                        .any(|a| a.name == source.name && a.account == source.account)
                });
            (!listed).then(|| format!("byQueue does not list {}", source.name))
        }
        _ => None,
    }
}
