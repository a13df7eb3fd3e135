//! `aws_ecs_service` from a Terraform state (provider 3.x to 6.x), in the shape of
//! `DescribeServices`, with the parts whose state form differs from what it reports. Pure.

use serde_json::{json, Value};

use crate::terraform::map::{attr, block, blocks, camel, json_text, last_segment, tags, text};

/// The role ECS uses for a service that names none; the 3.x provider records it as
/// `aws-service-role`.
const ECS_SERVICE_LINKED_ROLE: &str = "/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS";

/// `iam_role` as the ARN `DescribeServices` reports (`roleArn`). The provider keeps an ARN the
/// configuration gave, and otherwise stores the role trimmed of `arn:…:role`: its path and name
/// in 5.x (`/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`), only the first path
/// segment in 3.x (`aws-service-role`). The partition and account are the service's own, taken
/// from its ARN (`id`, `arn`) or its cluster's. `None` when there is no role or no account.
fn role_arn(a: &Value) -> Option<String> {
    let role = text(a, "iam_role")?;
    if role.starts_with("arn:") {
        return Some(role.to_string());
    }
    let (partition, account) = ["id", "arn", "cluster"]
        .iter()
        .find_map(|k| text(a, k).and_then(partition_and_account))?;
    let path = match role {
        "aws-service-role" => ECS_SERVICE_LINKED_ROLE.to_string(),
        r if r.starts_with('/') => r.to_string(),
        r => format!("/{r}"),
    };
    Some(format!("arn:{partition}:iam::{account}:role{path}"))
}

/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:…` → `(PARTITION, ACCOUNT)`.
fn partition_and_account(arn: &str) -> Option<(&str, &str)> {
    let mut f = arn.split(':');
    let (Some("arn"), Some(partition), _, _, Some(account)) =
        (f.next(), f.next(), f.next(), f.next(), f.next())
    else {
        return None;
    };
    (!partition.is_empty() && !account.is_empty()).then_some((partition, account))
}

/// The `deploymentConfiguration` members beyond the percentages: the circuit breaker, alarms
/// (provider 4.x), and the 6.x `deployment_configuration` block (strategy, bake time, hooks).
fn deployment_extras(a: &Value, deployment: &mut Value) {
    if let Some(cb) = block(a, "deployment_circuit_breaker") {
        deployment["deploymentCircuitBreaker"] =
            json!({"enable": attr(&cb, "enable"), "rollback": attr(&cb, "rollback")});
    }
    if let Some(al) = block(a, "alarms") {
        deployment["alarms"] = json!({
            "alarmNames": attr(&al, "alarm_names"),
            "enable": attr(&al, "enable"),
            "rollback": attr(&al, "rollback"),
        });
    }
    if let Some(dc) = block(a, "deployment_configuration") {
        deployment["strategy"] = attr(&dc, "strategy");
        // A string in the provider's schema, a number in the API.
        deployment["bakeTimeInMinutes"] = match attr(&dc, "bake_time_in_minutes") {
            Value::String(s) => s
                .parse::<u64>()
                .map(Value::from)
                .unwrap_or(Value::String(s)),
            v => v,
        };
        let hooks: Vec<Value> = blocks(&dc, "lifecycle_hook")
            .iter()
            .map(|h| {
                json!({
                    "hookTargetArn": attr(h, "hook_target_arn"),
                    "roleArn": attr(h, "role_arn"),
                    "lifecycleStages": attr(h, "lifecycle_stages"),
                    "hookDetails": json_text(attr(h, "hook_details")),
                })
            })
            .collect();
        deployment["lifecycleHooks"] = Value::from(hooks);
    }
}

/// A `load_balancer` block as a `loadBalancers` item, with its 6.x blue/green settings.
fn load_balancer(lb: &Value) -> Value {
    json!({
        "targetGroupArn": attr(lb, "target_group_arn"),
        "loadBalancerName": attr(lb, "elb_name"),
        "containerName": attr(lb, "container_name"),
        "containerPort": attr(lb, "container_port"),
        "advancedConfiguration": block(lb, "advanced_configuration").map(|b| camel(&b)),
    })
}

/// `ordered_placement_strategy` as `placementStrategy`: order is precedence, so it is kept.
fn placement_strategy(a: &Value) -> Value {
    Value::from(
        blocks(a, "ordered_placement_strategy")
            .iter()
            .map(|s| json!({"type": attr(s, "type"), "field": attr(s, "field")}))
            .collect::<Vec<_>>(),
    )
}

/// `service_registries` as `serviceRegistries`; the provider stores unset ports as `0`.
fn service_registries(a: &Value) -> Value {
    Value::from(
        blocks(a, "service_registries")
            .iter()
            .map(|r| match camel(r) {
                Value::Object(mut m) => {
                    m.retain(|k, v| {
                        !(matches!(k.as_str(), "port" | "containerPort") && v == &json!(0))
                    });
                    Value::Object(m)
                }
                other => other,
            })
            .collect::<Vec<_>>(),
    )
}

pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
    let name = text(a, "name")?;
    let cluster = last_segment(text(a, "cluster").unwrap_or("default"));
    let network = block(a, "network_configuration").map(|n| {
        json!({"awsvpcConfiguration": {
            "subnets": attr(&n, "subnets"),
            "securityGroups": attr(&n, "security_groups"),
            "assignPublicIp": match n.get("assign_public_ip") {
                Some(Value::Bool(true)) => "ENABLED",
                _ => "DISABLED",
            },
        }})
    });
    let load_balancers: Vec<Value> = blocks(a, "load_balancer")
        .iter()
        .map(load_balancer)
        .collect();
    let mut deployment = json!({
        "maximumPercent": attr(a, "deployment_maximum_percent"),
        "minimumHealthyPercent": attr(a, "deployment_minimum_healthy_percent"),
    });
    deployment_extras(a, &mut deployment);
    let doc = json!({
        "serviceName": name,
        "desiredCount": attr(a, "desired_count"),
        "launchType": attr(a, "launch_type"),
        "platformVersion": attr(a, "platform_version"),
        "taskDefinition": attr(a, "task_definition"),
        "schedulingStrategy": attr(a, "scheduling_strategy"),
        "enableECSManagedTags": attr(a, "enable_ecs_managed_tags"),
        "enableExecuteCommand": attr(a, "enable_execute_command"),
        "propagateTags": attr(a, "propagate_tags"),
        "healthCheckGracePeriodSeconds": attr(a, "health_check_grace_period_seconds"),
        "networkConfiguration": network,
        "loadBalancers": load_balancers,
        "capacityProviderStrategy": camel(&attr(a, "capacity_provider_strategy")),
        "deploymentConfiguration": deployment,
        "deploymentController": block(a, "deployment_controller").map(|b| camel(&b)),
        "placementConstraints": camel(&attr(a, "placement_constraints")),
        "placementStrategy": placement_strategy(a),
        "serviceRegistries": service_registries(a),
        "availabilityZoneRebalancing": attr(a, "availability_zone_rebalancing"),
        "roleArn": role_arn(a),
        "tags": tags(a),
    });
    Some((format!("{cluster}/{name}"), doc))
}
