//! Cross-resource checks end to end: the demo environment seeded into moto (`demo/seed.py`,
//! consistent), then one break per check id made through boto3. `check` (live) reports exactly
//! that finding; `verify` on a snapshot of the same account, and on a state, reports the same.

use std::path::Path;

use serde_json::{json, Value};

use crate::harness::Moto;

/// Seeds the demo environment and then runs `breaks` (Python, with `seed` imported and `ecs`,
/// `iam`, `ec2`, `sqs`, `ecr`, `logs`, `secrets` clients) against the test's moto.
pub(crate) fn demo_with(breaks: &str) -> Moto {
    let moto = Moto::start();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = format!(
        "import sys, json, boto3\nsys.path.insert(0, {demo:?})\nimport seed\nseed.main()\n\
         ecs, iam, ec2, sqs, ecr, logs, secrets = (boto3.client(s, region_name='us-east-1') for s in \
         ['ecs', 'iam', 'ec2', 'sqs', 'ecr', 'logs', 'secretsmanager'])\n{breaks}\n",
        demo = repo.join("demo").to_string_lossy()
    );
    seed(&moto, &script);
    // Golden files of the account as it is: `check` then finds no drift, only what is broken.
    moto.driftwatch(&["snapshot"]).expect_code(0);
    moto
}

/// Runs a Python `script` (boto3 against the test's moto) and fails the test if it fails.
fn seed(moto: &Moto, script: &str) {
    let status = moto
        .python()
        .args(["-c", script])
        .status()
        .expect("python runs");
    assert!(status.success(), "seeding failed:\n{script}");
}

/// `(check, kind, id, subject)` of each finding of a JSON report.
pub(crate) fn findings(report: &Value) -> Vec<(String, String, String, String)> {
    let none = Vec::new();
    let list = report
        .get("checks")
        .and_then(Value::as_array)
        .unwrap_or(&none);
    list.iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("check"), s("kind"), s("id"), s("subject"))
        })
        .collect()
}

/// The live findings; then the same from `verify` on the snapshot of the account.
pub(crate) fn live_and_offline(moto: &Moto, code: i32) -> Vec<(String, String, String, String)> {
    let live = moto.check_all(code);
    let offline = moto
        .driftwatch(&["verify", "golden", "--format", "json"])
        .expect_code(code)
        .json();
    assert_eq!(
        findings(&live),
        findings(&offline),
        "live and verify differ"
    );
    if code == 1 {
        assert_eq!(live["summary"]["checks"], json!(findings(&live).len()));
    }
    findings(&live)
}

pub(crate) fn one(
    check: &str,
    kind: &str,
    id: &str,
    subject: &str,
) -> Vec<(String, String, String, String)> {
    vec![(check.into(), kind.into(), id.into(), subject.into())]
}

const ROLE: &str = "arn:aws:iam::123456789012:role/";

