//! Which flatmap leaves are numbers and booleans: the numeric and boolean arguments and
//! attributes of the Terraform types driftwatch maps or folds, from the aws provider's
//! documented schemas (2.x to 5.x; a name only one version has does no harm to the others).
//! Paths name nested blocks by their attribute names (`ingress.from_port` is the `from_port` of
//! every `ingress` block); list and set items take their list's path.
//!
//! When a type gains a mapped numeric or boolean attribute, add it here: a test decodes every
//! typed fixture state through a flatmap and fails on a leaf this table does not type.

use serde_json::{Number, Value};

struct Leaves {
    numbers: &'static [&'static str],
    bools: &'static [&'static str],
}

const NONE: Leaves = Leaves {
    numbers: &[],
    bools: &[],
};

const SECURITY_GROUP: Leaves = Leaves {
    numbers: &[
        "ingress.from_port",
        "ingress.to_port",
        "egress.from_port",
        "egress.to_port",
    ],
    bools: &["ingress.self", "egress.self", "revoke_rules_on_delete"],
};

fn leaves(resource_type: &str) -> &'static Leaves {
    match resource_type {
        "aws_ecs_task_definition" => &Leaves {
            numbers: &[
                "revision",
                "ephemeral_storage.size_in_gib",
                "volume.efs_volume_configuration.transit_encryption_port",
            ],
            bools: &[
                "skip_destroy",
                "track_latest",
                "enable_fault_injection",
                "volume.configure_at_launch",
                "volume.docker_volume_configuration.autoprovision",
            ],
        },
        "aws_ecs_service" => &Leaves {
            numbers: &[
                "desired_count",
                "deployment_maximum_percent",
                "deployment_minimum_healthy_percent",
                "health_check_grace_period_seconds",
                "load_balancer.container_port",
                "capacity_provider_strategy.base",
                "capacity_provider_strategy.weight",
                "service_registries.port",
                "service_registries.container_port",
                "service_connect_configuration.service.ingress_port_override",
                "service_connect_configuration.service.client_alias.port",
                "service_connect_configuration.service.timeout.idle_timeout_seconds",
                "service_connect_configuration.service.timeout.per_request_timeout_seconds",
                "volume_configuration.managed_ebs_volume.size_in_gb",
                "volume_configuration.managed_ebs_volume.iops",
                "volume_configuration.managed_ebs_volume.throughput",
            ],
            bools: &[
                "enable_ecs_managed_tags",
                "enable_execute_command",
                "force_new_deployment",
                "force_delete",
                "wait_for_steady_state",
                "sigint_rollback",
                "network_configuration.assign_public_ip",
                "deployment_circuit_breaker.enable",
                "deployment_circuit_breaker.rollback",
                "alarms.enable",
                "alarms.rollback",
                "service_connect_configuration.enabled",
                "volume_configuration.managed_ebs_volume.encrypted",
            ],
        },
        "aws_iam_role" => &Leaves {
            numbers: &["max_session_duration"],
            bools: &["force_detach_policies"],
        },
        "aws_iam_policy" => &Leaves {
            numbers: &["attachment_count"],
            bools: &[],
        },
        "aws_sqs_queue" => &Leaves {
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
        },
        "aws_security_group" | "aws_default_security_group" => &SECURITY_GROUP,
        "aws_security_group_rule" => &Leaves {
            numbers: &["from_port", "to_port"],
            bools: &["self"],
        },
        "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule" => &Leaves {
            numbers: &["from_port", "to_port"],
            bools: &[],
        },
        // Every other attribute of the folded types (role policies and attachments, queue
        // policies) is a string; unmapped types are not compared at all.
        _ => &NONE,
    }
}

/// Converts the string leaves the schema says are numbers or booleans.
pub(super) fn type_leaves(resource_type: &str, attributes: &mut Value) {
    let leaves = leaves(resource_type);
    if leaves.numbers.is_empty() && leaves.bools.is_empty() {
        return;
    }
    walk(leaves, &mut String::new(), attributes);
}

fn walk(leaves: &Leaves, path: &mut String, v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                walk(leaves, path, child);
                path.truncate(len);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| walk(leaves, path, i)),
        Value::String(s) => {
            let typed = if leaves.numbers.contains(&path.as_str()) {
                number(s)
            } else if leaves.bools.contains(&path.as_str()) {
                boolean(s)
            } else {
                None
            };
            if let Some(t) = typed {
                *v = t;
            }
        }
        _ => {}
    }
}

fn number(s: &str) -> Option<Value> {
    if let Ok(i) = s.parse::<i64>() {
        return Some(Value::from(i));
    }
    s.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
}

fn boolean(s: &str) -> Option<Value> {
    match s {
        "true" => Some(Value::Bool(true)),
        "false" => Some(Value::Bool(false)),
        _ => None,
    }
}
