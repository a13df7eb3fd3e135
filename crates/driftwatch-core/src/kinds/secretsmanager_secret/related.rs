//! A secret's resource policy, its rotation and its values written as resources of their own,
//! each claimed on the secret its ARN (or name) names. Pure.

use serde_json::{json, Value};

use super::schema::{SECRET_POLICY, SECRET_ROTATION, SECRET_VERSION};
use super::terraform::{rotation_rules, secret_name};
use crate::kinds::{Claim, Edit, Related};
use crate::terraform::map::{attr, text};

pub(super) const RELATED: &[Related] = &[
    Related {
        r#type: SECRET_POLICY,
        owner_field: "Name",
        claims: policy,
    },
    Related {
        r#type: SECRET_ROTATION,
        owner_field: "Name",
        claims: rotation,
    },
    Related {
        r#type: SECRET_VERSION,
        owner_field: "Name",
        claims: version,
    },
];

fn claim(owner: &str, field: &'static str, v: Value) -> Claim {
    Claim {
        owner: secret_name(owner).to_string(),
        field,
        edit: Edit::Set(v),
    }
}

fn policy(a: &Value) -> Vec<Claim> {
    let Some(owner) = text(a, "secret_arn") else {
        return Vec::new();
    };
    vec![claim(owner, "ResourcePolicy", attr(a, "policy"))]
}

/// Rotation as the secret reports it: enabled (the resource exists to enable it; provider 5.x
/// also records `rotation_enabled`), with its Lambda and rules.
fn rotation(a: &Value) -> Vec<Claim> {
    let Some(owner) = text(a, "secret_id") else {
        return Vec::new();
    };
    let enabled = match a.get("rotation_enabled") {
        Some(Value::Bool(b)) => json!(b),
        _ => json!(true),
    };
    vec![
        claim(owner, "RotationEnabled", enabled),
        claim(owner, "RotationLambdaARN", attr(a, "rotation_lambda_arn")),
        claim(owner, "RotationRules", rotation_rules(a)),
    ]
}

/// A value of the secret says only that the secret exists: its name is claimed, nothing of the
/// value (which the state reader has dropped already).
fn version(a: &Value) -> Vec<Claim> {
    let Some(owner) = text(a, "secret_id") else {
        return Vec::new();
    };
    let name = secret_name(owner).to_string();
    vec![claim(owner, "Name", Value::from(name))]
}
