//! Maps Terraform resource instances to our kinds, as documents in the shape our normalizers
//! read (the AWS API's field names), folding related resources into their owner so drift is found
//! whether Terraform wrote a rule, policy or attachment inline or as a separate resource.
//! Attribute names follow the aws provider 3.x, 4.x and 5.x schemas. Pure.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::state::Instance;
use crate::model::Kind;

/// One resource a state describes, before normalization.
#[derive(Debug, Clone, PartialEq)]
pub struct Described {
    pub kind: Kind,
    pub id: String,
    pub document: Value,
    /// The Terraform address of the owning resource.
    pub address: String,
}

#[derive(Debug, Default)]
pub struct Mapped {
    pub resources: Vec<Described>,
    /// Terraform types we do not map, with how many instances of each: listed as not checked.
    pub not_checked: BTreeMap<String, usize>,
}

/// Maps every instance; `Err` names two addresses that describe the same resource.
pub fn map(instances: &[Instance]) -> Result<Mapped, String> {
    let mut owners: BTreeMap<(Kind, String), Described> = BTreeMap::new();
    let mut related = Vec::new();
    let mut not_checked: BTreeMap<String, usize> = BTreeMap::new();
    for i in instances {
        let a = &i.attributes;
        let owned = match i.r#type.as_str() {
            "aws_ecs_task_definition" => task_definition(a),
            "aws_ecs_service" => service(a),
            "aws_iam_role" => role(a),
            "aws_iam_policy" => policy(a),
            "aws_sqs_queue" => queue(a),
            "aws_security_group" | "aws_default_security_group" => security_group(a),
            "aws_iam_role_policy"
            | "aws_iam_role_policy_attachment"
            | "aws_sqs_queue_policy"
            | "aws_sqs_queue_redrive_policy"
            | "aws_sqs_queue_redrive_allow_policy"
            | "aws_security_group_rule"
            | "aws_vpc_security_group_ingress_rule"
            | "aws_vpc_security_group_egress_rule" => {
                related.push(i);
                continue;
            }
            other => {
                *not_checked.entry(other.to_string()).or_default() += 1;
                continue;
            }
        };
        let Some((kind, id, document)) = owned else {
            *not_checked.entry(i.r#type.clone()).or_default() += 1;
            continue;
        };
        let d = Described {
            kind,
            id: id.clone(),
            document,
            address: i.address.clone(),
        };
        if let Some(prev) = owners.insert((kind, id.clone()), d) {
            return Err(format!(
                "{} and {} both describe {kind} `{id}`",
                prev.address, i.address
            ));
        }
    }
    for i in related {
        if !fold(&mut owners, i) {
            // Its owner is not in this state (managed elsewhere): nothing to compare it with.
            *not_checked
                .entry(format!("{} (owner not in state)", i.r#type))
                .or_default() += 1;
        }
    }
    Ok(Mapped {
        resources: owners.into_values().collect(),
        not_checked,
    })
}

/// An attribute as JSON, with Terraform's "" for unset strings as absent.
fn attr(a: &Value, key: &str) -> Value {
    match a.get(key) {
        Some(Value::String(s)) if s.is_empty() => Value::Null,
        Some(v) => v.clone(),
        None => Value::Null,
    }
}

fn text<'a>(a: &'a Value, key: &str) -> Option<&'a str> {
    a.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// A nested block: Terraform stores `block { … }` as a list of (at most) one object.
fn block(a: &Value, key: &str) -> Option<Value> {
    match a.get(key) {
        Some(Value::Array(items)) => items.first().cloned(),
        Some(v @ Value::Object(_)) => Some(v.clone()),
        _ => None,
    }
}

fn blocks(a: &Value, key: &str) -> Vec<Value> {
    a.get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// `snake_case` block keys as the API's `camelCase`, recursively; "" values dropped.
fn camel(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| v.as_str() != Some(""))
                .map(|(k, v)| (camel_key(k), camel(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(camel).collect()),
        other => other.clone(),
    }
}

fn camel_key(k: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in k.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out.replace("InGib", "InGiB")
}

/// Parses an attribute that holds JSON text (container definitions, policies); keeps a value
/// that is not JSON as it is.
fn json_text(v: Value) -> Value {
    match v {
        Value::String(s) => serde_json::from_str(&s).unwrap_or(Value::String(s)),
        other => other,
    }
}

fn task_definition(a: &Value) -> Option<(Kind, String, Value)> {
    let family = text(a, "family")?.to_string();
    let volumes: Vec<Value> = blocks(a, "volume")
        .iter()
        .map(|v| {
            let mut vol = json!({"name": attr(v, "name")});
            if let Some(p) = text(v, "host_path") {
                vol["host"] = json!({"sourcePath": p});
            }
            for (tf, api) in [
                ("docker_volume_configuration", "dockerVolumeConfiguration"),
                ("efs_volume_configuration", "efsVolumeConfiguration"),
                (
                    "fsx_windows_file_server_volume_configuration",
                    "fsxWindowsFileServerVolumeConfiguration",
                ),
            ] {
                if let Some(b) = block(v, tf) {
                    let mut c = camel(&b);
                    if let Some(ac) = c.get_mut("authorizationConfig") {
                        *ac = ac
                            .as_array()
                            .and_then(|x| x.first().cloned())
                            .unwrap_or(ac.clone());
                    }
                    vol[api] = c;
                }
            }
            vol
        })
        .collect();
    let proxy = block(a, "proxy_configuration").map(|p| {
        json!({
            "type": attr(&p, "type"),
            "containerName": attr(&p, "container_name"),
            "properties": p.get("properties").and_then(Value::as_object).map(|m| {
                m.iter().map(|(k, v)| json!({"name": k, "value": v})).collect::<Vec<_>>()
            }),
        })
    });
    let doc = json!({
        "family": family,
        "containerDefinitions": json_text(attr(a, "container_definitions")),
        "cpu": attr(a, "cpu"),
        "memory": attr(a, "memory"),
        "networkMode": attr(a, "network_mode"),
        "requiresCompatibilities": attr(a, "requires_compatibilities"),
        "taskRoleArn": attr(a, "task_role_arn"),
        "executionRoleArn": attr(a, "execution_role_arn"),
        "ipcMode": attr(a, "ipc_mode"),
        "pidMode": attr(a, "pid_mode"),
        "placementConstraints": camel(&attr(a, "placement_constraints")),
        "volumes": volumes,
        "ephemeralStorage": block(a, "ephemeral_storage").map(|b| camel(&b)),
        "runtimePlatform": block(a, "runtime_platform").map(|b| camel(&b)),
        "proxyConfiguration": proxy,
        "inferenceAccelerators": camel(&attr(a, "inference_accelerator")),
        "tags": attr(a, "tags"),
    });
    Some((Kind::EcsTaskDefinition, family, doc))
}

/// `arn:…:cluster/NAME` or `NAME` → `NAME`.
fn last_segment(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

fn service(a: &Value) -> Option<(Kind, String, Value)> {
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
        .map(|lb| {
            json!({
                "targetGroupArn": attr(lb, "target_group_arn"),
                "loadBalancerName": attr(lb, "elb_name"),
                "containerName": attr(lb, "container_name"),
                "containerPort": attr(lb, "container_port"),
            })
        })
        .collect();
    let mut deployment = json!({
        "maximumPercent": attr(a, "deployment_maximum_percent"),
        "minimumHealthyPercent": attr(a, "deployment_minimum_healthy_percent"),
    });
    if let Some(cb) = block(a, "deployment_circuit_breaker") {
        deployment["deploymentCircuitBreaker"] =
            json!({"enable": attr(&cb, "enable"), "rollback": attr(&cb, "rollback")});
    }
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
        "tags": attr(a, "tags"),
    });
    Some((Kind::EcsService, format!("{cluster}/{name}"), doc))
}

fn role(a: &Value) -> Option<(Kind, String, Value)> {
    let name = text(a, "name")?.to_string();
    // Provider ≥ 3.38 records inline policies and attached ARNs on the role itself.
    let inline: Vec<Value> = blocks(a, "inline_policy")
        .iter()
        .filter_map(|p| {
            let n = text(p, "name")?;
            Some(json!({"PolicyName": n, "PolicyDocument": attr(p, "policy")}))
        })
        .collect();
    let attached: Vec<Value> = a
        .get("managed_policy_arns")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|arn| json!({"PolicyArn": arn}))
        .collect();
    let doc = json!({
        "RoleName": name,
        "Path": attr(a, "path"),
        "Description": attr(a, "description"),
        "MaxSessionDuration": attr(a, "max_session_duration"),
        "PermissionsBoundary": attr(a, "permissions_boundary"),
        "AssumeRolePolicyDocument": attr(a, "assume_role_policy"),
        "RolePolicyList": inline,
        "AttachedManagedPolicies": attached,
        "Tags": attr(a, "tags"),
    });
    Some((Kind::IamRole, name, doc))
}

