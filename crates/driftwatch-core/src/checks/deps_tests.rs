//! `image-reference`, `log-reference`, `secret-reference` and what `env-reference` learnt of
//! them: a consistent stack has no finding, and one break each gives exactly that finding.

use serde_json::{json, Value};

use super::*;
use crate::model::{Identity, Origin, Resource};

const ACCOUNT: &str = "123456789012";
const IMAGE: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:3f2c1a9";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-url-Q1w2E3";
const EXEC: &str = "arn:aws:iam::123456789012:role/app-execution";

fn allow(action: &str, resource: &str) -> Value {
    json!({"Effect": "Allow", "Action": [action], "Resource": [resource]})
}

/// The execution role's policy: what the ECS agent needs for the stack below.
fn exec_policy() -> Value {
    json!({"Version": "2012-10-17", "Statement": [
        allow("ecr:GetAuthorizationToken", "*"),
        json!({"Effect": "Allow", "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
               "Resource": ["arn:aws:ecr:us-east-1:123456789012:repository/app"]}),
        json!({"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
               "Resource": ["arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app:*"]}),
        allow("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-url-*"),
        allow("ssm:GetParameters", "arn:aws:ssm:us-east-1:123456789012:parameter/app/sentry"),
        allow("kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    ]})
}

fn resource(doc: Value) -> Resource {
    Resource {
        document: doc,
        origin: Origin("test".into()),
        scope: Default::default(),
    }
}

/// A task definition whose container runs an ECR image, logs to CloudWatch and reads a secret
/// and a parameter, with everything it names, as the account holds it.
fn stack() -> (Inventory, Extras) {
    let mut inv = Inventory::new("the account (us-east-1)", Kind::ALL);
    let task = json!({
        "family": "app",
        "executionRoleArn": EXEC,
        "containerDefinitions": {"app": {
            "image": IMAGE,
            "logConfiguration": {"logDriver": "awslogs", "options": {
                "awslogs-group": "/ecs/app", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "app"}},
            "secrets": {"DATABASE_URL": SECRET, "SENTRY_DSN": "/app/sentry"},
        }},
    });
    inv.insert(Kind::EcsTaskDefinition, "app".into(), resource(task));
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": ["ecs-tasks.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}]});
    let role = json!({"RoleName": "app-execution", "AssumeRolePolicyDocument": trust,
        "RolePolicyList": {"pull-log-read": exec_policy()}});
    inv.insert(Kind::IamRole, "app-execution".into(), resource(role));
    inv.insert(
        Kind::EcrRepository,
        "app".into(),
        resource(json!({"repositoryName": "app"})),
    );
    let group = json!({"logGroupName": "/ecs/app", "retentionInDays": 30});
    inv.insert(Kind::CloudwatchLogGroup, "/ecs/app".into(), resource(group));
    let secret = json!({"Name": "prod/db-url", "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"});
    inv.insert(
        Kind::SecretsmanagerSecret,
        "prod/db-url".into(),
        resource(secret),
    );
    let param = json!({"Name": "/app/sentry", "Type": "SecureString"});
    inv.insert(Kind::SsmParameter, "/app/sentry".into(), resource(param));
    let mut images = Images::default();
    images.held.insert(("app".into(), "3f2c1a9".into()), true);
    let extras = Extras {
        identity: Some(Identity {
            account: ACCOUNT.into(),
            partition: "aws".into(),
            region: "us-east-1".into(),
        }),
        images: Some(images),
        ..Extras::default()
    };
    (inv, extras)
}

fn doc<'a>(inv: &'a mut Inventory, kind: Kind, id: &str) -> &'a mut Value {
    &mut inv
        .resources
        .get_mut(&(kind, id.to_string()))
        .unwrap()
        .document
}

fn task(inv: &mut Inventory) -> &mut Value {
    &mut doc(inv, Kind::EcsTaskDefinition, "app")["containerDefinitions"]["app"]
}

