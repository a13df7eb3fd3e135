//! The whole pipeline against an organization in moto, as a scheduler runs it: `plan` once, three
//! shard processes, `merge`; the same findings as one shard over the same plan, and a merge that
//! refuses what is missing or twice. One member's role denied (fault proxy): that account is an
//! error, the others are reported, and the merged exit code is 2.

use serde_json::Value;

use crate::harness::{FaultProxy, Moto, Run};
use crate::org_shards::{findings, goldens, organization, targets};

const CONFIG: &str = "kinds = [\"aws_sqs_queue\"]\n\n[checks]\nenabled = false\n\n[org]\n\
     role_name = \"OrganizationAccountAccessRole\"\nregions = [\"us-east-1\"]\n\
     golden = \"golden/{account_id}/{region}\"\n";

fn shard(moto: &Moto, proxy: Option<&FaultProxy>, spec: &str, out: &str) -> Run {
    let report = format!("json={out}");
    let args = [
        "check",
        "--plan",
        "plan.json",
        "--shard",
        spec,
        "--report",
        &report,
    ];
    let run = match proxy {
        Some(p) => p.driftwatch(moto, &args),
        None => moto.driftwatch(&args),
    };
    assert!(matches!(run.code, 0..=2), "{}", run.stderr);
    run
}

fn merge(moto: &Moto, reports: &[&str]) -> Run {
    let mut args = vec!["merge", "--plan", "plan.json", "--format", "json"];
    args.extend_from_slice(reports);
    moto.driftwatch(&args)
}

#[test]
fn plan_three_shards_and_merge_equal_one_shard_and_refuse_a_missing_or_repeated_shard() {
    let moto = Moto::start();
    // Four members: a queue in sync, a queue drifted from its golden file, none, another.
    let members = organization(&moto, &[&["orders"], &["jobs"], &[], &["reports"]]);
    goldens(&moto, &members, &members[1]);
    std::fs::write(moto.path("driftwatch.toml"), CONFIG).unwrap();
    moto.driftwatch(&["plan", "-o", "plan.json"]).expect_code(0);
    let plan: Value =
        serde_json::from_str(&std::fs::read_to_string(moto.path("plan.json")).unwrap()).unwrap();
    let mut planned: Vec<&str> = plan["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["account_id"].as_str().unwrap())
        .collect();
    let mut seeded: Vec<&str> = members.iter().map(|m| m.account.as_str()).collect();
    planned.sort_unstable();
    seeded.sort_unstable();
    assert_eq!(planned, seeded, "the management account is not a unit");

    for k in 1..=3 {
        shard(&moto, None, &format!("{k}/3"), &format!("shard-{k}.json"));
    }
    let three = merge(&moto, &["shard-1.json", "shard-2.json", "shard-3.json"]).expect_code(1);
    shard(&moto, None, "1/1", "one.json");
    let one = merge(&moto, &["one.json"]).expect_code(1);
    let (a, b) = (three.json(), one.json());
    assert_eq!(findings(&a), findings(&b));
    assert_eq!(targets(&a), targets(&b));
    assert_eq!(a["summary"], b["summary"]);
    assert_eq!(a["summary"]["modified"], 1, "{a:#}");
    // The four members checked, and the management account the plan excludes.
    let states: Vec<String> = targets(&a).into_iter().map(|t| t.2).collect();
    assert_eq!(states.iter().filter(|s| *s == "ok").count(), 4, "{a:#}");
    assert_eq!(
        states.iter().filter(|s| *s == "excluded").count(),
        1,
        "{a:#}"
    );

    let missing = merge(&moto, &["shard-1.json", "shard-3.json"]).expect_code(2);
    assert!(
        missing.stderr.contains("2/3") || missing.stdout.contains("2/3"),
        "{}",
        missing.stderr
    );
    merge(
        &moto,
        &[
            "shard-1.json",
            "shard-2.json",
            "shard-2.json",
            "shard-3.json",
        ],
    )
    .expect_code(2);
}

#[test]
fn a_denied_account_is_an_error_of_the_merged_report_and_the_others_are_reported() {
    let moto = Moto::start();
    let members = organization(&moto, &[&["orders"], &["jobs"], &["reports"]]);
    goldens(&moto, &members, &members[1]);
    std::fs::write(moto.path("driftwatch.toml"), CONFIG).unwrap();
    moto.driftwatch(&["plan", "-o", "plan.json"]).expect_code(0);
    let denied = &members[0].account;
    let proxy = FaultProxy::start(&moto, &["--deny-assume-role", denied]);
    for k in 1..=2 {
        shard(
            &moto,
            Some(&proxy),
            &format!("{k}/2"),
            &format!("shard-{k}.json"),
        );
    }
    let merged = merge(&moto, &["shard-1.json", "shard-2.json"])
        .expect_code(2)
        .json();
    let states = targets(&merged);
    assert_eq!(
        states.len(),
        4,
        "three members and the excluded management account"
    );
    for (account, region, status) in &states {
        match status.as_str() {
            "excluded" => assert!(members.iter().all(|m| &m.account != account)),
            _ if account == denied => {
                assert_eq!((region, status.as_str()), (&Value::Null, "error"))
            }
            _ => assert_eq!(status, "ok"),
        }
    }
    // The drifted queue of a reachable account is still reported.
    assert_eq!(merged["summary"]["modified"], 1, "{merged:#}");
}
