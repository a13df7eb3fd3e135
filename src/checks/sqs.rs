//! `redrive`: a queue's dead-letter target must exist and its `RedriveAllowPolicy` must let this
//! queue use it.

use serde_json::Value;

use super::arn;
use super::{finding, CheckId, Cx, Finding, Severity};
use crate::model::Kind;

pub fn redrive(cx: &Cx) -> Vec<Finding> {
    let mut out = Vec::new();
    for (name, r) in cx.inv.of_kind(Kind::SqsQueue) {
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
        if !cx.at.holds(&q.account, q.region.as_deref()) {
            continue;
        }
        let problem = match cx.doc(Kind::SqsQueue, &q.name) {
            None => Some(format!("its dead-letter queue {} does not exist", q.name)),
            Some(dlq) => {
                // The source is in the target's account and region (redrive never crosses them).
                let source = arn::QueueRef {
                    name: name.to_string(),
                    ..q.clone()
                };
                disallowed(dlq, &source).map(|why| {
                    format!(
                        "its dead-letter queue {} does not allow it as a source ({why})",
                        q.name
                    )
                })
            }
        };
        if let Some(message) = problem {
            out.push(finding(
                CheckId::Redrive,
                Severity::Error,
                Kind::SqsQueue,
                name,
                target,
                message,
            ));
        }
    }
    out
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