/// `(check, severity, subject, message)` of each finding.
fn findings(inv: &Inventory, extras: &Extras) -> Vec<(CheckId, Severity, String, String)> {
    run(inv, extras, &Options::default())
        .findings
        .into_iter()
        .map(|f| (f.check, f.severity, f.subject, f.message))
        .collect()
}

fn only(inv: &Inventory, extras: &Extras) -> (CheckId, Severity, String, String) {
    let mut f = findings(inv, extras);
    assert_eq!(f.len(), 1, "{f:#?}");
    f.remove(0)
}

#[test]
fn a_consistent_stack_has_no_finding_and_every_reference_is_judged() {
    let (inv, extras) = stack();
    let outcome = run(&inv, &extras, &Options::default());
    assert_eq!(outcome.findings, vec![]);
    assert_eq!(outcome.not_judged, vec![]);
    for check in [
        CheckId::ImageReference,
        CheckId::LogReference,
        CheckId::SecretReference,
    ] {
        assert!(
            outcome.judged.iter().any(|(c, _, _)| *c == check),
            "{check}"
        );
    }
}

#[test]
fn an_image_whose_repository_or_tag_does_not_exist_is_a_finding() {
    let (mut inv, mut extras) = stack();
    extras
        .images
        .as_mut()
        .unwrap()
        .held
        .insert(("app".into(), "3f2c1a9".into()), false);
    let (check, severity, subject, message) = only(&inv, &extras);
    assert_eq!(
        (check, severity, subject.as_str()),
        (CheckId::ImageReference, Severity::Error, IMAGE)
    );
    assert!(
        message.contains("holds no image with tag 3f2c1a9"),
        "{message}"
    );

    inv.resources
        .remove(&(Kind::EcrRepository, "app".to_string()));
    let (check, _, _, message) = only(&inv, &extras);
    assert_eq!(check, CheckId::ImageReference);
    assert!(
        message.contains("from repository app, which does not exist"),
        "{message}"
    );
}

#[test]
fn offline_an_image_tag_is_not_judged_and_other_registries_are_counted_once() {
    let (mut inv, mut extras) = stack();
    extras.images = None;
    let outcome = run(&inv, &extras, &Options::default());
    assert_eq!(outcome.findings, vec![]);
    let tags: Vec<_> = outcome
        .not_judged
        .iter()
        .filter(|n| n.check == CheckId::ImageReference)
        .collect();
    assert_eq!(tags.len(), 1, "{tags:#?}");
    assert_eq!(tags[0].reason, Reason::NotDescribed);

    let sidecar = json!({"image": "public.ecr.aws/nginx/nginx:1.27"});
    let containers = doc(&mut inv, Kind::EcsTaskDefinition, "app")["containerDefinitions"]
        .as_object_mut()
        .unwrap();
    containers.insert("proxy".into(), sidecar.clone());
    containers.insert("proxy2".into(), sidecar);
    let outcome = run(&inv, &extras, &Options::default());
    let other: Vec<_> = outcome
        .not_judged
        .iter()
        .filter(|n| n.reason == Reason::OtherRegistry)
        .collect();
    assert_eq!(other.len(), 1, "{other:#?}");
}

#[test]
fn an_execution_role_that_may_not_pull_is_a_finding() {
    let (mut inv, extras) = stack();
    let statements = doc(&mut inv, Kind::IamRole, "app-execution")["RolePolicyList"]
        ["pull-log-read"]["Statement"]
        .as_array_mut()
        .unwrap();
    statements.remove(1);
    let (check, severity, _, message) = only(&inv, &extras);
    assert_eq!(
        (check, severity),
        (CheckId::ImageReference, Severity::Error)
    );
    assert!(
        message.contains(
            "ecr:BatchGetImage and ecr:GetDownloadUrlForLayer on arn:aws:ecr:us-east-1:123456789012:repository/app: no statement allows it"
        ),
        "{message}"
    );
}

