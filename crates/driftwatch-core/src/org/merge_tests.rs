use super::*;
use crate::diff::{ReferenceKind, ResourceReport, Status};
use crate::model::Kind;
use crate::org::{Excluded, Unit};

fn plan(n: usize) -> OrgPlan {
    let units = (0..n)
        .map(|i| Unit {
            account_id: format!("{:012}", 111_111_111_111u64 * (i as u64 + 1)),
            name: format!("a{i}"),
            ou_path: vec!["r-ab12".into()],
            role_arn: String::new(),
            regions: vec!["us-east-1".into()],
            exclude_regions: vec![],
        })
        .collect();
    let excluded = vec![Excluded {
        account_id: "999999999999".into(),
        name: "sandbox".into(),
        reason: "in exclude_accounts".into(),
    }];
    OrgPlan::new("aws", units, excluded)
}

/// A report of `accounts`' targets (us-east-1), each with one queue missing and one in sync.
fn report_of(accounts: &[&str]) -> Report {
    let mut resources = Vec::new();
    let mut targets = Vec::new();
    for a in accounts {
        let target = format!("{a}/us-east-1");
        for (id, status) in [("jobs", Status::Missing), ("ok", Status::InSync)] {
            resources.push(ResourceReport {
                target: Some(target.clone()),
                kind: Kind::SqsQueue,
                id: id.into(),
                status,
                reference: ReferenceKind::Golden.into(),
                partial: false,
                changes: Vec::new(),
                seen: None,
                expected: None,
                actual: None,
            });
        }
        targets.push(TargetStatus {
            account: a.to_string(),
            region: Some("us-east-1".into()),
            status: TargetState::Ok,
            error: None,
            reason: None,
        });
    }
    let mut r = Report::new(resources, Vec::new(), "live");
    r.targets = targets;
    r
}

/// The reports of `count` shards of `plan`, through their JSON (as `merge` reads them).
fn shards(plan: &OrgPlan, count: usize) -> Vec<Input> {
    (1..=count)
        .map(|index| {
            let units = slice(plan, ShardSpec { index, count });
            let ids: Vec<&str> = units.iter().map(|u| u.account_id.as_str()).collect();
            let mut r = report_of(&ids);
            r.shard = Some(ShardRef {
                index,
                count,
                plan_id: plan.plan_id.clone(),
            });
            input(&format!("shard-{index}.json"), &r)
        })
        .collect()
}

fn input(file: &str, r: &Report) -> Input {
    Input {
        file: file.into(),
        report: Report::from_json(&crate::report::json::render(r)),
    }
}

