//! A queue's policy, redrive policy or redrive allow policy written as a resource of its own,
//! set on the queue its URL names. Pure.

use serde_json::Value;

use super::schema::{QUEUE_POLICY, REDRIVE_ALLOW_POLICY, REDRIVE_POLICY};
use super::terraform::queue_name_from_url;
use crate::kinds::{Claim, Edit, Related};
use crate::terraform::map::{attr, text};

pub(super) const RELATED: &[Related] = &[
    Related {
        r#type: QUEUE_POLICY,
        owner_field: "QueueName",
        claims: |a| claim(a, "Policy", "policy"),
    },
    Related {
        r#type: REDRIVE_POLICY,
        owner_field: "QueueName",
        claims: |a| claim(a, "RedrivePolicy", "redrive_policy"),
    },
    Related {
        r#type: REDRIVE_ALLOW_POLICY,
        owner_field: "QueueName",
        claims: |a| claim(a, "RedriveAllowPolicy", "redrive_allow_policy"),
    },
];

/// The attribute `attribute`, as the queue's `field`.
fn claim(a: &Value, field: &'static str, attribute: &str) -> Vec<Claim> {
    let Some(url) = text(a, "queue_url") else {
        return Vec::new();
    };
    vec![Claim {
        owner: queue_name_from_url(url).to_string(),
        field,
        edit: Edit::Set(attr(a, attribute)),
    }]
}
