//! Values of secrets a state holds in clear (`aws_secretsmanager_secret_version.secret_string`,
//! `aws_ssm_parameter.value`, …): dropped from an instance as soon as it is read, before
//! anything maps, compares, logs or stores it. Which attributes they are is the kinds' tables'
//! say (`not_compared` with the reason `SECRET_VALUE`), so a kind declares its own. Pure.

use std::sync::OnceLock;

use serde_json::Value;

use super::map::schema::SECRET_VALUE;
use super::state::Instance;
use crate::kinds;

/// `(Terraform type, its attributes holding a secret value)`, worked out once.
fn table() -> &'static [(&'static str, Vec<&'static str>)] {
    static TABLE: OnceLock<Vec<(&'static str, Vec<&'static str>)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        kinds::terraform_types()
            .map(|t| {
                let secret = t
                    .not_compared
                    .iter()
                    .filter(|(_, why)| *why == SECRET_VALUE)
                    .map(|(name, _)| *name)
                    .collect::<Vec<_>>();
                (t.name, secret)
            })
            .filter(|(_, secret)| !secret.is_empty())
            .collect()
    })
}

/// A write-only argument (`password_wo`, `secret_string_wo`, of any type): Terraform ≥ 1.11
/// does not store its value, but a state written otherwise (by hand, by another tool) may, and
/// nothing about it is ever compared. Its `_wo_version` companion is a number, not a secret.
fn is_write_only(attribute: &str) -> bool {
    attribute.ends_with("_wo")
}