#[test]
fn the_consistent_demo_has_no_findings_live_in_golden_or_in_its_state() {
    let moto = demo_with("");
    let report = moto.check_all(0);
    assert!(report.get("checks").is_none(), "{report:#}");
    assert_eq!(live_and_offline(&moto, 0), vec![]);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for reference in ["golden", "demo/terraform.tfstate"] {
        let r = repo.join(reference);
        let run = moto
            .driftwatch(&["verify", r.to_str().unwrap()])
            .expect_code(0);
        assert!(
            run.stdout.contains("consistent: no broken references"),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn env_reference_to_a_queue_that_does_not_exist() {
    let moto = demo_with(
        "td = seed.worker_task_definition()\n\
         td['containerDefinitions'][0]['environment'].append({'name': 'AUDIT_QUEUE_URL', \
         'value': 'https://sqs.us-east-1.amazonaws.com/123456789012/audit'})\n\
         ecs.register_task_definition(**td)",
    );
    assert_eq!(
        live_and_offline(&moto, 1),
        one(
            "env-reference",
            "aws_ecs_task_definition",
            "retainwise-worker",
            "https://sqs.us-east-1.amazonaws.com/123456789012/audit"
        )
    );
}

#[test]
fn task_role_whose_trust_policy_does_not_name_ecs_tasks() {
    let moto = demo_with(
        "trust = json.loads(json.dumps(seed.ECS_TASKS_TRUST))\n\
         trust['Statement'][0]['Principal'] = {'Service': 'lambda.amazonaws.com'}\n\
         iam.update_assume_role_policy(RoleName='retainwise-backend-task', PolicyDocument=json.dumps(trust))",
    );
    assert_eq!(
        live_and_offline(&moto, 1),
        one(
            "task-role",
            "aws_ecs_task_definition",
            "retainwise-backend",
            &format!("{ROLE}retainwise-backend-task")
        )
    );
}

#[test]
fn queue_access_when_the_worker_loses_receive_message() {
    let moto = demo_with(
        "iam.put_role_policy(RoleName='retainwise-worker-task', PolicyName='consume-predictions', \
         PolicyDocument=json.dumps(seed.worker_policy(receive=False)))",
    );
    assert_eq!(
        live_and_offline(&moto, 1),
        one(
            "queue-access",
            "aws_ecs_task_definition",
            "retainwise-worker",
            "arn:aws:sqs:us-east-1:123456789012:prod-retainwise-predictions-queue"
        )
    );
}

/// A real AWS-managed policy document (moto loads AWS's own): `AmazonSQSReadOnlyAccess` does not
/// grant `sqs:ReceiveMessage`, `AmazonSQSFullAccess` (`sqs:*`) does. Only the live side can read
/// them; `verify` on the snapshot does not judge it (exit 0), saying which document it lacks.
#[test]
fn queue_access_reads_aws_managed_policy_documents_live() {
    let moto = demo_with(
        "iam.delete_role_policy(RoleName='retainwise-worker-task', PolicyName='consume-predictions')\n\
         iam.attach_role_policy(RoleName='retainwise-worker-task', \
         PolicyArn='arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess')",
    );
    let report = moto.check_all(1);
    assert_eq!(report["checks"][0]["check"], "queue-access");
    assert_eq!(report["checks"][0]["severity"], "error");
    let offline = moto
        .driftwatch(&["verify", "golden", "--format", "json"])
        .expect_code(0)
        .json();
    assert_eq!(offline.get("checks"), None, "{offline:#}");
    let not_judged = &offline["not_judged"][0];
    assert_eq!(not_judged["check"], "queue-access");
    assert_eq!(not_judged["reason"], "not-described");
    let message = not_judged["message"].as_str().unwrap();
    assert!(
        message.ends_with(
            "but the documents of arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess are not in golden"
        ),
        "{message}"
    );

    let full = demo_with(
        "iam.delete_role_policy(RoleName='retainwise-worker-task', PolicyName='consume-predictions')\n\
         iam.attach_role_policy(RoleName='retainwise-worker-task', \
         PolicyArn='arn:aws:iam::aws:policy/AmazonSQSFullAccess')",
    );
    assert!(full.check_all(0).get("checks").is_none());
}

#[test]
fn pass_role_when_the_deploy_policy_no_longer_covers_the_backend_task_role() {
    let moto = demo_with(
        "iam.create_policy_version(PolicyArn='arn:aws:iam::123456789012:policy/retainwise-deploy', \
         PolicyDocument=json.dumps(seed.deploy_policy(pass_backend_role=False)), SetAsDefault=True)",
    );
    assert_eq!(
        live_and_offline(&moto, 1),
        one(
            "pass-role",
            "aws_iam_role",
            "retainwise-github-deploy",
            &format!("{ROLE}retainwise-backend-task")
        )
    );
}

/// The dead-letter queue deleted. (moto 5.2.5 does not keep a `RedriveAllowPolicy` set with
/// `SetQueueAttributes`: `GetQueueAttributes` leaves it out, so a refusing policy is covered by
/// the unit tests in `checks/tests.rs` with AWS's shape.)
#[test]
fn redrive_when_the_dead_letter_queue_is_gone() {
    let moto = demo_with(
        "url = sqs.get_queue_url(QueueName='prod-retainwise-predictions-dlq')['QueueUrl']\n\
         sqs.delete_queue(QueueUrl=url)",
    );
    assert_eq!(
        live_and_offline(&moto, 1),
        one(
            "redrive",
            "aws_sqs_queue",
            "prod-retainwise-predictions-queue",
            "arn:aws:sqs:us-east-1:123456789012:prod-retainwise-predictions-dlq"
        )
    );
}

#[test]
fn service_reference_when_the_family_has_no_active_revision() {
    let moto = demo_with("ecs.deregister_task_definition(taskDefinition='retainwise-worker:1')");
    assert_eq!(
        live_and_offline(&moto, 1),
        one(
            "service-reference",
            "aws_ecs_service",
            "retainwise-prod/worker",
            "retainwise-worker:1"
        )
    );
}

#[test]
fn group_reference_to_a_deleted_group() {
    let moto = demo_with(
        "vpc = ec2.describe_vpcs(Filters=[{'Name': 'cidr', 'Values': ['10.20.0.0/16']}])['Vpcs'][0]['VpcId']\n\
         gone = ec2.create_security_group(GroupName='gone', Description='x', VpcId=vpc)['GroupId']\n\
         worker = ec2.describe_security_groups(Filters=[{'Name': 'group-name', 'Values': ['retainwise-worker']}])['SecurityGroups'][0]['GroupId']\n\
         ec2.authorize_security_group_egress(GroupId=worker, IpPermissions=[{'IpProtocol': 'tcp', 'FromPort': 5432, \
         'ToPort': 5432, 'UserIdGroupPairs': [{'GroupId': gone}]}])\n\
         ec2.delete_security_group(GroupId=gone)\n\
         print(worker, gone)",
    );
    let found = live_and_offline(&moto, 1);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "group-reference");
    assert_eq!(found[0].1, "aws_security_group");
}

/// `verify` on a Terraform state: the demo's state with the backend's task role gone (a plan
/// that deletes it) names the task definitions that still use it, as `check` does live once the
/// role is deleted.
/// A state describes its own resources, not the account: a task role it does not hold is not
/// judged offline (it may exist, made elsewhere), while live, where the whole account is seen,
/// the same role is missing.
#[test]
fn a_role_the_state_does_not_hold_is_not_judged_offline_and_missing_live() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut state: Value = serde_json::from_str(
        &std::fs::read_to_string(repo.join("demo/terraform.tfstate")).unwrap(),
    )
    .unwrap();
    state["resources"]
        .as_array_mut()
        .unwrap()
        .retain(|r| !(r["name"] == "backend_task" || r["name"] == "backend_task_publish"));
    let moto = demo_with(
        "iam.delete_role_policy(RoleName='retainwise-backend-task', PolicyName='publish-predictions')\n\
         iam.delete_role(RoleName='retainwise-backend-task')",
    );
    let path = moto.path("plan.tfstate");
    std::fs::write(&path, serde_json::to_string(&state).unwrap()).unwrap();
    let offline = moto
        .driftwatch(&["verify", path.to_str().unwrap(), "--format", "json"])
        .expect_code(0)
        .json();
    let live = moto.check_all(1);
    let role = format!("{ROLE}retainwise-backend-task");
    let expected = one(
        "task-role",
        "aws_ecs_task_definition",
        "retainwise-backend",
        &role,
    );
    assert_eq!(findings(&live), expected);
    assert_eq!(findings(&offline), vec![]);
    // The role's references; the images, logs and secrets of the state have their own tests.
    let about_roles = |n: &&Value| n["check"] == "task-role" || n["check"] == "queue-access";
    let not_judged: Vec<(&str, &str, &str)> = offline["not_judged"]
        .as_array()
        .expect("not judged")
        .iter()
        .filter(about_roles)
        .map(|n| {
            let s = |k: &str| n[k].as_str().unwrap_or_default();
            (s("check"), s("subject"), s("reason"))
        })
        .collect();
    assert_eq!(
        not_judged,
        [
            ("task-role", role.as_str(), "not-described"),
            (
                "queue-access",
                "arn:aws:sqs:us-east-1:123456789012:prod-retainwise-predictions-queue",
                "not-described"
            )
        ],
        "{offline:#}"
    );
    assert!(live.get("not_judged").is_none(), "{live:#}");
}

#[test]
fn checks_can_be_turned_off_ignored_or_made_warnings() {
    let moto = demo_with(
        "iam.put_role_policy(RoleName='retainwise-worker-task', PolicyName='consume-predictions', \
         PolicyDocument=json.dumps(seed.worker_policy(receive=False)))",
    );
    moto.driftwatch(&["check", "--no-checks"]).expect_code(0);
    moto.driftwatch(&["check", "--ignore", "check:queue-access:*:retainwise-*"])
        .expect_code(0);
    std::fs::write(
        moto.path("driftwatch.toml"),
        "[checks]\nseverity = { \"queue-access\" = \"warning\" }\n",
    )
    .unwrap();
    let report = moto.check_all(0);
    assert_eq!(report["checks"][0]["severity"], "warning");
    let console = moto.driftwatch(&["check"]).expect_code(0);
    assert!(
        console
            .stdout
            .contains("Broken references\n  warning queue-access"),
        "{}",
        console.stdout
    );
}

/// IAM is fetched once per account, by its first target (issue 24, item 5): the checks of the
/// other targets of that account must still see the roles. Two regions of one account, each with
/// a task definition whose task role may not use the queue it names: both are `queue-access`
/// findings, and on main the eu-west-1 one read as fine.
#[test]
fn every_target_of_an_account_is_judged_with_its_roles() {
    let moto = Moto::start();
    let script = r#"
import json, boto3
iam = boto3.client('iam', region_name='us-east-1')
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
         "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName='app-task', AssumeRolePolicyDocument=json.dumps(trust))['Role']['Arn']
for region in ['us-east-1', 'eu-west-1']:
    sqs = boto3.client('sqs', region_name=region)
    sqs.create_queue(QueueName='jobs')
    url = f'https://sqs.{region}.amazonaws.com/123456789012/jobs'
    boto3.client('ecs', region_name=region).register_task_definition(
        family='app', taskRoleArn=role,
        containerDefinitions=[{'name': 'app', 'image': 'app:1', 'memory': 512,
                               'environment': [{'name': 'JOBS_QUEUE_URL', 'value': url}]}])
"#;
    seed(&moto, script);
    let kinds = [
        "--kind",
        "aws_ecs_task_definition",
        "--kind",
        "aws_iam_role",
        "--kind",
        "aws_sqs_queue",
    ];
    for (region, dir) in [("us-east-1", "golden-us"), ("eu-west-1", "golden-eu")] {
        let mut args = vec!["snapshot", "--region", region, "--out", dir];
        args.extend(kinds);
        moto.driftwatch(&args).expect_code(0);
    }
    std::fs::write(
        moto.path("driftwatch.toml"),
        r#"
kinds = ["aws_ecs_task_definition", "aws_iam_role", "aws_sqs_queue"]

[[targets]]
name = "us"
region = "us-east-1"
golden = "golden-us"

[[targets]]
name = "eu"
region = "eu-west-1"
golden = "golden-eu"
"#,
    )
    .unwrap();
    let report = moto.check_all(1);
    let mut found: Vec<(String, String)> = report["checks"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap_or_default().to_string(),
                f["subject"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            (
                "queue-access".to_string(),
                "arn:aws:sqs:eu-west-1:123456789012:jobs".to_string()
            ),
            (
                "queue-access".to_string(),
                "arn:aws:sqs:us-east-1:123456789012:jobs".to_string()
            ),
        ],
        "{report:#}"
    );
}

/// Two accounts, each a target (the second through a role of its own account): each account's
/// roles judge its own task definitions, so both task roles that may not use their queues are
/// found, each with its account's queue.
#[test]
fn every_account_is_judged_with_its_own_roles() {
    let moto = Moto::start();
    let script = r#"
import json, boto3
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
         "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
def seed(session, account):
    iam = session.client('iam', region_name='us-east-1')
    role = iam.create_role(RoleName='app-task', AssumeRolePolicyDocument=json.dumps(trust))['Role']['Arn']
    session.client('sqs', region_name='us-east-1').create_queue(QueueName='jobs')
    url = f'https://sqs.us-east-1.amazonaws.com/{account}/jobs'
    session.client('ecs', region_name='us-east-1').register_task_definition(
        family='app', taskRoleArn=role,
        containerDefinitions=[{'name': 'app', 'image': 'app:1', 'memory': 512,
                               'environment': [{'name': 'JOBS_QUEUE_URL', 'value': url}]}])
seed(boto3.Session(), '123456789012')
# moto serves the account of the role assumed to whoever uses its credentials.
c = boto3.client('sts', region_name='us-east-1').assume_role(
    RoleArn='arn:aws:iam::111111111111:role/reader', RoleSessionName='seed')['Credentials']
seed(boto3.Session(aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'],
                   aws_session_token=c['SessionToken']), '111111111111')
"#;
    seed(&moto, script);
    std::fs::write(
        moto.path("driftwatch.toml"),
        r#"
kinds = ["aws_ecs_task_definition", "aws_iam_role", "aws_sqs_queue"]

[[targets]]
name = "main"
region = "us-east-1"
golden = "golden-main"

[[targets]]
name = "other"
region = "us-east-1"
golden = "golden-other"
role_arn = "arn:aws:iam::111111111111:role/reader"
"#,
    )
    .unwrap();
    // Empty golden folders: every resource is unmanaged; the findings are what is looked at.
    for dir in ["golden-main", "golden-other"] {
        std::fs::create_dir(moto.path(dir)).unwrap();
    }
    let run = moto
        .driftwatch(&["check", "--format", "json"])
        .expect_code(1);
    let report = run.json();
    let mut found: Vec<(String, String, String)> = report["checks"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (s("target"), s("check"), s("subject"))
        })
        .collect();
    found.sort();
    let finding = |target: &str, account: &str| {
        (
            target.to_string(),
            "queue-access".to_string(),
            format!("arn:aws:sqs:us-east-1:{account}:jobs"),
        )
    };
    assert_eq!(
        found,
        [
            finding("main", "123456789012"),
            finding("other", "111111111111")
        ],
        "{report:#}"
    );
    // `app:1` is a Docker Hub image: not judged, said once a target.
    let reasons: Vec<&Value> = report["not_judged"]
        .as_array()
        .expect("not judged")
        .iter()
        .map(|n| &n["reason"])
        .collect();
    assert_eq!(
        reasons,
        [&json!("other-registry"), &json!("other-registry")],
        "{report:#}"
    );
}
