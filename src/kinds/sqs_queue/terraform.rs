//! `aws_sqs_queue` from a Terraform state, in the shape of `GetQueueAttributes`. Pure.

use serde_json::{Map, Value};

use crate::terraform::map::{last_segment, take_attr, take_tags};

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

/// The attributes are moved into the document, not copied: a state may hold 50,000 queues.
pub(crate) fn from_terraform(a: Value) -> Option<(String, Value)> {
    let Value::Object(mut a) = a else {
        return None;
    };
    let text = |key: &str| a.get(key).and_then(Value::as_str).filter(|s| !s.is_empty());
    let name = text("name")
        .or_else(|| text("id").map(queue_name_from_url))?
        .to_string();
    let mut doc = Map::new();
    doc.insert("QueueName".into(), Value::String(name.clone()));
    for (field, attribute) in ATTRIBUTES {
        doc.insert(field.into(), take_attr(&mut a, attribute));
    }
    doc.insert("Tags".into(), take_tags(&mut a));
    Some((name, Value::Object(doc)))
}
