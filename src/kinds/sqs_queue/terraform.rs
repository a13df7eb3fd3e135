//! `aws_sqs_queue` from a Terraform state, in the shape of `GetQueueAttributes`. Pure.

use serde_json::{json, Value};

use crate::terraform::map::{attr, last_segment, tags, text};

/// `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME` → `NAME`.
pub(crate) fn queue_name_from_url(url: &str) -> &str {
    last_segment(url.trim_end_matches('/'))
}

pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
    let name = text(a, "name")
        .or_else(|| text(a, "id").map(queue_name_from_url))?
        .to_string();
    let doc = json!({
        "QueueName": name,
        "VisibilityTimeout": attr(a, "visibility_timeout_seconds"),
        "MessageRetentionPeriod": attr(a, "message_retention_seconds"),
        "DelaySeconds": attr(a, "delay_seconds"),
        "MaximumMessageSize": attr(a, "max_message_size"),
        "ReceiveMessageWaitTimeSeconds": attr(a, "receive_wait_time_seconds"),
        "FifoQueue": attr(a, "fifo_queue"),
        "ContentBasedDeduplication": attr(a, "content_based_deduplication"),
        "DeduplicationScope": attr(a, "deduplication_scope"),
        "FifoThroughputLimit": attr(a, "fifo_throughput_limit"),
        "KmsMasterKeyId": attr(a, "kms_master_key_id"),
        "KmsDataKeyReusePeriodSeconds": attr(a, "kms_data_key_reuse_period_seconds"),
        "SqsManagedSseEnabled": attr(a, "sqs_managed_sse_enabled"),
        "Policy": attr(a, "policy"),
        "RedrivePolicy": attr(a, "redrive_policy"),
        "RedriveAllowPolicy": attr(a, "redrive_allow_policy"),
        "Tags": tags(a),
    });
    Some((name, doc))
}
