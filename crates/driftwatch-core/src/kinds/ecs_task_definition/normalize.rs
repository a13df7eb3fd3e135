//! Normalizer for `aws_ecs_task_definition`. Input: the `taskDefinition` object of
//! `DescribeTaskDefinition` (or the whole response, or our own canonical output). Output: the
//! canonical document. Pure; must not drop anything a user can register.

use serde_json::{json, Map, Value};

use crate::normalize::secrets::{Input, Redactor};
use crate::normalize::Redaction;
use crate::normalize::{clean, drop_default, is_empty, key_by, map_fields, pairs_to_map, sort_set};

/// Fields AWS assigns on registration. None of them can be set by a user, so none is drift.
const READ_ONLY: &[&str] = &[
    "taskDefinitionArn",
    "revision",
    "status",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
    "deleteRequestedAt",
    "requiresAttributes",
    "compatibilities",
];

/// The canonical form of a golden (already canonical or hand-written) document.
pub fn normalize(doc: Value, redaction: &Redaction) -> Value {
    normalize_from(doc, Input::Canonical, redaction)
}

/// The canonical form of a document as AWS or Terraform holds it (see [`Input::Raw`]).
pub fn normalize_raw(doc: Value, redaction: &Redaction) -> Value {
    normalize_from(doc, Input::Raw, redaction)
}

fn normalize_from(doc: Value, input: Input, redaction: &Redaction) -> Value {
    let r = Redactor {
        input,
        is_secret_name: &|name| redaction.is_secret_name(name),
    };
    let Value::Object(mut m) = unwrap_describe_output(doc) else {
        return Value::Null;
    };
    for field in READ_ONLY {
        m.remove(*field);
    }
    drop_default(&mut m, "enableFaultInjection", json!(false));
    let network_mode = m
        .get("networkMode")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    Value::Object(map_fields(m, |field, v| match field {
        "cpu" => cpu_units(v),
        "memory" => memory_mib(v),
        "containerDefinitions" => key_by(v, "name", |c| container(c, &network_mode, &r)),
        "volumes" => key_by(v, "name", |v| volume(v, &r)),
        "tags" => r.strings(pairs_to_map(v, "key", "value")),
        "requiresCompatibilities" | "placementConstraints" | "inferenceAccelerators" => {
            sort_set(clean(v))
        }
        "proxyConfiguration" => proxy_configuration(v, &r),
        _ => clean(v),
    }))
}

/// `DescribeTaskDefinition` wraps the definition as `{"taskDefinition": …, "tags": […]}`, with
/// the tags beside it rather than inside. Users paste that output (and `aws ecs
/// describe-task-definition` prints it), so accept it and fold the tags in.
fn unwrap_describe_output(doc: Value) -> Value {
    let Value::Object(mut outer) = doc else {
        return doc;
    };
    match outer.remove("taskDefinition") {
        Some(Value::Object(mut td)) => {
            if let Some(tags) = outer.remove("tags").filter(|t| !is_empty(t)) {
                td.insert("tags".into(), tags);
            }
            Value::Object(td)
        }
        Some(other) => {
            outer.insert("taskDefinition".into(), other);
            Value::Object(outer)
        }
        None => Value::Object(outer),
    }
}

/// Task-level `cpu` is a string in the API (`"512"`), and registration also accepts `"0.5 vCPU"`,
/// which AWS stores as units. Compare as a number of CPU units.
fn cpu_units(v: Value) -> Value {
    scaled_number(v, &["vcpu"], 1024.0)
}

/// Task-level `memory` is a string in the API (`"1024"`), and registration also accepts `"1 GB"`,
/// which AWS stores as MiB. Compare as a number of MiB.
fn memory_mib(v: Value) -> Value {
    scaled_number(v, &["gb"], 1024.0)
}

fn scaled_number(v: Value, units: &[&str], factor: f64) -> Value {
    let Value::String(s) = &v else { return v };
    let lower = s.trim().to_ascii_lowercase();
    let (digits, scale) = match units.iter().find_map(|u| lower.strip_suffix(u)) {
        Some(rest) => (rest.trim(), factor),
        None => (lower.as_str(), 1.0),
    };
    match digits.parse::<f64>() {
        Ok(n) if n >= 0.0 && (n * scale).fract() == 0.0 => json!((n * scale) as u64),
        _ => v,
    }
}

fn proxy_configuration(v: Value, r: &Redactor<'_>) -> Value {
    let Value::Object(m) = v else { return v };
    Value::Object(map_fields(m, |field, v| match field {
        "properties" => r.named_values(pairs_to_map(v, "name", "value")),
        _ => clean(v),
    }))
}

/// Docker volume driver options and labels may carry credentials (a CIFS mount's
/// `password=`), like a container's options.
fn volume(v: Value, r: &Redactor<'_>) -> Value {
    let v = clean(v);
    let Value::Object(mut m) = v else { return v };
    // AWS's default, which newer API versions spell out, says nothing.
    drop_default(&mut m, "configuredAtLaunch", json!(false));
    Value::Object(map_fields(m, |field, v| match (field, v) {
        ("dockerVolumeConfiguration", Value::Object(c)) => {
            Value::Object(map_fields(c, |f, v| match f {
                "driverOpts" | "labels" => r.named_values(v),
                _ => v,
            }))
        }
        (_, v) => v,
    }))
}

