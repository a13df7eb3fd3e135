//! `driftwatch merge`: the shards' reports of one plan made into one report, exit code and
//! history. The shard reports here are `check --format json` reports of each shard's targets
//! (`{account}/{region}`, reached through `role_arn` as a shard reaches them) with the `shard`
//! and `targets` fields a shard adds, so the merge is tested apart from how shards run.
//!
//! Three member accounts through moto: credentials from `AssumeRole` into an account reach that
//! account's resources (moto 5 is multi-account; the account follows the access key).

use serde_json::{json, Value};

use driftwatch_core::org::{slice, Excluded, OrgPlan, ShardSpec, Unit};

use crate::harness::{Moto, Run};
use crate::notify::{Answer, Receiver};

const ACCOUNTS: [&str; 3] = ["111111111111", "222222222222", "333333333333"];
const REGION: &str = "us-east-1";

/// An SQS client in `account`, through AssumeRole as a shard gets there.
async fn sqs_of(moto: &Moto, account: &str) -> aws_sdk_sqs::Client {
    aws_sdk_sqs::Client::new(&crate::history_scope::account(moto, account).await.1)
}

fn role(account: &str) -> String {
    format!("arn:aws:iam::{account}:role/driftwatch")
}

/// Three accounts, each with its own queues; nothing described (empty golden folders), so each
/// queue is an unmanaged finding of its account. Writes `plan.json` (one account excluded).
async fn organization(moto: &Moto) -> OrgPlan {
    for (i, account) in ACCOUNTS.iter().enumerate() {
        let sqs = sqs_of(moto, account).await;
        for q in 0..=i {
            let name = format!("jobs-{account}-{q}");
            sqs.create_queue().queue_name(name).send().await.unwrap();
        }
        std::fs::create_dir_all(moto.path(&format!("golden/{account}"))).unwrap();
    }
    let units = ACCOUNTS
        .iter()
        .map(|a| Unit {
            account_id: a.to_string(),
            name: format!("acct-{a}"),
            ou_path: vec!["r-ab12".into()],
            role_arn: role(a),
            regions: vec![REGION.into()],
            exclude_regions: vec![],
        })
        .collect();
    let excluded = vec![Excluded {
        account_id: "444444444444".into(),
        name: "sandbox".into(),
        reason: "in exclude_accounts".into(),
    }];
    let plan = OrgPlan::new("aws", units, excluded);
    let text = serde_json::to_string_pretty(&plan).unwrap() + "\n";
    std::fs::write(moto.path("plan.json"), text).unwrap();
    plan
}

/// `driftwatch.toml` with one target per account of `accounts`, named as a shard names them.
fn config(accounts: &[&str]) -> String {
    let mut text = String::from("kinds = [\"aws_sqs_queue\"]\n");
    for a in accounts {
        text.push_str(&format!(
            "\n[[targets]]\nname = \"{a}/{REGION}\"\nregion = \"{REGION}\"\nrole_arn = \"{}\"\n\
             golden = \"golden/{a}\"\n",
            role(a)
        ));
    }
    text
}

/// `check --format json` over `accounts`' targets (exit 1: their queues are unmanaged).
fn check(moto: &Moto, accounts: &[&str]) -> Value {
    std::fs::write(moto.path("driftwatch.toml"), config(accounts)).unwrap();
    moto.driftwatch(&["check", "--no-checks", "--format", "json"])
        .expect_code(1)
        .json()
}

/// Runs each shard of `count` and writes its report to `shards/shard-K.json`, with the
/// `shard` and `targets` fields a shard adds.
fn run_shards(moto: &Moto, plan: &OrgPlan, count: usize) {
    std::fs::create_dir_all(moto.path("shards")).unwrap();
    for index in 1..=count {
        let units = slice(plan, ShardSpec { index, count });
        let accounts: Vec<&str> = units.iter().map(|u| u.account_id.as_str()).collect();
        let mut report = check(moto, &accounts);
        report["shard"] = json!({"index": index, "count": count, "plan_id": plan.plan_id});
        report["targets"] = accounts
            .iter()
            .map(|a| json!({"account": a, "region": REGION, "status": "ok"}))
            .collect();
        write_json(moto, &format!("shards/shard-{index}.json"), &report);
    }
    // The merge job has no driftwatch.toml of targets: it reads reports only.
    std::fs::write(
        moto.path("driftwatch.toml"),
        "kinds = [\"aws_sqs_queue\"]\n",
    )
    .unwrap();
}