#[test]
fn a_log_group_missing_deleted_or_never_expiring() {
    let (mut inv, extras) = stack();
    doc(&mut inv, Kind::CloudwatchLogGroup, "/ecs/app")
        .as_object_mut()
        .unwrap()
        .remove("retentionInDays");
    let (check, severity, subject, message) = only(&inv, &extras);
    assert_eq!(
        (check, severity, subject.as_str()),
        (CheckId::LogReference, Severity::Warning, "/ecs/app")
    );
    assert!(message.contains("never expires"), "{message}");

    inv.resources
        .remove(&(Kind::CloudwatchLogGroup, "/ecs/app".to_string()));
    let (check, severity, _, message) = only(&inv, &extras);
    assert_eq!((check, severity), (CheckId::LogReference, Severity::Error));
    assert!(message.contains("which does not exist"), "{message}");

    // awslogs-create-group: the agent creates it, if the role may.
    task(&mut inv)["logConfiguration"]["options"]["awslogs-create-group"] = json!("true");
    let (check, _, _, message) = only(&inv, &extras);
    assert_eq!(check, CheckId::LogReference);
    assert!(message.contains("logs:CreateLogGroup"), "{message}");
    let statements = doc(&mut inv, Kind::IamRole, "app-execution")["RolePolicyList"]
        ["pull-log-read"]["Statement"]
        .as_array_mut()
        .unwrap();
    statements.push(allow(
        "logs:CreateLogGroup",
        "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/*",
    ));
    assert_eq!(findings(&inv, &extras), vec![]);
}

#[test]
fn a_log_group_of_another_region_is_not_judged() {
    let (mut inv, extras) = stack();
    task(&mut inv)["logConfiguration"]["options"]["awslogs-region"] = json!("eu-west-1");
    let outcome = run(&inv, &extras, &Options::default());
    let logs: Vec<_> = outcome
        .not_judged
        .iter()
        .filter(|n| n.check == CheckId::LogReference)
        .collect();
    assert_eq!(logs.len(), 1, "{:#?}", outcome);
    assert_eq!(logs[0].reason, Reason::OtherRegion);
}

#[test]
fn a_secret_missing_scheduled_for_deletion_or_unreadable_is_a_finding() {
    let (mut inv, extras) = stack();
    doc(&mut inv, Kind::SecretsmanagerSecret, "prod/db-url")["DeletedDate"] =
        json!("2026-12-01T00:00:00Z");
    let (check, _, subject, message) = only(&inv, &extras);
    assert_eq!(
        (check, subject.as_str()),
        (CheckId::SecretReference, SECRET)
    );
    assert!(message.contains("scheduled for deletion"), "{message}");

    doc(&mut inv, Kind::SecretsmanagerSecret, "prod/db-url")
        .as_object_mut()
        .unwrap()
        .remove("DeletedDate");
    let statements = doc(&mut inv, Kind::IamRole, "app-execution")["RolePolicyList"]
        ["pull-log-read"]["Statement"]
        .as_array_mut()
        .unwrap();
    statements.pop(); // kms:Decrypt
    let (check, _, _, message) = only(&inv, &extras);
    assert_eq!(check, CheckId::SecretReference);
    assert!(message.contains("kms:Decrypt"), "{message}");

    inv.resources
        .remove(&(Kind::SecretsmanagerSecret, "prod/db-url".to_string()));
    let (check, _, _, message) = only(&inv, &extras);
    assert_eq!(check, CheckId::SecretReference);
    assert!(
        message.contains("reads secret prod/db-url-Q1w2E3, which does not exist"),
        "{message}"
    );
}