/// One container definition (already without its `name`, which keys it). Every place a value
/// can hold a secret goes through the redactor: by name in name/value maps, by shape anywhere;
/// `secrets` and `secretOptions` are references, searched by shape only.
fn container(v: Value, network_mode: &str, r: &Redactor<'_>) -> Value {
    let Value::Object(mut m) = v else { return v };
    drop_container_defaults(&mut m);
    Value::Object(map_fields(m, |field, v| match field {
        "environment" => r.named_values(pairs_to_map(v, "name", "value")),
        "secrets" => r.strings(pairs_to_map(v, "name", "valueFrom")),
        "command" | "entryPoint" => r.arguments(clean(v)),
        "dockerLabels" => r.named_values(clean(v)),
        "firelensConfiguration" => options(v, r),
        "portMappings" => sort_set(each(v, |p| port_mapping(p, network_mode))),
        "mountPoints" | "volumesFrom" => sort_set(each(v, without_read_only_false)),
        "ulimits"
        | "dependsOn"
        | "extraHosts"
        | "links"
        | "dockerSecurityOptions"
        | "systemControls"
        | "resourceRequirements"
        | "credentialSpecs" => sort_set(clean(v)),
        "healthCheck" => health_check(v, r),
        "logConfiguration" => log_configuration(v, r),
        "linuxParameters" => linux_parameters(v),
        _ => clean(v),
    }))
}

/// AWS fills these in when a container omits them (`cpu: 0`, `essential: true`) or echoes
/// `false` for flags a user spelled out; either way they mean "not set".
fn drop_container_defaults(m: &mut Map<String, Value>) {
    drop_default(m, "cpu", json!(0));
    drop_default(m, "essential", json!(true));
    for flag in [
        "privileged",
        "readonlyRootFilesystem",
        "disableNetworking",
        "interactive",
        "pseudoTerminal",
    ] {
        drop_default(m, flag, json!(false));
    }
}

fn each(v: Value, f: impl Fn(Value) -> Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.into_iter().map(f).collect()),
        other => other,
    }
}

/// In `awsvpc` and `host` network modes AWS sets `hostPort` to `containerPort` when it is
/// omitted, and in `bridge` mode an omitted `hostPort` comes back as `0` (dynamic). `protocol`
/// defaults to `tcp`. Drop all three so a definition registered without them stays in sync.
fn port_mapping(v: Value, network_mode: &str) -> Value {
    let Value::Object(mut m) = clean(v) else {
        return Value::Null;
    };
    drop_default(&mut m, "protocol", json!("tcp"));
    let host_port_is_implied = match network_mode {
        "awsvpc" | "host" => {
            m.get("hostPort").is_some() && m.get("hostPort") == m.get("containerPort")
        }
        _ => m.get("hostPort") == Some(&json!(0)),
    };
    if host_port_is_implied {
        m.remove("hostPort");
    }
    Value::Object(m)
}

fn without_read_only_false(v: Value) -> Value {
    let Value::Object(mut m) = clean(v) else {
        return Value::Null;
    };
    drop_default(&mut m, "readOnly", json!(false));
    Value::Object(m)
}

/// AWS returns the documented defaults of a health check (interval 30 s, timeout 5 s, 3 retries,
/// no start period) even when they were not given.
fn health_check(v: Value, r: &Redactor<'_>) -> Value {
    let Value::Object(mut m) = clean(v) else {
        return Value::Null;
    };
    if let Some(command) = m.remove("command") {
        m.insert("command".into(), r.arguments(command));
    }
    drop_default(&mut m, "interval", json!(30));
    drop_default(&mut m, "timeout", json!(5));
    drop_default(&mut m, "retries", json!(3));
    drop_default(&mut m, "startPeriod", json!(0));
    Value::Object(m)
}

/// Log driver options (`splunk-token`, …); `secretOptions` are references.
fn log_configuration(v: Value, r: &Redactor<'_>) -> Value {
    let Value::Object(m) = v else { return v };
    Value::Object(map_fields(m, |field, v| match field {
        "secretOptions" => r.strings(pairs_to_map(v, "name", "valueFrom")),
        "options" => r.named_values(clean(v)),
        _ => clean(v),
    }))
}

/// FireLens options are passed to Fluent Bit / Fluentd outputs, credentials included.
fn options(v: Value, r: &Redactor<'_>) -> Value {
    let Value::Object(m) = v else { return v };
    Value::Object(map_fields(m, |field, v| match field {
        "options" => r.named_values(clean(v)),
        _ => clean(v),
    }))
}

fn linux_parameters(v: Value) -> Value {
    let Value::Object(mut m) = v else { return v };
    drop_default(&mut m, "initProcessEnabled", json!(false));
    Value::Object(map_fields(m, |field, v| match field {
        "capabilities" => match clean(v) {
            Value::Object(caps) => {
                Value::Object(caps.into_iter().map(|(k, v)| (k, sort_set(v))).collect())
            }
            other => other,
        },
        "devices" | "tmpfs" => sort_set(clean(v)),
        _ => clean(v),
    }))
}

#[cfg(test)]
mod tests;
