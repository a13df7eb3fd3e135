//! The checks over the committed demo golden folder (consistent) and one break at a time.

use std::path::Path;

use serde_json::{json, Value};

use super::*;
use crate::model::{Origin, Resource};
use crate::normalize::{normalize, Redaction};

/// The committed demo golden folder as an inventory (its ids are plain file names but for
/// `%2F`, so the folder is read here without the binary's golden reader), with the account it records.
fn demo() -> (Inventory, Extras) {
    let dir = Path::new(repo!()).join("golden");
    let mut inv = Inventory::new("golden", Kind::ALL);
    for &kind in Kind::ALL {
        let root = dir.join(kind.as_str());
        // A kind the demo has none of (clusters) has no folder.
        let mut stack: Vec<_> = root.exists().then(|| root.clone()).into_iter().collect();
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let rel = path.strip_prefix(&root).unwrap().to_string_lossy();
                // A log group's `/ecs/…` is stored `%2Fecs%2F…` (the binary's golden names).
                let id = rel.trim_end_matches(".json").replace("%2F", "/");
                let doc: Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                let resource = Resource {
                    document: normalize(kind, doc, &Redaction::default()),
                    origin: Origin(path.display().to_string()),
                    scope: Default::default(),
                };
                inv.insert(kind, id, resource);
            }
        }
    }
    let record: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("source.json")).unwrap()).unwrap();
    let text = |k: &str| record[k].as_str().unwrap().to_string();
    let identity = crate::model::Identity {
        account: text("account"),
        partition: text("partition"),
        region: text("region"),
    };
    (
        inv,
        Extras {
            identity: Some(identity),
            ..Extras::default()
        },
    )
}

fn doc_mut<'a>(inv: &'a mut Inventory, kind: Kind, id: &str) -> &'a mut Value {
    &mut inv
        .resources
        .get_mut(&(kind, id.to_string()))
        .unwrap()
        .document
}

fn checks(inv: &Inventory, extras: &Extras) -> Vec<(CheckId, Severity, String, String)> {
    run(inv, extras, &Options::default())
        .findings
        .into_iter()
        .map(|f| (f.check, f.severity, f.id, f.subject))
        .collect()
}

const QUEUE_ARN: &str = "arn:aws:sqs:us-east-1:123456789012:prod-retainwise-predictions-queue";
const BACKEND_TASK: &str = "arn:aws:iam::123456789012:role/retainwise-backend-task";

#[test]
fn the_committed_demo_golden_folder_is_consistent() {
    let (inv, extras) = demo();
    assert_eq!(checks(&inv, &extras), vec![]);
}

#[test]
fn env_reference_names_the_missing_queue() {
    let (mut inv, extras) = demo();
    let url = "https://sqs.us-east-1.amazonaws.com/123456789012/prod-retainwise-gone";
    doc_mut(&mut inv, Kind::EcsTaskDefinition, "retainwise-worker")["containerDefinitions"]
        ["worker"]["environment"]["OTHER_QUEUE_URL"] = json!(url);
    let found = run(&inv, &extras, &Options::default()).findings;
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].check, CheckId::EnvReference);
    assert_eq!(found[0].subject, url);
    assert_eq!(
        found[0].message,
        "environment OTHER_QUEUE_URL of container worker names queue prod-retainwise-gone, which does not exist"
    );
    // Another account's queue is not judged.
    doc_mut(&mut inv, Kind::EcsTaskDefinition, "retainwise-worker")["containerDefinitions"]
        ["worker"]["environment"]["OTHER_QUEUE_URL"] =
        json!("https://sqs.us-east-1.amazonaws.com/999999999999/prod-retainwise-gone");
    assert_eq!(checks(&inv, &extras), vec![]);
}

#[test]
fn task_role_missing_or_not_trusting_ecs_tasks() {
    let (mut inv, extras) = demo();
    doc_mut(&mut inv, Kind::IamRole, "retainwise-ecs-execution")["AssumeRolePolicyDocument"]
        ["Statement"][0]["Principal"]["Service"] = json!(["lambda.amazonaws.com"]);
    inv.resources
        .remove(&(Kind::IamRole, "retainwise-backend-task".to_string()));
    let found = checks(&inv, &extras);
    let role = |n: &str| format!("arn:aws:iam::123456789012:role/{n}");
    assert_eq!(
        found,
        vec![
            (
                CheckId::TaskRole,
                Severity::Error,
                "retainwise-backend".into(),
                role("retainwise-backend-task")
            ),
            (
                CheckId::TaskRole,
                Severity::Error,
                "retainwise-backend".into(),
                role("retainwise-ecs-execution")
            ),
            (
                CheckId::TaskRole,
                Severity::Error,
                "retainwise-worker".into(),
                role("retainwise-ecs-execution")
            ),
        ]
    );
}