fn policy(a: &Value) -> Option<(Kind, String, Value)> {
    let name = text(a, "name")?.to_string();
    let doc = json!({
        "PolicyName": name,
        "Path": attr(a, "path"),
        "Description": attr(a, "description"),
        "PolicyDocument": attr(a, "policy"),
        "Tags": attr(a, "tags"),
    });
    Some((Kind::IamPolicy, name, doc))
}

/// `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME` → `NAME`.
fn queue_name_from_url(url: &str) -> &str {
    last_segment(url.trim_end_matches('/'))
}

fn queue(a: &Value) -> Option<(Kind, String, Value)> {
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
        "Tags": attr(a, "tags"),
    });
    Some((Kind::SqsQueue, name, doc))
}

fn security_group(a: &Value) -> Option<(Kind, String, Value)> {
    let id = text(a, "id")?.to_string();
    let rules = |key: &str| -> Vec<Value> {
        blocks(a, key)
            .iter()
            .flat_map(|b| inline_rule_sources(b, &id))
            .collect()
    };
    let doc = json!({
        "GroupId": id,
        "GroupName": attr(a, "name"),
        "Description": attr(a, "description"),
        "VpcId": attr(a, "vpc_id"),
        "Tags": attr(a, "tags"),
        "IpPermissions": rules("ingress"),
        "IpPermissionsEgress": rules("egress"),
    });
    Some((Kind::SecurityGroup, id, doc))
}

