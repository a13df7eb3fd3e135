//! Normalizer for `aws_sqs_queue`. Input: `QueueName`, the attributes of
//! `GetQueueAttributes(All)` (every value a string, as SQS returns them) and `Tags`; or our own
//! output. Pure.

use serde_json::{json, Value};

use crate::normalize::{clean, is_empty, policy_document, sort_set};

/// Counters, timestamps and the queue's own ARN and URL: observed, never set.
const READ_ONLY: &[&str] = &[
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesDelayed",
    "ApproximateNumberOfMessagesNotVisible",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "QueueArn",
    "QueueUrl",
];

const NUMBERS: &[&str] = &[
    "VisibilityTimeout",
    "MessageRetentionPeriod",
    "DelaySeconds",
    "MaximumMessageSize",
    "ReceiveMessageWaitTimeSeconds",
    "KmsDataKeyReusePeriodSeconds",
];

const BOOLEANS: &[&str] = &[
    "FifoQueue",
    "ContentBasedDeduplication",
    "SqsManagedSseEnabled",
];

/// SQS's documented default for `field`, if it has one. `MaximumMessageSize` is 1 MiB since
/// 2025 (it was 256 KiB: a queue explicitly set to 262144 is not at the default). New queues
/// get SSE-SQS unless told otherwise.
fn default_of(field: &str) -> Option<Value> {
    Some(match field {
        "VisibilityTimeout" => json!(30),
        "MessageRetentionPeriod" => json!(345600),
        "DelaySeconds" => json!(0),
        "MaximumMessageSize" => json!(1048576),
        "ReceiveMessageWaitTimeSeconds" => json!(0),
        "KmsDataKeyReusePeriodSeconds" => json!(300),
        "FifoQueue" => json!(false),
        "ContentBasedDeduplication" => json!(false),
        "DeduplicationScope" => json!("queue"),
        "FifoThroughputLimit" => json!("perQueue"),
        "SqsManagedSseEnabled" => json!(true),
        _ => return None,
    })
}

/// One pass over the attributes, each on its own (none depends on another): a state or a
/// golden folder may hold 50,000 queues.
pub fn normalize(doc: Value) -> Value {
    let Value::Object(m) = doc else {
        return doc;
    };
    Value::Object(
        m.into_iter()
            .filter_map(|(field, v)| attribute(&field, v).map(|v| (field, v)))
            .collect(),
    )
}

/// The canonical value of one attribute; `None` when it is dropped (read-only, at its
/// default, or empty).
fn attribute(field: &str, v: Value) -> Option<Value> {
    if READ_ONLY.contains(&field) {
        return None;
    }
    let v = if NUMBERS.contains(&field) {
        number(v)
    } else if BOOLEANS.contains(&field) {
        boolean(v)
    } else {
        v
    };
    if default_of(field).is_some_and(|d| d == v) {
        return None;
    }
    let v = match field {
        "Policy" => policy_document::normalize(v),
        "RedrivePolicy" => redrive_policy(v),
        "RedriveAllowPolicy" => redrive_allow_policy(v),
        _ => clean(v),
    };
    (!is_empty(&v)).then_some(v)
}

/// SQS returns every attribute as a string: `"300"` is the number 300.
fn number(v: Value) -> Value {
    match v
        .as_str()
        .map(str::trim)
        .and_then(|s| s.parse::<u64>().ok())
    {
        Some(n) => json!(n),
        None => v,
    }
}

fn boolean(v: Value) -> Value {
    match v.as_str() {
        Some("true") => json!(true),
        Some("false") => json!(false),
        _ => v,
    }
}

/// `RedrivePolicy` is a JSON string; `maxReceiveCount` comes back as a number or a string
/// depending on how it was set.
fn redrive_policy(v: Value) -> Value {
    let Value::Object(mut m) = embedded_json(v) else {
        return Value::Null;
    };
    if let Some(c) = m.remove("maxReceiveCount") {
        m.insert("maxReceiveCount".into(), number(c));
    }
    Value::Object(m)
}

/// `RedriveAllowPolicy` is a JSON string; its source queue list is a set.
fn redrive_allow_policy(v: Value) -> Value {
    let Value::Object(mut m) = embedded_json(v) else {
        return Value::Null;
    };
    if let Some(s) = m.remove("sourceQueueArns") {
        m.insert("sourceQueueArns".into(), sort_set(s));
    }
    Value::Object(m)
}

/// An attribute that holds JSON as a string; already-parsed objects pass through. An empty
/// string (SQS's way of saying "removed") is nothing.
fn embedded_json(v: Value) -> Value {
    match v {
        Value::String(s) if s.trim().is_empty() => Value::Null,
        Value::String(s) => serde_json::from_str(&s).unwrap_or(Value::String(s)),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use serde_json::json;

    /// `GetQueueAttributes(All)` as AWS returns it for a queue with a DLQ and a policy.
    fn aws_shaped() -> serde_json::Value {
        json!({
            "QueueName": "jobs",
            "QueueArn": "arn:aws:sqs:us-east-1:123456789012:jobs",
            "ApproximateNumberOfMessages": "12", "ApproximateNumberOfMessagesNotVisible": "3",
            "ApproximateNumberOfMessagesDelayed": "0",
            "CreatedTimestamp": "1700000000", "LastModifiedTimestamp": "1700000100",
            "VisibilityTimeout": "300", "MaximumMessageSize": "1048576",
            "MessageRetentionPeriod": "345600", "DelaySeconds": "0",
            "ReceiveMessageWaitTimeSeconds": "20", "SqsManagedSseEnabled": "true",
            "RedrivePolicy": "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:123456789012:jobs-dlq\",\"maxReceiveCount\":3}",
            "Policy": "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sns.amazonaws.com\"},\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:123456789012:jobs\"}}",
            "Tags": {"team": "ml"}
        })
    }

    #[test]
    fn canonical_queue() {
        assert_eq!(
            normalize(aws_shaped()),
            json!({
                "QueueName": "jobs",
                "VisibilityTimeout": 300,
                "ReceiveMessageWaitTimeSeconds": 20,
                "RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:jobs-dlq",
                                  "maxReceiveCount": 3},
                "Policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Principal": {"Service": ["sns.amazonaws.com"]}, "Action": ["sqs:sendmessage"],
                    "Resource": ["arn:aws:sqs:us-east-1:123456789012:jobs"]}]},
                "Tags": {"team": "ml"}
            })
        );
    }

    #[test]
    fn idempotent_and_string_or_number_receive_count_agree() {
        let once = normalize(aws_shaped());
        assert_eq!(normalize(once.clone()), once);
        let mut s = aws_shaped();
        s["RedrivePolicy"] = json!("{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:123456789012:jobs-dlq\",\"maxReceiveCount\":\"3\"}");
        assert_eq!(normalize(s), once);
    }

    #[test]
    fn old_default_message_size_and_disabled_sse_are_kept() {
        let mut s = aws_shaped();
        s["MaximumMessageSize"] = json!("262144");
        s["SqsManagedSseEnabled"] = json!("false");
        let n = normalize(s);
        assert_eq!(n["MaximumMessageSize"], 262144);
        assert_eq!(n["SqsManagedSseEnabled"], false);
    }

    #[test]
    fn fifo_defaults_are_dropped_but_fifo_is_kept() {
        let n = normalize(json!({"QueueName": "j.fifo", "FifoQueue": "true",
            "ContentBasedDeduplication": "false", "DeduplicationScope": "queue",
            "FifoThroughputLimit": "perQueue"}));
        assert_eq!(n, json!({"QueueName": "j.fifo", "FifoQueue": true}));
    }
}