#[test]
fn queue_access_when_the_worker_loses_receive() {
    let (mut inv, extras) = demo();
    doc_mut(&mut inv, Kind::IamRole, "retainwise-worker-task")["RolePolicyList"]
        ["consume-predictions"]["Statement"][0]["Action"] =
        json!(["sqs:deletemessage", "sqs:getqueueattributes"]);
    let found = run(&inv, &extras, &Options::default()).findings;
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(
        (f.check, f.severity, f.id.as_str(), f.subject.as_str()),
        (
            CheckId::QueueAccess,
            Severity::Error,
            "retainwise-worker",
            QUEUE_ARN
        )
    );
    assert!(
        f.message
            .contains("sqs:SendMessage and sqs:ReceiveMessage: no statement allows it"),
        "{}",
        f.message
    );
}

#[test]
fn queue_access_counts_the_queue_policy_and_a_deny_in_it() {
    let (mut inv, extras) = demo();
    doc_mut(&mut inv, Kind::IamRole, "retainwise-worker-task")
        .as_object_mut()
        .unwrap()
        .remove("RolePolicyList");
    let grant = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": ["arn:aws:iam::123456789012:role/retainwise-worker-task"]},
        "Action": ["sqs:receivemessage"], "Resource": [QUEUE_ARN]}]});
    doc_mut(
        &mut inv,
        Kind::SqsQueue,
        "prod-retainwise-predictions-queue",
    )["Policy"] = grant;
    assert_eq!(checks(&inv, &extras), vec![]);
    let deny = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*",
        "Action": ["sqs:*"], "Resource": [QUEUE_ARN]}]});
    doc_mut(
        &mut inv,
        Kind::SqsQueue,
        "prod-retainwise-predictions-queue",
    )["Policy"] = deny;
    let found = checks(&inv, &extras);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found
        .iter()
        .all(|f| f.0 == CheckId::QueueAccess && f.1 == Severity::Error));
}

#[test]
fn queue_access_cannot_tell_without_an_aws_managed_document() {
    let (mut inv, mut extras) = demo();
    let worker = doc_mut(&mut inv, Kind::IamRole, "retainwise-worker-task");
    worker.as_object_mut().unwrap().remove("RolePolicyList");
    let managed = "arn:aws:iam::aws:policy/AmazonSQSFullAccess";
    worker["AttachedManagedPolicies"] = json!([managed]);
    let mut outcome = run(&inv, &extras, &Options::default());
    assert_eq!(outcome.findings, vec![]);
    // Offline, the image checks do not judge tags either: only queue-access is looked at here.
    outcome
        .not_judged
        .retain(|n| n.check == CheckId::QueueAccess);
    assert_eq!(outcome.not_judged.len(), 1, "{outcome:#?}");
    let n = &outcome.not_judged[0];
    assert_eq!(n.reason, Reason::NotDescribed);
    assert!(
        n.message.ends_with(&format!(
            "but the documents of {managed} are not in {}",
            inv.source
        )),
        "{}",
        n.message
    );
    extras.aws_managed.insert(
        managed.to_string(),
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:*"], "Resource": "*"}]}),
    );
    assert_eq!(checks(&inv, &extras), vec![]);
}

#[test]
fn pass_role_when_the_deploy_policy_no_longer_covers_the_backend_task_role() {
    let (mut inv, extras) = demo();
    doc_mut(&mut inv, Kind::IamPolicy, "retainwise-deploy")["PolicyDocument"]["Statement"][1]
        ["Resource"] = json!([
        "arn:aws:iam::123456789012:role/retainwise-ecs-execution",
        "arn:aws:iam::123456789012:role/retainwise-worker-task"
    ]);
    let found = run(&inv, &extras, &Options::default()).findings;
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = &found[0];
    assert_eq!(
        (f.check, f.kind, f.id.as_str(), f.subject.as_str()),
        (
            CheckId::PassRole,
            Kind::IamRole,
            "retainwise-github-deploy",
            BACKEND_TASK
        )
    );
    assert_eq!(
        f.message,
        "role retainwise-github-deploy may register task definitions (allowed by statement `Deploy` \
         of policy arn:aws:iam::123456789012:policy/retainwise-deploy) but may not pass \
         arn:aws:iam::123456789012:role/retainwise-backend-task, the taskRoleArn of \
         retainwise-backend: iam:PassRole: no statement allows it"
    );
}