/// `i` without the values of secrets its type holds, and without the sensitive marks on them
/// (nothing is left for them to mark).
pub(crate) fn dropped(mut i: Instance) -> Instance {
    let listed = table().iter().find(|(t, _)| *t == i.r#type);
    let secret: &[&str] = listed.map_or(&[], |(_, s)| s.as_slice());
    let write_only = |a: &serde_json::Map<String, Value>| -> Vec<String> {
        a.keys().filter(|k| is_write_only(k)).cloned().collect()
    };
    let extra = match &i.attributes {
        Value::Object(a) => write_only(a),
        _ => Vec::new(),
    };
    if secret.is_empty() && extra.is_empty() {
        return i;
    }
    let names = || {
        secret
            .iter()
            .copied()
            .chain(extra.iter().map(String::as_str))
    };
    if let Value::Object(a) = &mut i.attributes {
        for name in names() {
            a.remove(name);
        }
    }
    if let Some(Value::Object(marks)) = &mut i.sensitive {
        for name in names() {
            marks.remove(name);
        }
        if marks
            .values()
            .all(|m| m.is_null() || m == &Value::Bool(false))
        {
            i.sensitive = None;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::terraform::state::parse;

    const MARKER: &str = "MARKER-9f2c-secret-value";

    /// Every state form, each with the secret-bearing attributes of both types.
    #[test]
    fn secret_values_are_gone_from_every_state_form() {
        let version = json!({"secret_id": "arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf",
            "secret_string": MARKER, "secret_binary": MARKER, "version_id": "v1"});
        let parameter = json!({"name": "/app/db", "type": "SecureString", "value": MARKER,
            "insecure_value": MARKER});
        let v4 = json!({"version": 4, "resources": [
            {"mode": "managed", "type": "aws_secretsmanager_secret_version", "name": "v",
             "instances": [{"attributes": version.clone(),
                "sensitive_attributes": [[{"type": "get_attr", "value": "secret_string"}]]}]},
            {"mode": "managed", "type": "aws_ssm_parameter", "name": "p",
             "instances": [{"attributes": parameter.clone()}]},
            {"mode": "managed", "type": "aws_ssm_parameter", "name": "flat",
             "instances": [{"attributes_flat": {"name": "/flat", "type": "String",
                "value": MARKER}}]}]});
        let show = json!({"format_version": "1.0", "values": {"root_module": {"resources": [
            {"address": "aws_ssm_parameter.p", "mode": "managed", "type": "aws_ssm_parameter",
             "values": parameter, "sensitive_values": {"value": true, "insecure_value": true}},
            {"address": "aws_secretsmanager_secret_version.v", "mode": "managed",
             "type": "aws_secretsmanager_secret_version", "values": version}]}}});
        let v3 = json!({"version": 3, "modules": [{"path": ["root"], "resources": {
            "aws_ssm_parameter.p": {"type": "aws_ssm_parameter", "primary": {"id": "/app/db",
                "attributes": {"name": "/app/db", "type": "String", "value": MARKER}}}}}]});
        for state in [v4, show, v3] {
            let instances = parse(state).unwrap();
            assert!(!instances.is_empty());
            for i in instances {
                let text = format!("{i:?}");
                assert!(!text.contains(MARKER), "{text}");
                assert!(i.sensitive.is_none(), "{text}");
            }
        }
    }

    /// A write-only value of any type, listed in no table, is gone too; its version is kept.
    #[test]
    fn every_write_only_value_is_gone() {
        let v4 = json!({"version": 4, "resources": [
            {"mode": "managed", "type": "aws_docdb_cluster", "name": "d",
             "instances": [{"attributes": {"cluster_identifier": "d",
                "master_password_wo": MARKER, "master_password_wo_version": 2},
                "sensitive_attributes": [[{"type": "get_attr", "value": "master_password_wo"}]]}]}]});
        let instances = parse(v4).unwrap();
        assert_eq!(instances.len(), 1);
        let text = format!("{:?}", instances[0]);
        assert!(!text.contains(MARKER), "{text}");
        assert_eq!(instances[0].attributes["master_password_wo_version"], 2);
    }

    /// The database passwords (`password`, `master_password` and their write-only `*_wo`
    /// forms, which Terraform ≥ 1.11 does not store but a state may still name) are gone from
    /// every state form: v4, `terraform show -json`, a plan's `prior_state`, and v3 flatmap.
    #[test]
    fn database_passwords_are_gone_from_every_state_form() {
        let instance = json!({"identifier": "app", "engine": "postgres", "password": MARKER,
            "password_wo": MARKER, "username": "app"});
        let cluster = json!({"cluster_identifier": "aur", "engine": "aurora-postgresql",
            "master_password": MARKER, "master_password_wo": MARKER});
        let v4 = json!({"version": 4, "resources": [
            {"mode": "managed", "type": "aws_db_instance", "name": "app",
             "instances": [{"attributes": instance.clone(),
                "sensitive_attributes": [[{"type": "get_attr", "value": "password"}]]}]},
            {"mode": "managed", "type": "aws_rds_cluster", "name": "aur",
             "instances": [{"attributes": cluster.clone()}]},
            {"mode": "managed", "type": "aws_db_instance", "name": "flat",
             "instances": [{"attributes_flat": {"identifier": "flat", "password": MARKER}}]}]});
        let values = json!({"root_module": {"resources": [
            {"address": "aws_db_instance.app", "mode": "managed", "type": "aws_db_instance",
             "values": instance, "sensitive_values": {"password": true}},
            {"address": "aws_rds_cluster.aur", "mode": "managed", "type": "aws_rds_cluster",
             "values": cluster, "sensitive_values": {"master_password": true}}]}});
        let show = json!({"format_version": "1.0", "values": values.clone()});
        let plan = json!({"format_version": "1.2", "prior_state": show.clone(),
            "planned_values": values, "configuration": {}});
        let v3 = json!({"version": 3, "modules": [{"path": ["root"], "resources": {
            "aws_db_instance.app": {"type": "aws_db_instance", "primary": {"id": "app",
                "attributes": {"identifier": "app", "password": MARKER}}},
            "aws_rds_cluster.aur": {"type": "aws_rds_cluster", "primary": {"id": "aur",
                "attributes": {"cluster_identifier": "aur", "master_password": MARKER}}}}}]});
        for state in [v4, show, plan, v3] {
            let instances = parse(state).unwrap();
            assert!(instances.len() >= 2);
            for i in instances {
                let text = format!("{i:?}");
                assert!(!text.contains(MARKER), "{text}");
                assert!(i.sensitive.is_none(), "{text}");
            }
        }
    }
}
