//! `check --plan --shard K/N` against an organization in moto: members made with
//! `create_organization` and `create_account`, each seeded through its own
//! `OrganizationAccountAccessRole` session (moto's AssumeRole credentials see only that
//! account's resources). moto lets every AssumeRole succeed: the fault proxy denies one.

use std::collections::BTreeSet;

use driftwatch_core::org::{OrgPlan, Unit};
use serde_json::Value;

use crate::harness::{FaultProxy, Moto, Run};

/// Makes the organization and one member per entry of `queues` (the queues created in it);
/// returns each member's id and a session of its role (key, secret, token).
const ORGANIZATION: &str = r#"
import boto3, json, sys
org = boto3.client("organizations")
org.create_organization(FeatureSet="ALL")
out = []
for i, queues in enumerate(json.loads(sys.argv[1])):
    status = org.create_account(Email=f"m{i}@example.com", AccountName=f"member-{i}")
    account = status["CreateAccountStatus"]["AccountId"]
    role = f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
    c = boto3.client("sts").assume_role(RoleArn=role, RoleSessionName="seed")["Credentials"]
    keys = dict(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                aws_session_token=c["SessionToken"])
    sqs = boto3.client("sqs", **keys)
    for q in queues:
        sqs.create_queue(QueueName=q)
    out.append({"account": account, "key": c["AccessKeyId"], "secret": c["SecretAccessKey"],
                "token": c["SessionToken"]})
print(json.dumps(out))
"#;

pub(crate) struct Member {
    pub(crate) account: String,
    keys: [String; 3],
}

pub(crate) fn organization(moto: &Moto, queues: &[&[&str]]) -> Vec<Member> {
    let out = moto
        .python()
        .args(["-c", ORGANIZATION, &serde_json::to_string(queues).unwrap()])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let members: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    members
        .iter()
        .map(|m| Member {
            account: m["account"].as_str().unwrap().into(),
            keys: ["key", "secret", "token"].map(|k| m[k].as_str().unwrap().to_string()),
        })
        .collect()
}

fn role(account: &str) -> String {
    format!("arn:aws:iam::{account}:role/OrganizationAccountAccessRole")
}

/// `plan.json` of `members`, each checked in `regions`.
fn write_plan(moto: &Moto, members: &[Member], regions: &[&str], exclude: &[&str]) -> OrgPlan {
    let units = members
        .iter()
        .enumerate()
        .map(|(i, m)| Unit {
            account_id: m.account.clone(),
            name: format!("member-{i}"),
            ou_path: vec!["r-root".into()],
            role_arn: role(&m.account),
            regions: regions.iter().map(|r| r.to_string()).collect(),
            exclude_regions: exclude.iter().map(|r| r.to_string()).collect(),
        })
        .collect();
    let plan = OrgPlan::new("aws", units, vec![]);
    let text = serde_json::to_string_pretty(&plan).unwrap() + "\n";
    std::fs::write(moto.path("plan.json"), text).unwrap();
    plan
}

/// Each member's golden folder, snapshotted with its own session; then `drifted`'s queue
/// `jobs` is recorded with another visibility timeout than it has.
pub(crate) fn goldens(moto: &Moto, members: &[Member], drifted: &Member) {
    std::fs::write(
        moto.path("driftwatch.toml"),
        "[org]\ngolden = \"golden/{account_id}/{region}\"\n",
    )
    .unwrap();
    for m in members {
        let out = format!("golden/{}/us-east-1", m.account);
        let env = [
            ("AWS_ACCESS_KEY_ID", m.keys[0].as_str()),
            ("AWS_SECRET_ACCESS_KEY", m.keys[1].as_str()),
            ("AWS_SESSION_TOKEN", m.keys[2].as_str()),
        ];
        let args = ["snapshot", "--out", &out, "--kind", "aws_sqs_queue"];
        moto.driftwatch_with_env(&args, &env).expect_code(0);
    }
    let file = moto.path(&format!(
        "golden/{}/us-east-1/aws_sqs_queue/jobs.json",
        drifted.account
    ));
    let text = std::fs::read_to_string(&file).unwrap();
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    // The canonical form leaves out AWS's default (30 s): the golden file asks for 300.
    doc["VisibilityTimeout"] = Value::from(300);
    std::fs::write(&file, serde_json::to_string_pretty(&doc).unwrap() + "\n").unwrap();
}

