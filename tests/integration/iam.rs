//! `aws_iam_role` and `aws_iam_policy` end to end against moto (started with AWS-managed
//! policies loaded, so `AdministratorAccess` exists).

use aws_sdk_iam::Client;
use serde_json::{json, Value};

use crate::harness::{entry, Moto};
use crate::seed::ACCOUNT;

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const CONSUME: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage"],"Resource":"arn:aws:sqs:us-east-1:123456789012:jobs"}]}"#;
const DEPLOY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Deploy","Effect":"Allow","Action":["ecs:UpdateService","ecs:Describe*"],"Resource":"*"},{"Sid":"Read","Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}"#;

fn policy_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:policy/{name}")
}

/// A worker role with an inline policy, a deploy role with a customer policy attached, and
/// golden files of both kinds written by `driftwatch snapshot`.
async fn seeded_and_snapshotted() -> (Moto, Client) {
    let moto = Moto::start();
    let iam = moto.iam().await;
    iam.create_role()
        .role_name("worker-task")
        .assume_role_policy_document(TRUST)
        .description("reads jobs")
        .send()
        .await
        .unwrap();
    iam.put_role_policy()
        .role_name("worker-task")
        .policy_name("consume")
        .policy_document(CONSUME)
        .send()
        .await
        .unwrap();
    iam.create_policy()
        .policy_name("deploy")
        .policy_document(DEPLOY)
        .tags(
            aws_sdk_iam::types::Tag::builder()
                .key("team")
                .value("platform")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    iam.create_role()
        .role_name("ci-deploy")
        .assume_role_policy_document(TRUST)
        .max_session_duration(7200)
        .send()
        .await
        .unwrap();
    iam.attach_role_policy()
        .role_name("ci-deploy")
        .policy_arn(policy_arn("deploy"))
        .send()
        .await
        .unwrap();
    moto.driftwatch(&[
        "snapshot",
        "--kind",
        "aws_iam_role",
        "--kind",
        "aws_iam_policy",
    ])
    .expect_code(0);
    (moto, iam)
}

#[tokio::test]
async fn snapshot_holds_customer_resources_only_and_checks_clean() {
    let (moto, iam) = seeded_and_snapshotted().await;
    // A service-linked role is AWS's, not the team's: neither snapshotted nor unmanaged.
    iam.create_service_linked_role()
        .aws_service_name("ecs.amazonaws.com")
        .send()
        .await
        .unwrap();

    let files = |kind: &str| -> Vec<String> {
        let mut f: Vec<String> = std::fs::read_dir(moto.path(&format!("golden/{kind}")))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        f.sort();
        f
    };
    // ~1,500 AWS-managed policies exist on this server; none is ours to snapshot.
    assert_eq!(files("aws_iam_policy"), ["deploy.json"]);
    assert_eq!(
        files("aws_iam_role"),
        ["ci-deploy.json", "worker-task.json"]
    );

    let role: Value = serde_json::from_str(
        &std::fs::read_to_string(moto.path("golden/aws_iam_role/ci-deploy.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        role["AttachedManagedPolicies"],
        json!([policy_arn("deploy")])
    );
    assert_eq!(role["MaxSessionDuration"], 7200);
    assert_eq!(
        role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
        json!({"Service": ["ecs-tasks.amazonaws.com"]}),
        "trust policy is decoded and normalized"
    );
    let policy: Value = serde_json::from_str(
        &std::fs::read_to_string(moto.path("golden/aws_iam_policy/deploy.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(policy["Tags"], json!({"team": "platform"}));
    assert_eq!(
        policy["PolicyDocument"]["Statement"][1]["Action"],
        json!(["ec2:describe*"])
    );

    let report = moto.check(0);
    assert_eq!(report["summary"]["in_sync"], 3);
    assert_eq!(report["summary"]["unmanaged"], 0);
}

#[tokio::test]
async fn a_managed_policy_attached_by_hand_is_reported_on_the_role() {
    let (moto, iam) = seeded_and_snapshotted().await;
    iam.attach_role_policy()
        .role_name("worker-task")
        .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
        .send()
        .await
        .unwrap();

    let report = moto.check(1);
    assert_eq!(
        entry(&report, "aws_iam_role", "worker-task")["changes"],
        json!([{"path": "/AttachedManagedPolicies", "op": "added",
                "actual": ["arn:aws:iam::aws:policy/AdministratorAccess"]}])
    );
}

#[tokio::test]
async fn an_action_added_to_an_inline_policy_is_named() {
    let (moto, iam) = seeded_and_snapshotted().await;
    let wider = CONSUME.replace(
        r#""sqs:DeleteMessage""#,
        r#""sqs:DeleteMessage","sqs:PurgeQueue""#,
    );
    iam.put_role_policy()
        .role_name("worker-task")
        .policy_name("consume")
        .policy_document(wider)
        .send()
        .await
        .unwrap();

    let report = moto.check(1);
    let changes = &entry(&report, "aws_iam_role", "worker-task")["changes"];
    assert_eq!(changes.as_array().unwrap().len(), 1, "{changes:#}");
    assert_eq!(changes[0]["op"], "added");
    assert_eq!(changes[0]["actual"], "sqs:purgequeue");
    assert!(
        changes[0]["path"]
            .as_str()
            .unwrap()
            .starts_with("/RolePolicyList/consume/Statement/0/Action/"),
        "{changes:#}"
    );
}

#[tokio::test]
async fn a_new_default_version_without_a_statement_is_modified() {
    let (moto, iam) = seeded_and_snapshotted().await;
    let narrower = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Deploy","Effect":"Allow","Action":["ecs:UpdateService","ecs:Describe*"],"Resource":"*"}]}"#;
    iam.create_policy_version()
        .policy_arn(policy_arn("deploy"))
        .policy_document(narrower)
        .set_as_default(true)
        .send()
        .await
        .unwrap();

    let report = moto.check(1);
    let changes = &entry(&report, "aws_iam_policy", "deploy")["changes"];
    assert_eq!(
        changes,
        &json!([{"path": "/PolicyDocument/Statement/1", "op": "removed",
                 "expected": {"Sid": "Read", "Effect": "Allow", "Action": ["ec2:describe*"],
                              "Resource": ["*"]}}])
    );
}

#[tokio::test]
async fn a_deleted_role_is_missing_and_a_hand_made_one_unmanaged() {
    let (moto, iam) = seeded_and_snapshotted().await;
    iam.delete_role_policy()
        .role_name("worker-task")
        .policy_name("consume")
        .send()
        .await
        .unwrap();
    iam.delete_role()
        .role_name("worker-task")
        .send()
        .await
        .unwrap();
    iam.create_role()
        .role_name("debug-admin")
        .assume_role_policy_document(TRUST)
        .send()
        .await
        .unwrap();

    let report = moto.check(1);
    assert_eq!(
        entry(&report, "aws_iam_role", "worker-task")["status"],
        "missing"
    );
    assert_eq!(
        entry(&report, "aws_iam_role", "debug-admin")["status"],
        "unmanaged"
    );
    assert_eq!(
        entry(&report, "aws_iam_role", "ci-deploy")["status"],
        "in_sync"
    );
}

#[tokio::test]
async fn an_equivalent_respelling_is_in_sync() {
    let (moto, iam) = seeded_and_snapshotted().await;
    // Same meaning: statement object instead of list, other action order and case, resource
    // as a one-item list. (Effect case is covered by unit tests: moto rejects `"allow"`.)
    let respelled = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["SQS:deletemessage","sqs:receivemessage"],"Resource":["arn:aws:sqs:us-east-1:123456789012:jobs"]}}"#;
    iam.put_role_policy()
        .role_name("worker-task")
        .policy_name("consume")
        .policy_document(respelled)
        .send()
        .await
        .unwrap();
    let deploy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["EC2:Describe*"],"Resource":["*"]},{"Sid":"Deploy","Effect":"Allow","Action":["ecs:describe*","ecs:updateservice"],"Resource":"*"}]}"#;
    iam.create_policy_version()
        .policy_arn(policy_arn("deploy"))
        .policy_document(deploy)
        .set_as_default(true)
        .send()
        .await
        .unwrap();

    let run = moto.driftwatch(&["check"]).expect_code(0);
    assert!(
        run.stdout.starts_with("driftwatch: in sync: 3 in sync"),
        "{}",
        run.stdout
    );
}

#[tokio::test]
async fn verbose_run_counts_the_api_calls() {
    let (moto, _iam) = seeded_and_snapshotted().await;
    let run = moto
        .driftwatch(&[
            "-v",
            "check",
            "--kind",
            "aws_iam_role",
            "--kind",
            "aws_iam_policy",
        ])
        .expect_code(0);
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("AWS API calls"))
        .unwrap_or_else(|| panic!("no call count in:\n{}", run.stderr));
    // One bulk call, one ListRoles page, one ListPolicyTags for the one customer policy, and
    // GetCallerIdentity (the account, checked against the golden folder's record).
    assert!(line.contains("4 AWS API calls"), "{line}");
    assert!(line.contains("\"sts:GetCallerIdentity\": 1"), "{line}");
    assert!(
        line.contains("\"iam:GetAccountAuthorizationDetails\": 1"),
        "{line}"
    );
}
