//! `aws_sqs_queue` from a Terraform state, in the shape of `GetQueueAttributes`. Pure.

use serde_json::{Map, Value};

use crate::terraform::map::last_segment;

/// `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME` → `NAME`.
pub(crate) fn queue_name_from_url(url: &str) -> &str {
    last_segment(url.trim_end_matches('/'))
}

/// `GetQueueAttributes` names of the attributes a state holds under Terraform's names.
const ATTRIBUTES: [(&str, &str); 15] = [
    ("VisibilityTimeout", "visibility_timeout_seconds"),
    ("MessageRetentionPeriod", "message_retention_seconds"),
    ("DelaySeconds", "delay_seconds"),
    ("MaximumMessageSize", "max_message_size"),
    ("ReceiveMessageWaitTimeSeconds", "receive_wait_time_seconds"),
    ("FifoQueue", "fifo_queue"),
    ("ContentBasedDeduplication", "content_based_deduplication"),
    ("DeduplicationScope", "deduplication_scope"),
    ("FifoThroughputLimit", "fifo_throughput_limit"),
    ("KmsMasterKeyId", "kms_master_key_id"),
    (
        "KmsDataKeyReusePeriodSeconds",
        "kms_data_key_reuse_period_seconds",
    ),
    ("SqsManagedSseEnabled", "sqs_managed_sse_enabled"),
    ("Policy", "policy"),
    ("RedrivePolicy", "redrive_policy"),
    ("RedriveAllowPolicy", "redrive_allow_policy"),
];

/// The attributes are moved into the document in one pass over them, not copied or searched
/// for one by one: a state may hold 50,000 queues.
pub(crate) fn from_terraform(a: Value) -> Option<(String, Value)> {
    let Value::Object(a) = a else {
        return None;
    };
    let text = |key: &str| a.get(key).and_then(Value::as_str).filter(|s| !s.is_empty());
    let name = text("name")
        .or_else(|| text("id").map(queue_name_from_url))?
        .to_string();
    let mut values: [Value; ATTRIBUTES.len()] = Default::default();
    let (mut tags, mut tags_all) = (Value::Null, Value::Null);
    for (key, v) in a {
        if let Some(i) = ATTRIBUTES.iter().position(|(_, attr)| *attr == key) {
            values[i] = unset_as_null(v);
        } else if key == "tags" {
            tags = unset_as_null(v);
        } else if key == "tags_all" {
            tags_all = v;
        }
    }
    let mut doc: Map<String, Value> = ATTRIBUTES
        .iter()
        .zip(values)
        .map(|((field, _), v)| (field.to_string(), v))
        .collect();
    doc.insert("QueueName".into(), Value::String(name.clone()));
    // As `tags`: `tags_all` when it holds any tag.
    let tags = match tags_all {
        Value::Object(m) if !m.is_empty() => Value::Object(m),
        _ => tags,
    };
    doc.insert("Tags".into(), tags);
    Some((name, Value::Object(doc)))
}

/// An attribute as `attr` reads it: Terraform's "" for an unset string is absent.
fn unset_as_null(v: Value) -> Value {
    match v {
        Value::String(s) if s.is_empty() => Value::Null,
        v => v,
    }
}