#[test]
fn a_parameter_missing_or_unreadable_is_a_finding() {
    let (mut inv, extras) = stack();
    let statements = doc(&mut inv, Kind::IamRole, "app-execution")["RolePolicyList"]
        ["pull-log-read"]["Statement"]
        .as_array_mut()
        .unwrap();
    statements.remove(4); // ssm:GetParameters
    let (check, _, subject, message) = only(&inv, &extras);
    assert_eq!(
        (check, subject.as_str()),
        (CheckId::SecretReference, "/app/sentry")
    );
    assert!(
        message.contains(
            "ssm:GetParameters on arn:aws:ssm:us-east-1:123456789012:parameter/app/sentry"
        ),
        "{message}"
    );

    inv.resources
        .remove(&(Kind::SsmParameter, "/app/sentry".to_string()));
    let (_, _, _, message) = only(&inv, &extras);
    assert!(
        message.contains("reads parameter /app/sentry, which does not exist"),
        "{message}"
    );
}

#[test]
fn another_services_secret_is_found_live_and_not_judged_offline() {
    let (mut inv, mut extras) = stack();
    let rds = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-aBcDeF";
    task(&mut inv)["secrets"]["DB_PASSWORD"] = json!(rds);
    statement_for_rds(&mut inv);
    let owned = json!({"Name": "rds!db-0a1b2c3d", "OwningService": "rds"});
    inv.aws_owned.insert(
        (Kind::SecretsmanagerSecret, "rds!db-0a1b2c3d".into()),
        resource(owned),
    );
    assert_eq!(findings(&inv, &extras), vec![]);

    inv.aws_owned.clear();
    extras.images = None;
    let outcome = run(&inv, &extras, &Options::default());
    assert_eq!(outcome.findings, vec![]);
    assert!(outcome
        .not_judged
        .iter()
        .any(|n| n.subject == rds && n.reason == Reason::NotDescribed));
}

fn statement_for_rds(inv: &mut Inventory) {
    let statements = doc(inv, Kind::IamRole, "app-execution")["RolePolicyList"]["pull-log-read"]
        ["Statement"]
        .as_array_mut()
        .unwrap();
    statements.push(allow(
        "secretsmanager:GetSecretValue",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!*",
    ));
}

#[test]
fn an_environment_value_naming_a_dependency_that_does_not_exist_is_an_env_reference_finding() {
    let (mut inv, extras) = stack();
    task(&mut inv)["environment"] = json!({
        "LOG_GROUP": "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/gone:*",
        "REPO": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app",
        "SECRET": SECRET,
    });
    let (check, _, subject, message) = only(&inv, &extras);
    assert_eq!(check, CheckId::EnvReference);
    assert_eq!(
        subject,
        "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/gone:*"
    );
    assert!(
        message.contains("names log group /ecs/gone, which does not exist"),
        "{message}"
    );
}

#[test]
fn the_image_of_a_revision_a_service_still_runs_is_judged_on_the_service() {
    let (mut inv, mut extras) = stack();
    let service = json!({"taskDefinition": "app:1", "latestActiveTaskDefinition": "app:2"});
    inv.insert(Kind::EcsService, "main/app".into(), resource(service));
    assert_eq!(
        stale_service_revisions(&inv),
        vec![("main/app".to_string(), "app:1".to_string())]
    );
    let old = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:0ld";
    let mut revision = inv.resources[&(Kind::EcsTaskDefinition, "app".to_string())]
        .document
        .clone();
    revision["containerDefinitions"]["app"]["image"] = json!(old);
    extras
        .service_revisions
        .read
        .insert("main/app".into(), revision);
    let wanted = images_wanted(&inv, &extras.service_revisions.read, &Place::default());
    assert_eq!(wanted["app"].len(), 2, "{wanted:?}");
    extras
        .images
        .as_mut()
        .unwrap()
        .held
        .insert(("app".into(), "0ld".into()), false);
    let f = run(&inv, &extras, &Options::default()).findings;
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        (f[0].kind, f[0].id.as_str(), f[0].subject.as_str()),
        (Kind::EcsService, "main/app", old)
    );
}