#[test]
fn named_deployers_are_checked_even_without_register_rights() {
    let (inv, extras) = demo();
    let options = Options {
        deployers: vec!["retainwise-worker-task".into()],
        ..Options::default()
    };
    let found = run(&inv, &extras, &options).findings;
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found
        .iter()
        .all(|f| f.check == CheckId::PassRole && f.id == "retainwise-worker-task"));
}

#[test]
fn redrive_target_missing_or_refusing() {
    let (mut inv, extras) = demo();
    doc_mut(&mut inv, Kind::SqsQueue, "prod-retainwise-predictions-dlq")["RedriveAllowPolicy"] = json!({"redrivePermission": "byQueue",
            "sourceQueueArns": ["arn:aws:sqs:us-east-1:123456789012:other"]});
    let found = run(&inv, &extras, &Options::default()).findings;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].check, CheckId::Redrive);
    assert!(
        found[0].message.contains("does not allow it"),
        "{}",
        found[0].message
    );
    doc_mut(&mut inv, Kind::SqsQueue, "prod-retainwise-predictions-dlq")["RedriveAllowPolicy"]
        ["sourceQueueArns"] = json!([QUEUE_ARN]);
    assert_eq!(checks(&inv, &extras), vec![]);
    inv.resources.remove(&(
        Kind::SqsQueue,
        "prod-retainwise-predictions-dlq".to_string(),
    ));
    let found = checks(&inv, &extras);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].2, "prod-retainwise-predictions-queue");
}

#[test]
fn service_and_group_references() {
    let (mut inv, extras) = demo();
    inv.resources
        .remove(&(Kind::SecurityGroup, "sg-24f8aabe9f72c663c".to_string()));
    inv.resources
        .remove(&(Kind::EcsTaskDefinition, "retainwise-worker".to_string()));
    let found = checks(&inv, &extras);
    assert_eq!(
        found,
        vec![
            (
                CheckId::ServiceReference,
                Severity::Error,
                "retainwise-prod/worker".into(),
                "retainwise-worker:1".into()
            ),
            (
                CheckId::GroupReference,
                Severity::Error,
                "sg-99d8f793468b331ee".into(),
                "sg-24f8aabe9f72c663c".into()
            ),
        ]
    );
}

#[test]
fn kinds_not_in_the_inventory_are_not_judged() {
    let (mut inv, extras) = demo();
    inv.resources
        .retain(|(k, _), _| *k == Kind::EcsTaskDefinition);
    inv.kinds = vec![Kind::EcsTaskDefinition];
    let outcome = run(&inv, &extras, &Options::default());
    assert_eq!(outcome.findings, vec![]);
    // Each role and queue reference is listed, none judged.
    assert!(!outcome.not_judged.is_empty());
    assert!(outcome
        .not_judged
        .iter()
        .all(|n| n.reason == Reason::NotRead));
    assert_eq!(outcome.judged, vec![]);
    let n = &outcome.not_judged[0];
    assert_eq!(
        n.message,
        format!(
            "environment PREDICTIONS_QUEUE_URL of container backend names queue \
             prod-retainwise-predictions-queue: no aws_sqs_queue was read from {}",
            inv.source
        )
    );
}

#[test]
fn options_disable_and_override_severity() {
    let (mut inv, extras) = demo();
    inv.resources
        .remove(&(Kind::SecurityGroup, "sg-24f8aabe9f72c663c".to_string()));
    let mut options = Options::default();
    options
        .severity
        .insert(CheckId::GroupReference, Severity::Warning);
    let found = run(&inv, &extras, &options).findings;
    assert_eq!(found[0].severity, Severity::Warning);
    options.disable.push(CheckId::GroupReference);
    assert!(run(&inv, &extras, &options).findings.is_empty());
    let off = Options {
        enabled: Some(false),
        ..Options::default()
    };
    inv.resources.clear();
    inv.insert(
        Kind::EcsService,
        "c/s".into(),
        Resource {
            document: json!({"taskDefinition": "gone:1"}),
            origin: crate::model::Origin("test".into()),
            scope: Default::default(),
        },
    );
    assert!(run(&inv, &extras, &off).findings.is_empty());
    assert_eq!(run(&inv, &extras, &Options::default()).findings.len(), 1);
}