fn errors(m: &Merged) -> String {
    m.report
        .errors
        .iter()
        .map(|e| e.message.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn three_shards_merge_into_the_report_of_one_run() {
    let p = plan(5);
    let m = merge(&p, shards(&p, 3));
    assert!(!m.invalid, "{}", errors(&m));
    let ids: Vec<&str> = p.units.iter().map(|u| u.account_id.as_str()).collect();
    let one = report_of(&ids);
    let json = |r: &Report| serde_json::to_value(r).unwrap();
    let (merged, one) = (json(&m.report), json(&one));
    for field in ["summary", "resources", "errors"] {
        assert_eq!(merged[field], one[field], "{field}");
    }
    assert_eq!(merged["merge"]["shards"], 3);
    assert_eq!(merged["merge"]["plan_id"], p.plan_id.as_str());
    assert!(merged.get("shard").is_none());
    let targets = merged["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 6);
    let excluded = targets.last().unwrap();
    assert_eq!(excluded["status"], "excluded");
    assert_eq!(excluded["region"], serde_json::Value::Null);
    assert_eq!(excluded["reason"], "in exclude_accounts");
}

#[test]
fn a_missing_shard_lists_its_accounts_as_not_checked() {
    let p = plan(5);
    let mut inputs = shards(&p, 3);
    inputs.remove(1);
    let m = merge(&p, inputs);
    assert!(m.invalid);
    assert!(
        errors(&m).contains("shard 2/3: no report"),
        "{}",
        errors(&m)
    );
    let missing = slice(&p, ShardSpec { index: 2, count: 3 });
    for u in missing {
        let t = m
            .report
            .targets
            .iter()
            .find(|t| t.account == u.account_id)
            .unwrap();
        assert_eq!(t.status, TargetState::Error);
        assert!(t.error.as_deref().unwrap().contains("not checked"));
    }
    // What was read is still there.
    assert_eq!(m.report.summary.missing, 3);
}

#[test]
fn duplicated_out_of_range_and_other_plans_shards_are_refused() {
    let p = plan(5);
    let mut inputs = shards(&p, 3);
    let mut again = Report::from_json(&crate::report::json::render(
        inputs[0].report.as_ref().unwrap(),
    ))
    .unwrap();
    inputs.push(input("copy.json", &again));
    again.shard.as_mut().unwrap().index = 4;
    inputs.push(input("four.json", &again));
    again.shard.as_mut().unwrap().index = 1;
    again.shard.as_mut().unwrap().count = 4;
    inputs.push(input("of-four.json", &again));
    again.shard.as_mut().unwrap().plan_id = "0".repeat(64);
    inputs.push(input("other.json", &again));
    let mut zero = again.clone();
    zero.shard = Some(ShardRef {
        index: 0,
        count: 0,
        plan_id: p.plan_id.clone(),
    });
    inputs.insert(0, input("zero.json", &zero));
    let m = merge(&p, inputs);
    let e = errors(&m);
    assert!(m.invalid);
    assert!(
        e.contains("copy.json: shard 1/3 is shard-1.json already"),
        "{e}"
    );
    assert!(e.contains("four.json: shard index 4 is out of 1..3"), "{e}");
    assert!(
        e.contains("of-four.json: shard 1/4 of 4 shards, not 3"),
        "{e}"
    );
    assert!(e.contains("other.json: its plan_id 000"), "{e}");
    assert!(e.contains("zero.json: shard 0/0 is no shard"), "{e}");
    assert_eq!(m.report.merge.as_ref().unwrap().shards, 3);
    // None of the refused ones counted twice.
    assert_eq!(m.report.summary.missing, 5);
}

#[test]
fn unreadable_and_unsharded_reports_and_units_in_none_or_two() {
    let p = plan(4);
    let mut inputs = shards(&p, 2);
    inputs.push(Input {
        file: "cut.json".into(),
        report: Report::from_json("{\"schema\":"),
    });
    inputs.push(input("plain.json", &report_of(&[])));
    // Shard 2 checked one account of shard 1 too, and left one of its own out.
    let mut second = inputs[1].report.as_ref().unwrap().clone();
    let mine = slice(&p, ShardSpec { index: 2, count: 2 });
    let theirs = slice(&p, ShardSpec { index: 1, count: 2 });
    second.targets.retain(|t| t.account != mine[0].account_id);
    second.targets.push(TargetStatus {
        region: Some("us-east-1".into()),
        status: TargetState::Ok,
        ..TargetStatus::account_error(&theirs[0].account_id, String::new())
    });
    second.targets[0].error = None;
    inputs[1] = Input {
        file: "shard-2.json".into(),
        report: Ok(second),
    };
    let m = merge(&p, inputs);
    let e = errors(&m);
    assert!(e.contains("cut.json: cannot be read"), "{e}");
    assert!(e.contains("plain.json: not a shard's report"), "{e}");
    assert!(
        e.contains(&format!("account {} is in 2 reports", theirs[0].account_id)),
        "{e}"
    );
    assert!(
        e.contains(&format!(
            "account {} is a unit of the plan in no",
            mine[0].account_id
        )),
        "{e}"
    );
}

#[test]
fn an_account_in_error_is_an_error_of_the_merged_report() {
    let p = plan(2);
    let mut inputs = shards(&p, 1);
    let mut r = inputs.remove(0).report.unwrap();
    let denied = "sts:AssumeRole of arn:aws:iam::111111111111:role/R failed (AccessDenied)";
    r.targets[0] = TargetStatus::account_error("111111111111", denied.into());
    let m = merge(&p, vec![input("shard-1.json", &r)]);
    assert!(!m.invalid);
    assert_eq!(m.report.errors.len(), 1);
    assert_eq!(m.report.errors[0].message, denied);
    assert_eq!(m.report.errors[0].target.as_deref(), Some("111111111111"));
    assert_eq!(m.report.summary.errors, 1);
}
