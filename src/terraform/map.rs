//! Maps Terraform resource instances to our kinds, as documents in the shape our normalizers
//! read (the AWS API's field names), folding related resources into their owner so drift is found
//! whether Terraform wrote a rule, policy or attachment inline or as a separate resource.
//! Related resources whose owner is managed elsewhere become partial claims on it (see
//! `related`). Attribute names follow the aws provider 3.x to 6.x schemas (see `schema`). Pure.

mod ecs;
mod related;
pub mod schema;

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::state::Instance;
use crate::model::Kind;
use crate::scope::Scope;

/// One resource a state describes, before normalization.
#[derive(Debug, Clone, PartialEq)]
pub struct Described {
    pub kind: Kind,
    pub id: String,
    pub document: Value,
    /// The Terraform address of the owning resource (of the claims, for a partial one).
    pub address: String,
    /// What the state speaks for: partial claims, paths it cannot know.
    pub scope: Scope,
}

impl Described {
    /// Takes in what another state says about the same resource: a partial claim folds into
    /// the owner's document as it would have in one state. `Err` when both describe it whole.
    pub fn merge(&mut self, other: Described) -> Result<(), String> {
        if !self.scope.partial && !other.scope.partial {
            return Err(format!(
                "{} and {} both describe {} `{}`",
                self.address, other.address, self.kind, self.id
            ));
        }
        if self.scope.partial && !other.scope.partial {
            let claims = std::mem::replace(self, other);
            return self.merge(claims);
        }
        related::merge_document(&mut self.document, other.document);
        self.scope.merge(other.scope);
        self.address = format!("{}, {}", self.address, other.address);
        Ok(())
    }
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
        if related::is_related(&i.r#type) {
            related.push(i);
            continue;
        }
        let Some(def) = crate::kinds::by_terraform_type(&i.r#type) else {
            *not_checked.entry(i.r#type.clone()).or_default() += 1;
            continue;
        };
        let kind = def.kind;
        let Some((id, document)) = (def.from_terraform)(a) else {
            *not_checked.entry(i.r#type.clone()).or_default() += 1;
            continue;
        };
        let mut unknown = schema::unknown_paths(&i.r#type, a);
        if kind == Kind::EcsService
            && document.get("roleArn").is_none_or(Value::is_null)
            && text(a, "iam_role").is_some()
        {
            // A role we could not turn into the ARN AWS reports.
            unknown.push("/roleArn".into());
        }
        let d = Described {
            kind,
            id: id.clone(),
            document,
            address: i.address.clone(),
            scope: Scope {
                unknown,
                ..Scope::default()
            },
        };
        if let Some(prev) = owners.insert((kind, id.clone()), d) {
            return Err(format!(
                "{} and {} both describe {kind} `{id}`",
                prev.address, i.address
            ));
        }
    }
    for i in related {
        if !related::fold(&mut owners, i) {
            // It names no owner we could identify.
            *not_checked.entry(i.r#type.clone()).or_default() += 1;
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

/// The tags on the resource: `tags_all` (provider ≥ 3.38) also holds the provider's
/// `default_tags`, which AWS has like any other tag; older states have only `tags`.
fn tags(a: &Value) -> Value {
    match a.get("tags_all") {
        Some(Value::Object(m)) if !m.is_empty() => Value::Object(m.clone()),
        _ => attr(a, "tags"),
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

pub(crate) fn task_definition(a: &Value) -> Option<(String, Value)> {
    let family = text(a, "family")?.to_string();
    let volumes: Vec<Value> = blocks(a, "volume")
        .iter()
        .map(|v| {
            let mut vol = json!({"name": attr(v, "name")});
            if let Some(p) = text(v, "host_path") {
                vol["host"] = json!({"sourcePath": p});
            }
            if v.get("configure_at_launch") == Some(&json!(true)) {
                vol["configuredAtLaunch"] = json!(true);
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
        "enableFaultInjection": attr(a, "enable_fault_injection"),
        "tags": tags(a),
    });
    Some((family, doc))
}

/// `arn:…:cluster/NAME` or `NAME` → `NAME`.
fn last_segment(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

pub(crate) fn service(a: &Value) -> Option<(String, Value)> {
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
        .map(ecs::load_balancer)
        .collect();
    let mut deployment = json!({
        "maximumPercent": attr(a, "deployment_maximum_percent"),
        "minimumHealthyPercent": attr(a, "deployment_minimum_healthy_percent"),
    });
    ecs::deployment_extras(a, &mut deployment);
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
        "placementStrategy": ecs::placement_strategy(a),
        "serviceRegistries": ecs::service_registries(a),
        "availabilityZoneRebalancing": attr(a, "availability_zone_rebalancing"),
        "roleArn": ecs::role_arn(a),
        "tags": tags(a),
    });
    Some((format!("{cluster}/{name}"), doc))
}

pub(crate) fn role(a: &Value) -> Option<(String, Value)> {
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
        "Tags": tags(a),
    });
    Some((name, doc))
}

pub(crate) fn policy(a: &Value) -> Option<(String, Value)> {
    let name = text(a, "name")?.to_string();
    let doc = json!({
        "PolicyName": name,
        "Path": attr(a, "path"),
        "Description": attr(a, "description"),
        "PolicyDocument": attr(a, "policy"),
        "Tags": tags(a),
    });
    Some((name, doc))
}

/// `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME` → `NAME`.
fn queue_name_from_url(url: &str) -> &str {
    last_segment(url.trim_end_matches('/'))
}

pub(crate) fn queue(a: &Value) -> Option<(String, Value)> {
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

pub(crate) fn security_group(a: &Value) -> Option<(String, Value)> {
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
        "Tags": tags(a),
        "IpPermissions": rules("ingress"),
        "IpPermissionsEgress": rules("egress"),
    });
    Some((id, doc))
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

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_precision;
