//! `driftwatch policy` is complete: every AWS operation driftwatch is seen calling (all kinds,
//! and a state read from S3) is in it, and none of its actions writes.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::harness::{driftwatch_command, Run};
use crate::queues_groups_services::seeded_and_snapshotted;

#[tokio::test]
async fn every_call_made_is_in_the_policy_and_none_writes() {
    let env = seeded_and_snapshotted().await;
    let iam = env.moto.iam().await;
    iam.create_role()
        .role_name("r")
        .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[]}"#)
        .send()
        .await
        .unwrap();
    iam.create_policy()
        .policy_name("p")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
    let s3 = env.moto.s3().await;
    s3.create_bucket().bucket("tf-state").send().await.unwrap();
    s3.put_object()
        .bucket("tf-state")
        .key("prod.tfstate")
        .body(br#"{"version": 4, "resources": []}"#.to_vec().into())
        .send()
        .await
        .unwrap();

    let run = env.moto.driftwatch(&[
        "-v",
        "check",
        "--golden",
        "golden",
        "--state",
        "s3://tf-state/prod.tfstate",
    ]);
    assert!(run.code == 1 || run.code == 0, "{}", run.stderr);
    let calls = run.api_calls().into_keys().collect::<BTreeSet<_>>();
    assert!(
        calls.len() >= 14,
        "too few calls seen: {calls:?}\n{}",
        run.stderr
    );

    let mut cmd = driftwatch_command(env.moto.dir.path());
    cmd.args(["policy", "--state", "s3://tf-state/prod.tfstate"]);
    let policy: Value = serde_json::from_str(&Run::of(&mut cmd).expect_code(0).stdout).unwrap();
    let mut granted = BTreeSet::new();
    for st in policy["Statement"].as_array().unwrap() {
        match &st["Action"] {
            Value::String(a) => {
                granted.insert(a.clone());
            }
            Value::Array(a) => granted.extend(a.iter().map(|x| x.as_str().unwrap().to_string())),
            _ => unreachable!(),
        }
    }
    for call in &calls {
        assert!(
            granted.contains(call),
            "{call} is called but not in the policy"
        );
    }
    // `ecr:BatchGetImage` reads image manifests (the image-reference check).
    const READ: [&str; 4] = ["List", "Describe", "Get", "BatchGet"];
    for action in &granted {
        let op = action.split_once(':').unwrap().1;
        assert!(
            READ.iter().any(|p| op.starts_with(p)),
            "{action} is not read-only"
        );
    }
    assert_eq!(
        policy["Statement"][1]["Resource"],
        serde_json::json!(["arn:aws:s3:::tf-state/prod.tfstate"])
    );
}

/// The README's Permissions policy is the one `driftwatch policy` prints (without the state
/// bucket's `s3:GetObject`, which the README grants on the bucket alone): a user who copies it
/// grants exactly what the tool calls.
#[test]
fn the_readme_permissions_are_what_policy_prints() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme
        .find("## Permissions")
        .expect("a Permissions section")..];
    let start = section.find("```json\n").expect("a JSON policy") + "```json\n".len();
    let end = start + section[start..].find("```").unwrap();
    let doc: Value =
        serde_json::from_str(&section[start..end]).expect("the README's policy parses");
    let mut cmd = driftwatch_command(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    cmd.arg("policy");
    let printed: Value = serde_json::from_str(&Run::of(&mut cmd).expect_code(0).stdout).unwrap();
    assert_eq!(actions(&doc), actions(&printed));
}

/// `policy --org`: the hub's policy lists the organization and assumes `[org]`'s role in every
/// account (and writes the history `merge` keeps); the member's is the read-only policy plus
/// the regions call a shard makes as the role. Without `[org]` naming a role, the hub's policy
/// cannot be written: exit 2, saying what is missing.
#[test]
fn org_policies_are_the_hub_s_and_each_account_s() {
    let dir = tempfile::tempdir().unwrap();
    let policy = |args: &[&str]| {
        let mut cmd = driftwatch_command(dir.path());
        cmd.arg("policy").args(args);
        Run::of(&mut cmd)
    };
    let missing = policy(&["--org", "hub"]).expect_code(2);
    assert!(missing.stderr.contains("no [org]"), "{}", missing.stderr);

    std::fs::write(
        dir.path().join("driftwatch.toml"),
        "history = \"s3://ci-state/drift/org.db\"\nstates = [\"s3://tf/prod.tfstate\"]\n\n\
         [org]\nrole_name = \"DriftwatchReadOnly\"\n",
    )
    .unwrap();
    let hub: Value =
        serde_json::from_str(&policy(&["--org", "hub"]).expect_code(0).stdout).unwrap();
    let st = hub["Statement"].as_array().unwrap();
    assert_eq!(st.len(), 3, "{hub:#}");
    let own: Vec<&str> = st[0]["Action"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(own.contains(&"organizations:ListAccounts") && own.contains(&"sts:GetCallerIdentity"));
    assert!(own
        .iter()
        .all(|a| a.starts_with("organizations:") || *a == "sts:GetCallerIdentity"));
    assert_eq!(st[1]["Action"], "sts:AssumeRole");
    assert_eq!(st[1]["Resource"], "arn:aws:iam::*:role/DriftwatchReadOnly");
    assert_eq!(st[2]["Resource"], "arn:aws:s3:::ci-state/drift/org.db");
    let gov: Value = serde_json::from_str(
        &policy(&["--org", "hub", "--partition", "aws-us-gov"])
            .expect_code(0)
            .stdout,
    )
    .unwrap();
    assert_eq!(
        gov["Statement"][1]["Resource"],
        "arn:aws-us-gov:iam::*:role/DriftwatchReadOnly"
    );

    let plain: Value = serde_json::from_str(&policy(&[]).expect_code(0).stdout).unwrap();
    let member: Value =
        serde_json::from_str(&policy(&["--org", "member"]).expect_code(0).stdout).unwrap();
    let mut want = actions(&plain);
    want.insert("ec2:DescribeRegions".to_string());
    assert_eq!(actions(&member), want);
    // The role reads no state and keeps no history: one statement.
    assert_eq!(
        member["Statement"].as_array().unwrap().len(),
        1,
        "{member:#}"
    );
}

/// The actions of a policy's first statement.
fn actions(policy: &Value) -> BTreeSet<String> {
    policy["Statement"][0]["Action"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}
