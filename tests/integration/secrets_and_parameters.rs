//! Secrets Manager secrets and Parameter Store parameters against moto: a snapshot checks
//! clean; each compared attribute changed in the account is reported at its path; a secret
//! scheduled for deletion is modified (its `DeletedDate`); a deleted one is missing, a new one
//! unmanaged with its import block (a secret by its ARN); a secret another service owns (`!` in
//! its name) is neither; a Terraform state in sync and drifted.

use aws_sdk_secretsmanager::Client as Secrets;
use aws_sdk_ssm::types::{ParameterTier, ParameterType, Tag};
use aws_sdk_ssm::Client as Parameters;
use serde_json::{json, Value};

use crate::harness::{entry, Moto};

pub(crate) const KINDS: [&str; 4] = [
    "--kind",
    "aws_secretsmanager_secret",
    "--kind",
    "aws_ssm_parameter",
];

pub(crate) const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Backend","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/backend-exec"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}"#;

pub(crate) async fn clients(moto: &Moto) -> (Secrets, Parameters) {
    let conf = moto.sdk_config().await;
    (Secrets::new(&conf), Parameters::new(&conf))
}

/// Two secrets (one with a policy, key and tags), one secret RDS owns, and two parameters.
pub(crate) async fn seeded() -> (Moto, Secrets, Parameters) {
    let moto = Moto::start();
    let (sm, ssm) = clients(&moto).await;
    sm.create_secret()
        .name("prod/db-url")
        .description("the backend's database URL")
        .kms_key_id("alias/app")
        .secret_string("postgres://never-read")
        .tags(
            aws_sdk_secretsmanager::types::Tag::builder()
                .key("app")
                .value("backend")
                .build(),
        )
        .send()
        .await
        .unwrap();
    sm.put_resource_policy()
        .secret_id("prod/db-url")
        .resource_policy(POLICY)
        .send()
        .await
        .unwrap();
    sm.create_secret().name("old-token").send().await.unwrap();
    // moto accepts the `!` AWS keeps for the secrets services create (and has no OwningService).
    sm.create_secret()
        .name("rds!db-0a1b2c")
        .send()
        .await
        .unwrap();
    ssm.put_parameter()
        .name("/prod/db/host")
        .value("db.internal")
        .r#type(ParameterType::String)
        .tags(Tag::builder().key("app").value("backend").build().unwrap())
        .send()
        .await
        .unwrap();
    ssm.put_parameter()
        .name("api-key")
        .value("never-read")
        .r#type(ParameterType::SecureString)
        .description("the partner API key")
        .send()
        .await
        .unwrap();
    (moto, sm, ssm)
}

fn check(moto: &Moto, extra: &[&str], code: i32) -> Value {
    let mut args = vec!["check", "--no-checks", "--format", "json"];
    args.extend(extra);
    args.extend(KINDS);
    moto.driftwatch(&args).expect_code(code).json()
}

