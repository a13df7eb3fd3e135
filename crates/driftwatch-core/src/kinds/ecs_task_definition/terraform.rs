//! `aws_ecs_task_definition` from a Terraform state: the provider's attributes in the shape of
//! `DescribeTaskDefinition`. Pure.

use serde_json::{json, Value};

use crate::terraform::map::{attr, block, blocks, camel, json_text, tags, text};

pub(crate) fn from_terraform(a: &Value) -> Option<(String, Value)> {
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