fn write_json(moto: &Moto, file: &str, v: &Value) {
    std::fs::write(moto.path(file), serde_json::to_string_pretty(v).unwrap()).unwrap();
}

fn read_json(moto: &Moto, file: &str) -> Value {
    serde_json::from_slice(&std::fs::read(moto.path(file)).unwrap()).unwrap()
}

fn merge(moto: &Moto, reports: &[&str], more: &[&str]) -> Run {
    let mut args = vec!["merge", "--plan", "plan.json"];
    args.extend_from_slice(more);
    args.extend_from_slice(reports);
    moto.driftwatch(&args)
}

const SHARDS: [&str; 3] = [
    "shards/shard-1.json",
    "shards/shard-2.json",
    "shards/shard-3.json",
];

#[tokio::test]
async fn three_shards_merge_into_the_report_of_one_run_in_every_format() {
    let moto = Moto::start();
    let plan = organization(&moto).await;
    let one = check(&moto, &ACCOUNTS);
    run_shards(&moto, &plan, 3);
    let run = merge(
        &moto,
        &SHARDS,
        &[
            "--format",
            "json",
            "--report",
            "markdown=summary.md",
            "--report",
            "junit=junit.xml",
            "--report",
            "console=console.txt",
            "--report",
            "html=report.html",
        ],
    )
    .expect_code(1);
    let merged = run.json();
    for field in ["summary", "resources", "errors", "accounts"] {
        assert_eq!(merged[field], one[field], "{field}:\n{merged:#}");
    }
    assert_eq!(merged["summary"]["unmanaged"], 6);
    assert_eq!(
        merged["merge"],
        json!({"plan_id": plan.plan_id, "shards": 3})
    );
    assert!(merged.get("shard").is_none());
    let targets: Vec<(String, String)> = merged["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["account"].as_str().unwrap().into(),
                t["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    let mut expected: Vec<(String, String)> = ACCOUNTS
        .iter()
        .map(|a| (a.to_string(), "ok".into()))
        .collect();
    expected.push(("444444444444".into(), "excluded".into()));
    assert_eq!(targets, expected);
    // Every format renders the merged report.
    let md = std::fs::read_to_string(moto.path("summary.md")).unwrap();
    let junit = std::fs::read_to_string(moto.path("junit.xml")).unwrap();
    let console = std::fs::read_to_string(moto.path("console.txt")).unwrap();
    for a in ACCOUNTS {
        let q = format!("jobs-{a}-0");
        assert!(md.contains(&q), "{md}");
        assert!(junit.contains(&q), "{junit}");
        assert!(console.contains(&q), "{console}");
    }
    assert!(console.contains("6 unmanaged"), "{console}");
    // The page: one finding per unmanaged queue, each under its account's target, which the
    // target filter offers; the accounts counted as the console counts them.
    let page = std::fs::read_to_string(moto.path("report.html")).unwrap();
    assert_eq!(
        page.matches("<article class=\"finding\"").count(),
        6,
        "{page}"
    );
    let mut on_targets = 0;
    for a in ACCOUNTS {
        let target = format!("{a}/us-east-1");
        assert!(
            page.contains(&format!("<option value=\"{target}\">")),
            "{target}"
        );
        let of = |r: &&Value| r["target"] == target.as_str() && r["status"] == "unmanaged";
        let expected = merged["resources"]
            .as_array()
            .unwrap()
            .iter()
            .filter(of)
            .count();
        let unmanaged = format!(
            "data-target=\"{target}\" data-kind=\"aws_sqs_queue\" data-status=\"unmanaged\""
        );
        assert_eq!(page.matches(&unmanaged).count(), expected, "{target}");
        on_targets += expected;
    }
    assert_eq!(on_targets, 6);
    assert!(page.contains("accounts: 3 checked (3 account regions), 1 excluded"));
    assert!(page.contains("Merged</dt><dd>3 shards of plan"));
    assert!(
        console.contains("accounts: 3 checked (3 account regions), 1 excluded\nexcluded: 444444444444 (in exclude_accounts)"),
        "{console}"
    );
    // The same shards given in another order make the same report.
    let again = merge(
        &moto,
        &[SHARDS[2], SHARDS[0], SHARDS[1]],
        &["--format", "json"],
    )
    .expect_code(1)
    .json();
    assert_eq!(again, merged);
}

/// Each way the reports fail to make one run of the plan exits 2 naming why, and still writes
/// the report of what was read.
#[tokio::test]
async fn missing_duplicated_foreign_and_unreadable_shards_exit_2_with_the_reason() {
    let moto = Moto::start();
    let plan = organization(&moto).await;
    run_shards(&moto, &plan, 3);
    let shard = |k: usize| read_json(&moto, &format!("shards/shard-{k}.json"));

    let missing = merge(&moto, &SHARDS[..2], &["--format", "json"]).expect_code(2);
    assert!(
        missing.stderr.contains("shard 3/3: no report"),
        "{}",
        missing.stderr
    );
    let report = missing.json();
    let lost = slice(&plan, ShardSpec { index: 3, count: 3 });
    for u in lost {
        let t = report["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["account"] == u.account_id.as_str())
            .unwrap();
        assert_eq!(t["status"], "error");
        assert!(t["error"].as_str().unwrap().contains("not checked"), "{t}");
    }
    assert!(report["summary"]["unmanaged"].as_u64().unwrap() > 0);

    let twice = merge(&moto, &[SHARDS[0], SHARDS[1], SHARDS[2], SHARDS[0]], &[]).expect_code(2);
    assert!(
        twice
            .stderr
            .contains("shard-1.json: shard 1/3 is shards/shard-1.json already"),
        "{}",
        twice.stderr
    );

    let mut four = shard(3);
    four["shard"]["index"] = json!(4);
    write_json(&moto, "four.json", &four);
    let out = merge(&moto, &[SHARDS[0], SHARDS[1], SHARDS[2], "four.json"], &[]).expect_code(2);
    assert!(
        out.stderr
            .contains("four.json: shard index 4 is out of 1..3"),
        "{}",
        out.stderr
    );

    let mut foreign = shard(3);
    foreign["shard"]["plan_id"] = json!("0".repeat(64));
    write_json(&moto, "foreign.json", &foreign);
    let other = merge(&moto, &[SHARDS[0], SHARDS[1], "foreign.json"], &[]).expect_code(2);
    assert!(
        other.stderr.contains("foreign.json: its plan_id 0000"),
        "{}",
        other.stderr
    );

    let mut of_four = shard(3);
    of_four["shard"]["count"] = json!(4);
    write_json(&moto, "of-four.json", &of_four);
    let count = merge(&moto, &[SHARDS[0], SHARDS[1], "of-four.json"], &[]).expect_code(2);
    assert!(
        count
            .stderr
            .contains("of-four.json: shard 3/4 of 4 shards, not 3"),
        "{}",
        count.stderr
    );

    std::fs::write(moto.path("cut.json"), "{\"schema\": \"driftwatch.rep").unwrap();
    let mut plain = shard(3);
    plain.as_object_mut().unwrap().remove("shard");
    write_json(&moto, "plain.json", &plain);
    let bad = merge(
        &moto,
        &[
            SHARDS[0],
            SHARDS[1],
            SHARDS[2],
            "cut.json",
            "plain.json",
            "gone.json",
        ],
        &[],
    )
    .expect_code(2);
    for reason in [
        "cut.json: cannot be read",
        "plain.json: not a shard's report",
        "gone.json: cannot be read",
    ] {
        assert!(bad.stderr.contains(reason), "{reason}:\n{}", bad.stderr);
    }

    // An account of the plan that no report holds.
    let mut short = shard(1);
    short["targets"].as_array_mut().unwrap().clear();
    write_json(&moto, "short.json", &short);
    let none = merge(&moto, &["short.json", SHARDS[1], SHARDS[2]], &[]).expect_code(2);
    let lost = &slice(&plan, ShardSpec { index: 1, count: 3 })[0].account_id;
    assert!(
        none.stderr.contains(&format!(
            "account {lost} is a unit of the plan in no shard's report"
        )),
        "{}",
        none.stderr
    );

    // An edited plan is refused before any report is read.
    let text = std::fs::read_to_string(moto.path("plan.json")).unwrap();
    std::fs::write(moto.path("plan.json"), text.replace("acct-", "edited-")).unwrap();
    let edited = merge(&moto, &SHARDS, &[]).expect_code(2);
    assert!(edited.stderr.contains("was edited"), "{}", edited.stderr);
}

#[tokio::test]
async fn an_account_in_error_exits_2_and_the_others_are_reported() {
    let moto = Moto::start();
    let plan = organization(&moto).await;
    run_shards(&moto, &plan, 3);
    let mut shard = read_json(&moto, SHARDS[0]);
    let denied = shard["targets"][0]["account"].as_str().unwrap().to_string();
    let error = format!(
        "sts:AssumeRole of {} failed (AccessDenied): not authorized",
        role(&denied)
    );
    shard["targets"][0] =
        json!({"account": denied, "region": null, "status": "error", "error": error});
    let kept: Vec<Value> = shard["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["target"].as_str().unwrap().starts_with(&denied))
        .cloned()
        .collect();
    shard["resources"] = Value::Array(kept);
    write_json(&moto, SHARDS[0], &shard);
    let run = merge(&moto, &SHARDS, &["--format", "json"]).expect_code(2);
    assert!(run.stderr.contains(&error), "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["summary"]["errors"], 1);
    let others = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["target"].as_str().unwrap().starts_with(&denied))
        .count();
    assert_eq!(report["resources"].as_array().unwrap().len(), others);
    assert!(others > 0);
}

#[tokio::test]
async fn merge_writes_the_history_and_a_second_merge_says_what_is_new() {
    let moto = Moto::start();
    let plan = organization(&moto).await;
    run_shards(&moto, &plan, 3);
    // The merge job tells the webhooks; the shards never do (their run above had none).
    let hook = Receiver::start(Answer::Status(200));
    let notify = format!(
        "kinds = [\"aws_sqs_queue\"]\n\n[[notify]]\nurl = \"{}\"\non = [\"new\"]\nformat = \"json\"\n",
        hook.url
    );
    std::fs::write(moto.path("driftwatch.toml"), &notify).unwrap();
    let history = ["--history", "org.db", "--format", "json"];
    let first = merge(&moto, &SHARDS, &history).expect_code(1).json();
    assert_eq!(first["summary"]["new"], 6);
    let told: Vec<Value> = hook
        .bodies()
        .iter()
        .map(|b| serde_json::from_str(b).unwrap())
        .collect();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0]["merge"]["shards"], 3);
    assert_eq!(told[0]["summary"]["new"], 6);
    // Without a database, against the last merged report: the same answer.
    write_json(&moto, "previous.json", &first);
    let since = ["--since", "previous.json", "--format", "json"];
    let known = merge(&moto, &SHARDS, &since).expect_code(1).json();
    assert_eq!(known["summary"]["known"], 6, "{known:#}");

    let second = merge(&moto, &SHARDS, &history).expect_code(1).json();
    assert_eq!(second["summary"]["new"], 0, "{second:#}");
    assert_eq!(second["summary"]["known"], 6);
    assert_eq!(hook.bodies().len(), 1, "nothing new: nobody told");
    // Known drift passes a run that fails on new findings only.
    merge(&moto, &SHARDS, &["--history", "org.db", "--fail-on", "new"]).expect_code(0);

    // One more queue in one account, and one gone in another: the next night's shards.
    let sqs = sqs_of(&moto, ACCOUNTS[0]).await;
    sqs.create_queue().queue_name("late").send().await.unwrap();
    let gone = sqs_of(&moto, ACCOUNTS[2]).await;
    let url = gone
        .get_queue_url()
        .queue_name(format!("jobs-{}-2", ACCOUNTS[2]))
        .send()
        .await
        .unwrap();
    gone.delete_queue()
        .queue_url(url.queue_url().unwrap())
        .send()
        .await
        .unwrap();
    run_shards(&moto, &plan, 3);
    let third = merge(&moto, &SHARDS, &history).expect_code(1).json();
    assert_eq!(third["summary"]["new"], 1, "{third:#}");
    assert_eq!(third["summary"]["resolved"], 1, "{third:#}");
    let new: Vec<&str> = third["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["new"] == true)
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(new, ["late"]);
    merge(&moto, &SHARDS, &["--history", "org.db", "--fail-on", "new"]).expect_code(0);

    // A merge that is not one run of the plan leaves the history alone.
    let partial = merge(&moto, &SHARDS[..2], &history).expect_code(2);
    assert!(
        partial.stderr.contains("history: not marked or recorded"),
        "{}",
        partial.stderr
    );
    let after = merge(&moto, &SHARDS, &history).expect_code(1).json();
    assert_eq!(after["summary"]["new"], 0, "{after:#}");
}