/// The paths of the changes of one resource.
fn paths(report: &Value, kind: &str, id: &str) -> Vec<String> {
    let e = entry(report, kind, id);
    assert_eq!(e["status"], "modified", "{e:#}");
    e["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_snapshot_checks_clean_and_every_compared_change_is_reported() {
    let (moto, sm, ssm) = seeded().await;
    let mut snap = vec!["snapshot"];
    snap.extend(KINDS);
    moto.driftwatch(&snap).expect_code(0);
    // A parameter id with `/` is one file, read back as the same id; an RDS secret is left out.
    assert!(moto
        .path("golden/aws_ssm_parameter/%2Fprod%2Fdb%2Fhost.json")
        .exists());
    assert!(moto
        .path("golden/aws_secretsmanager_secret/prod/db-url.json")
        .exists());
    assert!(!moto
        .path("golden/aws_secretsmanager_secret/rds%21db-0a1b2c.json")
        .exists());
    let clean = check(&moto, &[], 0);
    assert_eq!(clean["summary"]["in_sync"], 4, "{clean:#}");

    sm.update_secret()
        .secret_id("prod/db-url")
        .description("changed by hand")
        .kms_key_id("alias/other")
        .send()
        .await
        .unwrap();
    sm.tag_resource()
        .secret_id("prod/db-url")
        .tags(
            aws_sdk_secretsmanager::types::Tag::builder()
                .key("app")
                .value("worker")
                .build(),
        )
        .send()
        .await
        .unwrap();
    sm.put_resource_policy()
        .secret_id("prod/db-url")
        .resource_policy(POLICY.replace("backend-exec", "anyone"))
        .send()
        .await
        .unwrap();
    sm.delete_secret()
        .secret_id("old-token")
        .recovery_window_in_days(7)
        .send()
        .await
        .unwrap();
    ssm.put_parameter()
        .name("api-key")
        .value("never-read-2")
        .r#type(ParameterType::SecureString)
        .description("rotated by hand")
        .key_id("alias/custom")
        .allowed_pattern("^[a-z-]+$")
        .tier(ParameterTier::Advanced)
        .overwrite(true)
        .send()
        .await
        .unwrap();
    ssm.add_tags_to_resource()
        .resource_type(aws_sdk_ssm::types::ResourceTypeForTagging::Parameter)
        .resource_id("/prod/db/host")
        .tags(Tag::builder().key("app").value("worker").build().unwrap())
        .send()
        .await
        .unwrap();

    let report = check(&moto, &[], 1);
    let secret = paths(&report, "aws_secretsmanager_secret", "prod/db-url");
    for p in [
        "/Description",
        "/KmsKeyId",
        "/Tags/app",
        "/ResourcePolicy/Statement/0/Principal/AWS/0",
    ] {
        assert!(secret.iter().any(|s| s == p), "{p} not in {secret:?}");
    }
    // Scheduled for deletion: still listed, and drift against a reference without a date.
    let gone = entry(&report, "aws_secretsmanager_secret", "old-token");
    assert_eq!(gone["status"], "modified", "{gone:#}");
    let change = &gone["changes"][0];
    assert_eq!(change["path"], "/DeletedDate", "{gone:#}");
    assert_eq!(change["op"], "added");
    assert!(
        change["actual"].as_str().unwrap().ends_with('Z'),
        "{gone:#}"
    );
    let key = paths(&report, "aws_ssm_parameter", "api-key");
    for p in ["/Description", "/KeyId", "/AllowedPattern", "/Tier"] {
        assert!(key.iter().any(|s| s == p), "{p} not in {key:?}");
    }
    assert_eq!(
        paths(&report, "aws_ssm_parameter", "/prod/db/host"),
        ["/Tags/app"]
    );
    let text = report.to_string();
    assert!(
        !text.contains("never-read"),
        "a value in the report: {text}"
    );
    assert!(!text.contains("rds!db"), "{text}");

    // Gone for good and new ones.
    sm.delete_secret()
        .secret_id("old-token")
        .force_delete_without_recovery(true)
        .send()
        .await
        .unwrap();
    ssm.delete_parameter()
        .name("/prod/db/host")
        .send()
        .await
        .unwrap();
    sm.create_secret()
        .name("made-by-hand")
        .send()
        .await
        .unwrap();
    ssm.put_parameter()
        .name("/made/by/hand")
        .value("x")
        .r#type(ParameterType::String)
        .send()
        .await
        .unwrap();
    let report = check(&moto, &[], 1);
    for (kind, id, status) in [
        ("aws_secretsmanager_secret", "old-token", "missing"),
        ("aws_ssm_parameter", "/prod/db/host", "missing"),
        ("aws_secretsmanager_secret", "made-by-hand", "unmanaged"),
        ("aws_ssm_parameter", "/made/by/hand", "unmanaged"),
    ] {
        assert_eq!(entry(&report, kind, id)["status"], status, "{kind} {id}");
    }
}

/// The ARN moto gave a secret.
pub(crate) async fn arn_of(sm: &Secrets, name: &str) -> String {
    let d = sm.describe_secret().secret_id(name).send().await.unwrap();
    d.arn().unwrap().to_string()
}

/// A provider 5.x state of what [`seeded`] made (the RDS secret aside), with `value` and
/// `secret_string` holding `value`.
pub(crate) async fn state(sm: &Secrets, value: &str) -> Value {
    let arn = arn_of(sm, "prod/db-url").await;
    let token = arn_of(sm, "old-token").await;
    let res = |ty: &str, name: &str, attributes: Value, sensitive: &[&str]| {
        let marks: Vec<Value> = sensitive
            .iter()
            .map(|a| json!([{"type": "get_attr", "value": a}]))
            .collect();
        json!({"mode": "managed", "type": ty, "name": name,
            "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
            "instances": [{"schema_version": 0, "attributes": attributes,
                "sensitive_attributes": marks}]})
    };
    json!({"version": 4, "terraform_version": "1.9.5", "serial": 1, "lineage": "secrets",
        "outputs": {}, "resources": [
        res("aws_secretsmanager_secret", "db_url", json!({"arn": arn, "id": arn,
            "name": "prod/db-url", "name_prefix": "", "description": "the backend's database URL",
            "kms_key_id": "alias/app", "policy": "", "recovery_window_in_days": 30,
            "force_overwrite_replica_secret": false, "replica": [],
            "tags": {"app": "backend"}, "tags_all": {"app": "backend"}}), &[]),
        res("aws_secretsmanager_secret_policy", "db_url", json!({"id": arn, "secret_arn": arn,
            "policy": POLICY, "block_public_policy": true}), &[]),
        res("aws_secretsmanager_secret_version", "db_url", json!({"arn": arn,
            "id": format!("{arn}|v1"), "secret_id": arn, "secret_string": value,
            "secret_binary": value, "version_id": "v1", "version_stages": ["AWSCURRENT"]}),
            &["secret_string", "secret_binary"]),
        res("aws_secretsmanager_secret", "token", json!({"arn": token, "id": token,
            "name": "old-token", "description": "", "kms_key_id": "", "policy": "",
            "recovery_window_in_days": 30, "tags": {}, "tags_all": {}}), &[]),
        res("aws_ssm_parameter", "db_host", json!({"id": "/prod/db/host",
            "arn": "arn:aws:ssm:us-east-1:123456789012:parameter/prod/db/host",
            "name": "/prod/db/host", "type": "String", "tier": "Standard", "data_type": "text",
            "description": "", "key_id": "", "allowed_pattern": "", "overwrite": null,
            "version": 1, "value": value, "insecure_value": value,
            "tags": {"app": "backend"}, "tags_all": {"app": "backend"}}), &["value"]),
        res("aws_ssm_parameter", "api_key", json!({"id": "api-key",
            "arn": "arn:aws:ssm:us-east-1:123456789012:parameter/api-key",
            "name": "api-key", "type": "SecureString", "tier": "Standard", "data_type": "text",
            "description": "the partner API key", "key_id": "alias/aws/ssm",
            "allowed_pattern": "", "overwrite": null, "version": 1, "value": value,
            "insecure_value": null, "tags": {}, "tags_all": {}}), &["value"]),
    ]})
}

#[tokio::test]
async fn a_terraform_state_in_sync_then_drifted_and_what_it_does_not_describe() {
    let (moto, sm, ssm) = seeded().await;
    let state = state(&sm, "state-value").await;
    std::fs::write(moto.path("prod.tfstate"), state.to_string()).unwrap();
    let report = check(&moto, &["--state", "prod.tfstate"], 0);
    assert_eq!(report["summary"]["in_sync"], 4, "{report:#}");
    assert!(
        report
            .get("not_checked")
            .is_none_or(|n| n.as_array().unwrap().is_empty()),
        "{report:#}"
    );

    sm.update_secret()
        .secret_id("prod/db-url")
        .description("changed by hand")
        .send()
        .await
        .unwrap();
    sm.delete_secret()
        .secret_id("old-token")
        .recovery_window_in_days(7)
        .send()
        .await
        .unwrap();
    ssm.put_parameter()
        .name("api-key")
        .value("v2")
        .r#type(ParameterType::SecureString)
        .description("rotated by hand")
        .overwrite(true)
        .send()
        .await
        .unwrap();
    sm.create_secret()
        .name("made-by-hand")
        .send()
        .await
        .unwrap();
    let report = check(
        &moto,
        &[
            "--state",
            "prod.tfstate",
            "--report",
            "terraform-import=imports.tf",
        ],
        1,
    );
    assert_eq!(
        paths(&report, "aws_secretsmanager_secret", "prod/db-url"),
        ["/Description"]
    );
    assert_eq!(
        paths(&report, "aws_secretsmanager_secret", "old-token"),
        ["/DeletedDate"]
    );
    assert_eq!(
        paths(&report, "aws_ssm_parameter", "api-key"),
        ["/Description"]
    );
    let hand = entry(&report, "aws_secretsmanager_secret", "made-by-hand");
    assert_eq!(hand["status"], "unmanaged");
    let imports = std::fs::read_to_string(moto.path("imports.tf")).unwrap();
    let arn = arn_of(&sm, "made-by-hand").await;
    assert!(
        imports.contains(&format!(
            "import {{\n  to = aws_secretsmanager_secret.made_by_hand\n  id = \"{arn}\"\n}}"
        )),
        "{imports}"
    );
    // The secret RDS owns is neither unmanaged nor imported.
    assert!(!report.to_string().contains("rds!db"), "{report:#}");
    assert!(!imports.contains("rds!db"), "{imports}");
    assert!(!report.to_string().contains("state-value"), "{report:#}");
}