/// An inline `ingress`/`egress` block or an `aws_security_group_rule` as single-source rules.
fn inline_rule_sources(b: &Value, group_id: &str) -> Vec<Value> {
    let base = json!({
        "IpProtocol": attr(b, "protocol"),
        "FromPort": attr(b, "from_port"),
        "ToPort": attr(b, "to_port"),
        "Description": attr(b, "description"),
    });
    let mut out = Vec::new();
    let mut push = |key: &str, v: &Value| {
        let mut r = base.clone();
        r[key] = v.clone();
        out.push(r);
    };
    let list = |k: &str| {
        b.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    for c in list("cidr_blocks") {
        push("CidrIpv4", &c);
    }
    for c in list("ipv6_cidr_blocks") {
        push("CidrIpv6", &c);
    }
    for p in list("prefix_list_ids") {
        push("PrefixListId", &p);
    }
    // Cross-account references are written `ACCOUNT/sg-…`.
    for g in list("security_groups") {
        push(
            "ReferencedGroupId",
            &Value::from(last_segment(g.as_str().unwrap_or_default())),
        );
    }
    if let Some(g) = text(b, "source_security_group_id") {
        push("ReferencedGroupId", &Value::from(last_segment(g)));
    }
    if b.get("self") == Some(&json!(true)) {
        push("ReferencedGroupId", &Value::from(group_id));
    }
    out
}

/// Folds a related resource into its owner; false when the owner is not in the state.
fn fold(owners: &mut BTreeMap<(Kind, String), Described>, i: &Instance) -> bool {
    let a = &i.attributes;
    let (kind, owner, field, value) = match i.r#type.as_str() {
        "aws_iam_role_policy" => {
            let (Some(role), Some(name)) = (text(a, "role"), text(a, "name")) else {
                return false;
            };
            let p = json!({"PolicyName": name, "PolicyDocument": attr(a, "policy")});
            (
                Kind::IamRole,
                last_segment(role).to_string(),
                "RolePolicyList",
                p,
            )
        }
        "aws_iam_role_policy_attachment" => {
            let Some(role) = text(a, "role") else {
                return false;
            };
            let p = json!({"PolicyArn": attr(a, "policy_arn")});
            (
                Kind::IamRole,
                last_segment(role).to_string(),
                "AttachedManagedPolicies",
                p,
            )
        }
        "aws_sqs_queue_policy"
        | "aws_sqs_queue_redrive_policy"
        | "aws_sqs_queue_redrive_allow_policy" => {
            let Some(url) = text(a, "queue_url") else {
                return false;
            };
            let (field, attribute) = match i.r#type.as_str() {
                "aws_sqs_queue_policy" => ("Policy", "policy"),
                "aws_sqs_queue_redrive_policy" => ("RedrivePolicy", "redrive_policy"),
                _ => ("RedriveAllowPolicy", "redrive_allow_policy"),
            };
            let key = (Kind::SqsQueue, queue_name_from_url(url).to_string());
            let Some(owner) = owners.get_mut(&key) else {
                return false;
            };
            owner.document[field] = attr(a, attribute);
            return true;
        }
        "aws_security_group_rule" => {
            let Some(group) = text(a, "security_group_id") else {
                return false;
            };
            let field = match text(a, "type") {
                Some("egress") => "IpPermissionsEgress",
                _ => "IpPermissions",
            };
            let key = (Kind::SecurityGroup, group.to_string());
            let Some(owner) = owners.get_mut(&key) else {
                return false;
            };
            for r in inline_rule_sources(a, group) {
                push_item(&mut owner.document, field, r);
            }
            return true;
        }
        "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule" => {
            let Some(group) = text(a, "security_group_id") else {
                return false;
            };
            let field = if i.r#type.ends_with("egress_rule") {
                "IpPermissionsEgress"
            } else {
                "IpPermissions"
            };
            let mut r = json!({
                "IpProtocol": attr(a, "ip_protocol"),
                "FromPort": attr(a, "from_port"),
                "ToPort": attr(a, "to_port"),
                "Description": attr(a, "description"),
                "CidrIpv4": attr(a, "cidr_ipv4"),
                "CidrIpv6": attr(a, "cidr_ipv6"),
                "PrefixListId": attr(a, "prefix_list_id"),
                "ReferencedGroupId": attr(a, "referenced_security_group_id"),
            });
            if let Some(Value::Object(m)) = Some(&mut r) {
                m.retain(|_, v| !v.is_null());
            }
            (Kind::SecurityGroup, group.to_string(), field, r)
        }
        _ => return false,
    };
    let Some(o) = owners.get_mut(&(kind, owner)) else {
        return false;
    };
    push_item(&mut o.document, field, value);
    true
}

fn push_item(doc: &mut Value, field: &str, item: Value) {
    let Value::Object(m) = doc else { return };
    match m.entry(field).or_insert_with(|| Value::Array(Vec::new())) {
        Value::Array(items) => items.push(item),
        other => *other = Value::Array(vec![item]),
    }
}

#[cfg(test)]
mod tests;