/// `check` of the plan's queues, as JSON.
const CHECK: [&str; 8] = [
    "check",
    "--plan",
    "plan.json",
    "--kind",
    "aws_sqs_queue",
    "--no-checks",
    "--format",
    "json",
];

fn check(moto: &Moto, shard: &[&str], env: &[(&str, &str)]) -> Run {
    let mut args = CHECK.to_vec();
    args.extend_from_slice(shard);
    moto.driftwatch_with_env(&args, env)
}

/// `(account, region, status)` of each entry of `targets`.
pub(crate) fn targets(report: &Value) -> Vec<(String, Value, String)> {
    report["targets"]
        .as_array()
        .unwrap_or_else(|| panic!("no targets in {report:#}"))
        .iter()
        .map(|t| {
            (
                t["account"].as_str().unwrap().to_string(),
                t["region"].clone(),
                t["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

pub(crate) fn findings(report: &Value) -> BTreeSet<(String, String, String)> {
    report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["target"].as_str().unwrap_or_default().to_string(),
                r["id"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Four members: a queue in sync, a queue drifted from its golden file, none, and another.
fn four(moto: &Moto) -> (Vec<Member>, OrgPlan) {
    let members = organization(moto, &[&["orders"], &["jobs"], &[], &["reports"]]);
    goldens(moto, &members, &members[1]);
    let plan = write_plan(moto, &members, &["us-east-1"], &[]);
    (members, plan)
}

#[test]
fn one_shard_checks_every_account_of_the_plan_each_with_its_own_golden_folder() {
    let moto = Moto::start();
    let (m, plan) = four(&moto);
    let report = check(&moto, &[], &[]).expect_code(1).json();
    assert_eq!(
        report["shard"],
        serde_json::json!({"index": 1, "count": 1, "plan_id": plan.plan_id})
    );
    let mut expected: Vec<_> = m
        .iter()
        .map(|x| {
            (
                x.account.clone(),
                Value::from("us-east-1"),
                "ok".to_string(),
            )
        })
        .collect();
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(targets(&report), expected);
    let t = |x: &Member| format!("{}/us-east-1", x.account);
    let want: BTreeSet<_> = [
        (t(&m[0]), "orders".to_string(), "in_sync".to_string()),
        (t(&m[1]), "jobs".to_string(), "modified".to_string()),
        (t(&m[3]), "reports".to_string(), "in_sync".to_string()),
    ]
    .into();
    assert_eq!(findings(&report), want, "{report:#}");
    assert_eq!(report["errors"], serde_json::json!([]));
}

#[test]
fn three_shards_cover_every_account_once_and_an_index_from_the_environment_is_zero_based() {
    let moto = Moto::start();
    let (m, _) = four(&moto);
    let mut seen = Vec::new();
    let mut all_findings = BTreeSet::new();
    let mut first = None;
    // More shards than accounts: the last ones are dealt none, and say so.
    let empty = check(&moto, &["--shard", "5/5"], &[]).expect_code(0).json();
    assert!(empty.get("targets").is_none(), "{empty:#}");
    assert_eq!(empty["shard"]["index"], 5);
    for k in 1..=3 {
        let spec = format!("{k}/3");
        let run = check(&moto, &["--shard", &spec], &[]);
        assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
        let report = run.json();
        assert_eq!(report["shard"]["index"], k);
        assert_eq!(report["shard"]["count"], 3);
        for (account, _, status) in targets(&report) {
            assert_eq!(status, "ok");
            seen.push(account);
        }
        all_findings.extend(findings(&report));
        if k == 1 {
            first = Some(report);
        }
    }
    seen.sort();
    let mut ids: Vec<String> = m.iter().map(|x| x.account.clone()).collect();
    ids.sort();
    assert_eq!(seen, ids, "each account in exactly one shard");
    assert_eq!(all_findings.len(), 3, "{all_findings:?}");

    let env = [("JOB_COMPLETION_INDEX", "0")];
    let args = [
        "--shard-index-from",
        "JOB_COMPLETION_INDEX",
        "--shards",
        "3",
    ];
    let run = check(&moto, &args, &env);
    let from_env = run.json();
    assert_eq!(from_env, first.unwrap());

    // A missing variable is a clear error, exit 2.
    let missing = check(&moto, &args, &[]).expect_code(2);
    assert!(
        missing.stderr.contains("JOB_COMPLETION_INDEX") && missing.stderr.contains("not set"),
        "{}",
        missing.stderr
    );
}

#[test]
fn an_account_whose_role_is_denied_is_one_error_and_the_others_are_still_checked() {
    let moto = Moto::start();
    let (m, _) = four(&moto);
    let denied = &m[2];
    let proxy = FaultProxy::start(&moto, &["--deny-assume-role", &denied.account]);
    // The console's arguments: the JSON ones less `--format json`.
    let args = &CHECK[..6];
    let run = proxy.driftwatch(&moto, &CHECK).expect_code(2);
    let report = run.json();
    let entries = report["targets"].as_array().unwrap();
    let errors: Vec<&Value> = entries.iter().filter(|t| t["status"] == "error").collect();
    assert_eq!(errors.len(), 1, "{report:#}");
    let e = errors[0];
    assert_eq!(e["account"], denied.account.as_str());
    assert_eq!(e["region"], Value::Null);
    let text = e["error"].as_str().unwrap();
    for part in [
        role(&denied.account).as_str(),
        "sts:AssumeRole",
        "AccessDenied",
    ] {
        assert!(text.contains(part), "{part} not in {text}");
    }
    assert_eq!(
        entries.len(),
        4,
        "the other three still reported: {report:#}"
    );
    assert!(findings(&report).contains(&(
        format!("{}/us-east-1", m[1].account),
        "jobs".into(),
        "modified".into()
    )));

    // An account without its golden folder is an error for that account alone.
    std::fs::remove_dir_all(moto.path(&format!("golden/{}", m[3].account))).unwrap();
    let report = check(&moto, &[], &[]).expect_code(2).json();
    let errors = in_error(&report);
    assert_eq!(errors.len(), 1, "{report:#}");
    assert_eq!(errors[0]["account"], m[3].account.as_str());
    assert!(errors[0]["error"]
        .as_str()
        .unwrap()
        .contains("golden folder"));

    // The console says it in one line.
    let console = proxy.driftwatch(&moto, args).expect_code(2);
    let lines: Vec<&str> = console
        .stdout
        .lines()
        .chain(console.stderr.lines())
        .filter(|l| l.contains(&denied.account) && l.contains("AccessDenied"))
        .collect();
    assert_eq!(lines.len(), 1, "{}\n{}", console.stdout, console.stderr);
}

/// A golden folder recorded from another account (copied from a neighbour's) is an error for
/// the account it stands in for; the shard's other accounts are still checked.
#[test]
fn a_golden_folder_of_another_account_is_an_error_for_that_account_alone() {
    let moto = Moto::start();
    let (m, _) = four(&moto);
    let (from, into) = (&m[0], &m[3]);
    let dir = |x: &Member| moto.path(&format!("golden/{}/us-east-1", x.account));
    std::fs::remove_dir_all(dir(into)).unwrap();
    copy_dir(&dir(from), &dir(into));
    let report = check(&moto, &[], &[]).expect_code(2).json();
    let errors = in_error(&report);
    assert_eq!(errors.len(), 1, "{report:#}");
    assert_eq!(errors[0]["account"], into.account.as_str());
    let text = errors[0]["error"].as_str().unwrap();
    assert!(
        text.contains("was taken from") && text.contains(&from.account),
        "{text}"
    );
    // The other three are checked: the drifted one still says so, and nothing of the account
    // in error is compared (its neighbour's queue is not reported unmanaged or missing there).
    let found = findings(&report);
    assert!(found.contains(&(
        format!("{}/us-east-1", m[1].account),
        "jobs".into(),
        "modified".into()
    )));
    let theirs = format!("{}/us-east-1", into.account);
    assert!(found.iter().all(|(t, _, _)| *t != theirs), "{found:?}");
    assert_eq!(report["targets"].as_array().unwrap().len(), 4);
}

/// The `targets` entries of accounts in error.
fn in_error(report: &Value) -> Vec<&Value> {
    report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["status"] == "error")
        .collect()
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let path = e.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

#[test]
fn a_star_is_the_regions_the_account_has_enabled_less_those_excluded() {
    let moto = Moto::start();
    let members = organization(&moto, &[&["orders"]]);
    // moto lists other partitions' regions too (AWS never does): excluded here.
    let exclude = [
        "cn-north-1",
        "cn-northwest-1",
        "us-gov-east-1",
        "us-gov-west-1",
    ];
    write_plan(&moto, &members, &["*"], &exclude);
    // Through a proxy that injects nothing, to count the calls.
    let proxy = FaultProxy::start(&moto, &[]);
    let report = proxy.driftwatch(&moto, &CHECK).expect_code(1).json();
    // One session for the account's 20 targets, one DescribeRegions.
    let calls = &proxy.stats()["operations"];
    assert_eq!(calls["AssumeRole"], 1, "{calls}");
    assert_eq!(calls["DescribeRegions"], 1, "{calls}");
    let regions: Vec<String> = targets(&report)
        .into_iter()
        .map(|(_, r, _)| r.as_str().unwrap().to_string())
        .collect();
    // What moto 5.2.5 answers DescribeRegions: 24 opt-in-not-required regions, 14
    // not-opted-in ones.
    assert_eq!(regions.len(), 24 - exclude.len(), "{regions:?}");
    for r in ["us-east-1", "eu-west-1", "af-south-1"] {
        assert!(regions.contains(&r.to_string()), "{r} in {regions:?}");
    }
    for r in ["ap-east-1", "me-south-1", "il-central-1", "cn-north-1"] {
        assert!(!regions.contains(&r.to_string()), "{r} in {regions:?}");
    }
    // A region named but not enabled in the account (moto: ap-east-1 is not opted in) is an
    // error for the account, not a region quietly skipped.
    write_plan(&moto, &members, &["us-east-1", "ap-east-1"], &[]);
    let named = check(&moto, &[], &[]).expect_code(2).json();
    let t = &named["targets"];
    assert_eq!(t.as_array().unwrap().len(), 1, "{named:#}");
    let text = t[0]["error"].as_str().unwrap();
    assert!(
        text.contains("ap-east-1") && text.contains("not enabled"),
        "{text}"
    );
    // Without golden folders every queue is unmanaged.
    assert!(findings(&report).contains(&(
        format!("{}/us-east-1", members[0].account),
        "orders".into(),
        "unmanaged".into()
    )));
}

#[test]
fn an_account_whose_regions_cannot_be_read_is_an_error_naming_the_call() {
    let moto = Moto::start();
    let members = organization(&moto, &[&["orders"]]);
    write_plan(&moto, &members, &["*"], &[]);
    let proxy = FaultProxy::start(&moto, &["--fail", "DescribeRegions=UnauthorizedOperation"]);
    let args = [
        "check",
        "--plan",
        "plan.json",
        "--no-checks",
        "--format",
        "json",
    ];
    let report = proxy.driftwatch(&moto, &args).expect_code(2).json();
    let t = &report["targets"];
    assert_eq!(t.as_array().unwrap().len(), 1, "{report:#}");
    assert_eq!(t[0]["status"], "error");
    assert_eq!(t[0]["region"], Value::Null);
    let text = t[0]["error"].as_str().unwrap();
    for part in [
        role(&members[0].account).as_str(),
        "ec2:DescribeRegions",
        "UnauthorizedOperation",
    ] {
        assert!(text.contains(part), "{part} not in {text}");
    }
    // `*` never turns an unreadable account into one with no regions and nothing in it.
    assert_eq!(report["resources"], serde_json::json!([]));
}

#[test]
fn a_plan_refuses_history_and_a_bad_plan_is_named() {
    let moto = Moto::start();
    std::fs::write(moto.path("plan.json"), "{\"version\": 1}\n").unwrap();
    let run = check(&moto, &[], &[]).expect_code(2);
    assert!(run.stderr.contains("plan.json"), "{}", run.stderr);
    let run = check(&moto, &["--history", "h.db"], &[]).expect_code(2);
    assert!(run.stderr.contains("merge"), "{}", run.stderr);
}
