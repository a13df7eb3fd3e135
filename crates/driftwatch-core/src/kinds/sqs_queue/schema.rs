//! The tables of `aws_sqs_queue` and of the types that fold into a queue (see
//! `kinds::TerraformType`).

use crate::kinds::TerraformType;
use crate::terraform::map::schema::{AWS_ASSIGNED, NAME_PREFIX};

pub(super) const QUEUE: TerraformType = TerraformType {
    name: "aws_sqs_queue",
    mapped: &[
        ("name", &[]),
        ("visibility_timeout_seconds", &["/VisibilityTimeout"]),
        ("message_retention_seconds", &["/MessageRetentionPeriod"]),
        ("delay_seconds", &["/DelaySeconds"]),
        ("max_message_size", &["/MaximumMessageSize"]),
        (
            "receive_wait_time_seconds",
            &["/ReceiveMessageWaitTimeSeconds"],
        ),
        ("fifo_queue", &["/FifoQueue"]),
        (
            "content_based_deduplication",
            &["/ContentBasedDeduplication"],
        ),
        ("deduplication_scope", &["/DeduplicationScope"]),
        ("fifo_throughput_limit", &["/FifoThroughputLimit"]),
        ("kms_master_key_id", &["/KmsMasterKeyId"]),
        (
            "kms_data_key_reuse_period_seconds",
            &["/KmsDataKeyReusePeriodSeconds"],
        ),
        ("sqs_managed_sse_enabled", &["/SqsManagedSseEnabled"]),
        ("policy", &["/Policy"]),
        ("redrive_policy", &["/RedrivePolicy"]),
        ("redrive_allow_policy", &["/RedriveAllowPolicy"]),
        ("tags", &["/Tags"]),
        ("tags_all", &["/Tags"]),
    ],
    not_compared: &[("url", AWS_ASSIGNED), ("name_prefix", NAME_PREFIX)],
    numbers: &[
        "delay_seconds",
        "kms_data_key_reuse_period_seconds",
        "max_message_size",
        "message_retention_seconds",
        "receive_wait_time_seconds",
        "visibility_timeout_seconds",
    ],
    bools: &[
        "content_based_deduplication",
        "fifo_queue",
        "sqs_managed_sse_enabled",
    ],
};

pub(super) const QUEUE_POLICY: TerraformType = TerraformType {
    name: "aws_sqs_queue_policy",
    mapped: &[("queue_url", &[]), ("policy", &[])],
    not_compared: &[],
    numbers: &[],
    bools: &[],
};

pub(super) const REDRIVE_POLICY: TerraformType = TerraformType {
    name: "aws_sqs_queue_redrive_policy",
    mapped: &[("queue_url", &[]), ("redrive_policy", &[])],
    not_compared: &[],
    numbers: &[],
    bools: &[],
};

pub(super) const REDRIVE_ALLOW_POLICY: TerraformType = TerraformType {
    name: "aws_sqs_queue_redrive_allow_policy",
    mapped: &[("queue_url", &[]), ("redrive_allow_policy", &[])],
    not_compared: &[],
    numbers: &[],
    bools: &[],
};