#[test]
fn the_logs_and_secrets_of_a_revision_a_service_still_runs_are_judged_on_the_service() {
    let (mut inv, mut extras) = stack();
    let mut revision = inv.resources[&(Kind::EcsTaskDefinition, "app".to_string())]
        .document
        .clone();
    revision["containerDefinitions"]["app"]["logConfiguration"]["options"]["awslogs-group"] =
        json!("/ecs/app-old");
    revision["containerDefinitions"]["app"]["secrets"]["OLD"] = json!("/app/old");
    extras
        .service_revisions
        .read
        .insert("main/app".into(), revision);
    let mut f: Vec<(CheckId, Kind, String, String)> = run(&inv, &extras, &Options::default())
        .findings
        .into_iter()
        .map(|f| (f.check, f.kind, f.id, f.subject))
        .collect();
    f.sort();
    assert_eq!(
        f,
        vec![
            (
                CheckId::LogReference,
                Kind::EcsService,
                "main/app".into(),
                "/ecs/app-old".into()
            ),
            (
                CheckId::SecretReference,
                Kind::EcsService,
                "main/app".into(),
                "/app/old".into()
            ),
        ]
    );
    // The service's revision is the one it runs: nothing of it is judged on the family.
    inv.resources
        .remove(&(Kind::EcsTaskDefinition, "app".to_string()));
    assert!(run(&inv, &extras, &Options::default())
        .findings
        .iter()
        .all(|f| f.kind == Kind::EcsService));
}

#[test]
fn a_secret_named_by_a_partial_arn_that_no_statement_allows_is_not_judged() {
    let (mut inv, extras) = stack();
    let partial = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-url";
    task(&mut inv)["secrets"]["DATABASE_URL"] = json!(partial);
    let statements = doc(&mut inv, Kind::IamRole, "app-execution")["RolePolicyList"]
        ["pull-log-read"]["Statement"]
        .as_array_mut()
        .unwrap();
    statements.remove(3); // secretsmanager:GetSecretValue on prod/db-url-*
    let outcome = run(&inv, &extras, &Options::default());
    assert_eq!(outcome.findings, vec![]);
    let n: Vec<_> = outcome
        .not_judged
        .iter()
        .filter(|n| n.subject == partial)
        .collect();
    assert_eq!(n.len(), 1, "{outcome:#?}");
    assert_eq!(n[0].reason, Reason::NotDescribed);
    assert!(
        n[0].message.contains("by a partial ARN"),
        "{}",
        n[0].message
    );

    // An explicit deny stands whatever the reference leaves out.
    let statements = doc(&mut inv, Kind::IamRole, "app-execution")["RolePolicyList"]
        ["pull-log-read"]["Statement"]
        .as_array_mut()
        .unwrap();
    statements.push(json!({"Effect": "Deny", "Action": ["secretsmanager:*"], "Resource": ["*"]}));
    let f = run(&inv, &extras, &Options::default()).findings;
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].check, CheckId::SecretReference);
}

#[test]
fn a_revision_a_service_runs_that_could_not_be_read_is_said_not_judged_by_each_check() {
    let (inv, mut extras) = stack();
    let why = "ecs:DescribeTaskDefinition failed: throttled".to_string();
    extras
        .service_revisions
        .unread
        .insert("main/app".into(), ("app:1".into(), why));
    let outcome = run(&inv, &extras, &Options::default());
    assert_eq!(outcome.findings, vec![]);
    let checks: Vec<CheckId> = outcome
        .not_judged
        .iter()
        .filter(|n| {
            n.kind == Kind::EcsService && n.subject == "app:1" && n.reason == Reason::NotRead
        })
        .map(|n| n.check)
        .collect();
    assert_eq!(
        checks,
        [
            CheckId::ImageReference,
            CheckId::LogReference,
            CheckId::SecretReference,
            CheckId::DbReference
        ]
    );
}
