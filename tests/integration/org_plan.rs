//! `driftwatch plan` against an organization in moto: six member accounts in nested OUs, one
//! closed (SUSPENDED), and the management account. The plan keeps the ACTIVE members, says why
//! each other account is left out, follows the include and exclude lists of accounts and OUs
//! (nested OUs included), names each account's role, and is the same plan (same id, same bytes)
//! when nothing changed. A plan that cannot be made is exit 2 and no file.

use aws_sdk_organizations::types::{ChildType, OrganizationFeatureSet};
use driftwatch_core::org::OrgPlan;

use crate::harness::{driftwatch_command, Moto, Run};

/// moto's management account: the account of the credentials that create the organization.
const MANAGEMENT: &str = "123456789012";

struct Org {
    moto: Moto,
    root: String,
    prod: String,
    prod_eu: String,
    sandbox: String,
    /// Account id by name.
    ids: std::collections::BTreeMap<&'static str, String>,
}

/// root ─┬─ prod ─── prod-eu: app-eu, data-eu
///       │    └ app-prod, old-prod (closed: SUSPENDED)
///       ├─ sandbox: sandbox-1
///       └ legacy
async fn organization() -> Org {
    let moto = Moto::start();
    let org = moto.organizations().await;
    org.create_organization()
        .feature_set(OrganizationFeatureSet::All)
        .send()
        .await
        .unwrap();
    let roots = org.list_roots().send().await.unwrap();
    let root = roots.roots()[0].id().unwrap().to_string();
    let ou = |parent: String, name: &'static str| {
        let org = org.clone();
        async move {
            let out = org
                .create_organizational_unit()
                .parent_id(parent)
                .name(name)
                .send()
                .await
                .unwrap();
            out.organizational_unit().unwrap().id().unwrap().to_string()
        }
    };
    let prod = ou(root.clone(), "prod").await;
    let prod_eu = ou(prod.clone(), "prod-eu").await;
    let sandbox = ou(root.clone(), "sandbox").await;
    let mut ids = std::collections::BTreeMap::new();
    for (name, parent) in [
        ("app-prod", &prod),
        ("old-prod", &prod),
        ("app-eu", &prod_eu),
        ("data-eu", &prod_eu),
        ("sandbox-1", &sandbox),
        ("legacy", &root),
    ] {
        let out = org
            .create_account()
            .account_name(name)
            .email(format!("{name}@example.com"))
            .send()
            .await
            .unwrap();
        let id = out
            .create_account_status()
            .unwrap()
            .account_id()
            .unwrap()
            .to_string();
        if parent != &root {
            org.move_account()
                .account_id(&id)
                .source_parent_id(&root)
                .destination_parent_id(parent)
                .send()
                .await
                .unwrap();
        }
        ids.insert(name, id);
    }
    org.close_account()
        .account_id(&ids["old-prod"])
        .send()
        .await
        .unwrap();
    // The nesting is what the test is about: make sure moto holds it.
    let under_prod = org
        .list_children()
        .parent_id(&prod)
        .child_type(ChildType::OrganizationalUnit)
        .send()
        .await
        .unwrap();
    assert_eq!(under_prod.children().len(), 1);
    Org {
        moto,
        root,
        prod,
        prod_eu,
        sandbox,
        ids,
    }
}

impl Org {
    fn config(&self, org: &str) {
        std::fs::write(self.moto.path("driftwatch.toml"), format!("[org]\n{org}\n")).unwrap();
    }

    fn plan(&self, args: &[&str]) -> (Run, OrgPlan) {
        let mut all = vec!["-v", "plan"];
        all.extend_from_slice(args);
        let run = self.moto.driftwatch(&all).expect_code(0);
        let text = std::fs::read_to_string(self.moto.path("plan.json")).unwrap();
        let plan = OrgPlan::parse(&text).expect("plan.json is a valid plan");
        (run, plan)
    }

    /// Every call `run` made is among the permissions the README's `### plan` grants.
    fn calls_are_in_the_readme(&self, run: &Run) {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let section = &readme[readme.find("### plan").expect("a plan section")..];
        let start = section
            .find("```json\n{\"Version\"")
            .expect("plan's policy");
        let policy = &section[start..start + section[start..].find("]}]}").unwrap()];
        for call in run.api_calls().keys() {
            assert!(
                policy.contains(&format!("\"{call}\"")),
                "{call} not in the README"
            );
        }
    }

    fn id(&self, name: &str) -> String {
        self.ids[name].clone()
    }

    /// `(name, reason)` of each excluded account.
    fn excluded(&self, plan: &OrgPlan) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = plan
            .excluded
            .iter()
            .map(|e| (self.name(&e.account_id), e.reason.clone()))
            .collect();
        v.sort();
        v
    }

    fn units(&self, plan: &OrgPlan) -> Vec<String> {
        let mut v: Vec<String> = plan
            .units
            .iter()
            .map(|u| self.name(&u.account_id))
            .collect();
        v.sort();
        v
    }

    fn name(&self, id: &str) -> String {
        if id == MANAGEMENT {
            return "management".into();
        }
        let found = self.ids.iter().find(|(_, v)| *v == id);
        found
            .map(|(k, _)| k.to_string())
            .unwrap_or_else(|| id.into())
    }
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn the_plan_keeps_active_members_with_their_ou_paths_and_says_why_others_are_out() {
    let o = organization().await;
    o.config(
        "role_name = \"DriftwatchReadOnly\"\nregions = [\"us-east-1\", \"eu-west-1\"]\n\
         exclude_regions = [\"eu-west-1\"]",
    );
    let (run, plan) = o.plan(&["--shards", "3"]);
    assert_eq!(run.stdout, "[1,2,3]\n");
    o.calls_are_in_the_readme(&run);
    assert!(
        run.stderr.contains(&format!(
            "plan: 5 accounts, 2 excluded (plan_id {}) → plan.json",
            plan.plan_id
        )),
        "{}",
        run.stderr
    );
    assert_eq!(plan.partition, "aws");
    // Sorted by account id, each with its path from the root and its role.
    let ids: Vec<&str> = plan.units.iter().map(|u| u.account_id.as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
    assert_eq!(
        o.units(&plan),
        ["app-eu", "app-prod", "data-eu", "legacy", "sandbox-1"]
    );
    let unit = |name: &str| {
        let id = o.id(name);
        plan.units.iter().find(|u| u.account_id == id).unwrap()
    };
    let eu = unit("data-eu");
    assert_eq!(eu.name, "data-eu");
    assert_eq!(
        eu.ou_path,
        [o.root.as_str(), o.prod.as_str(), o.prod_eu.as_str()]
    );
    assert_eq!(
        eu.role_arn,
        format!("arn:aws:iam::{}:role/DriftwatchReadOnly", o.id("data-eu"))
    );
    assert_eq!(eu.regions, ["us-east-1", "eu-west-1"]);
    assert_eq!(eu.exclude_regions, ["eu-west-1"]);
    assert_eq!(unit("app-prod").ou_path, [o.root.as_str(), o.prod.as_str()]);
    assert_eq!(
        unit("sandbox-1").ou_path,
        [o.root.as_str(), o.sandbox.as_str()]
    );
    assert_eq!(unit("legacy").ou_path, [o.root.as_str()]);
    assert_eq!(
        o.excluded(&plan),
        [
            ("management".into(), "the management account".into()),
            ("old-prod".into(), "state SUSPENDED".into()),
        ]
    );

    // Nothing changed, nothing differs: the same id and the same bytes.
    let first = std::fs::read(o.moto.path("plan.json")).unwrap();
    let (_, again) = o.plan(&[]);
    assert_eq!(again.plan_id, plan.plan_id);
    assert_eq!(std::fs::read(o.moto.path("plan.json")).unwrap(), first);
}

#[tokio::test]
async fn include_and_exclude_lists_of_accounts_and_nested_ous() {
    let o = organization().await;
    // Walking an OU takes the OUs under it; accounts elsewhere are not in the plan at all.
    o.config("role_arn_template = \"arn:{partition}:iam::{account_id}:role/ops/Audit\"");
    let (run, plan) = o.plan(&["--ou", &o.prod, "-o", "plan.json"]);
    o.calls_are_in_the_readme(&run);
    assert_eq!(o.units(&plan), ["app-eu", "app-prod", "data-eu"]);
    assert_eq!(
        o.excluded(&plan),
        [("old-prod".into(), "state SUSPENDED".into())]
    );
    let eu = plan.units.iter().find(|u| u.name == "app-eu").unwrap();
    assert_eq!(
        eu.ou_path,
        [o.root.as_str(), o.prod.as_str(), o.prod_eu.as_str()]
    );
    assert_eq!(
        eu.role_arn,
        format!("arn:aws:iam::{}:role/ops/Audit", o.id("app-eu"))
    );
    assert_eq!(eu.regions, ["*"], "the default: the regions enabled");

    // Exclusion wins over inclusion; an excluded OU takes the OUs under it.
    o.config(&format!(
        "role_name = \"Audit\"\nexclude_organizational_units = [\"{}\"]\n\
         accounts = [\"{}\"]\ninclude_management_account = true",
        o.prod,
        o.id("legacy")
    ));
    let accounts = format!("{},{},{}", o.id("app-eu"), o.id("legacy"), MANAGEMENT);
    let (_, plan) = o.plan(&[
        "--accounts",
        &accounts,
        "--exclude-accounts",
        &o.id("legacy"),
        "--regions",
        "us-east-1,eu-west-1",
    ]);
    assert_eq!(o.units(&plan), ["management"]);
    let management = &plan.units[0];
    assert_eq!(management.ou_path, [o.root.as_str()]);
    assert_eq!(management.regions, strs(&["us-east-1", "eu-west-1"]));
    let prod = format!("in excluded OU {}", o.prod);
    let not_asked = "not in the accounts asked for".to_string();
    assert_eq!(
        o.excluded(&plan),
        [
            ("app-eu".into(), prod.clone()),
            ("app-prod".into(), prod.clone()),
            ("data-eu".into(), prod),
            ("legacy".into(), "in exclude_accounts".into()),
            ("old-prod".into(), "state SUSPENDED".into()),
            ("sandbox-1".into(), not_asked),
        ]
    );
}

#[tokio::test]
async fn a_plan_that_cannot_be_made_exits_2_and_writes_nothing() {
    let o = organization().await;
    // No role to assume: said before any call.
    o.config("regions = [\"*\"]");
    let run = o.moto.driftwatch(&["plan", "--shards", "2"]).expect_code(2);
    assert!(run.stderr.contains("role_name"), "{}", run.stderr);
    assert_eq!(run.stdout, "", "no matrix for a plan not written");
    assert!(!o.moto.path("plan.json").exists());

    // An account asked for that the organization does not hold.
    o.config("role_name = \"Audit\"");
    let run = o
        .moto
        .driftwatch(&["plan", "--accounts", "999999999999"])
        .expect_code(2);
    assert!(run.stderr.contains("999999999999"), "{}", run.stderr);
    assert!(!o.moto.path("plan.json").exists());

    // An OU that does not exist: the call's error, named.
    let run = o
        .moto
        .driftwatch(&["plan", "--ou", "ou-zzzz-nothere1"])
        .expect_code(2);
    assert!(
        run.stderr.contains("organizations:ListParents"),
        "{}",
        run.stderr
    );
    assert!(!o.moto.path("plan.json").exists());
}

#[tokio::test]
async fn no_organization_is_exit_2_naming_the_call() {
    let moto = Moto::start();
    std::fs::write(moto.path("driftwatch.toml"), "[org]\nrole_name = \"A\"\n").unwrap();
    let run = moto.driftwatch(&["plan"]).expect_code(2);
    assert!(
        run.stderr
            .contains("organizations:DescribeOrganization failed"),
        "{}",
        run.stderr
    );
    assert!(!moto.path("plan.json").exists());
    // Without any AWS endpoint at all, the role check still comes first.
    std::fs::write(moto.path("driftwatch.toml"), "[org]\n").unwrap();
    let run = Run::of(driftwatch_command(moto.dir.path()).arg("plan")).expect_code(2);
    assert!(run.stderr.contains("no role to assume"), "{}", run.stderr);
}

/// AWS answers `ListAccounts` from a member account `AccessDeniedException` (moto answers an
/// empty list, so the proxy says it), and Organizations throttles large organizations: either
/// is exit 2 naming the call, as is an answer that never comes; and the previous run's plan
/// is left as it was, never half rewritten.
#[tokio::test]
async fn denied_or_throttled_calls_exit_2_and_leave_the_file_as_it_was() {
    let o = organization().await;
    o.config("role_name = \"Audit\"");
    let old = "{\"the\": \"previous plan\"}\n";
    std::fs::write(o.moto.path("plan.json"), old).unwrap();
    let proxy = crate::harness::FaultProxy::start(&o.moto, &["--deny", "ListAccounts"]);
    let run = proxy.driftwatch(&o.moto, &["plan"]).expect_code(2);
    assert!(
        run.stderr
            .contains("organizations:ListAccounts failed: AccessDeniedException"),
        "{}",
        run.stderr
    );
    drop(proxy);
    let proxy = crate::harness::FaultProxy::start(
        &o.moto,
        &["--throttle-rate", "1", "--throttle-op", "ListParents"],
    );
    let run = proxy
        .driftwatch(&o.moto, &["--max-attempts", "2", "plan", "--shards", "2"])
        .expect_code(2);
    assert!(
        run.stderr.contains("organizations:ListParents"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Throttling"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    drop(proxy);
    // An answer that never comes: the run's deadline ends it.
    let proxy = crate::harness::FaultProxy::start(&o.moto, &["--hang", "ListAccounts"]);
    let run = proxy
        .driftwatch(&o.moto, &["--deadline", "2", "plan"])
        .expect_code(2);
    assert!(
        run.stderr.contains("organizations:ListAccounts"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("deadline of 2 s"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(o.moto.path("plan.json")).unwrap(),
        old
    );
    let leftovers: Vec<_> = std::fs::read_dir(o.moto.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".driftwatch-"))
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
}

#[test]
fn plan_has_help_with_an_example() {
    let dir = tempfile::tempdir().unwrap();
    let run = Run::of(driftwatch_command(dir.path()).args(["plan", "--help"])).expect_code(0);
    assert!(
        run.stdout.contains("Example: driftwatch plan --shards"),
        "{}",
        run.stdout
    );
    for flag in [
        "--shards",
        "--accounts",
        "--exclude-accounts",
        "--ou",
        "--regions",
        "--output",
    ] {
        assert!(run.stdout.contains(flag), "{flag}:\n{}", run.stdout);
    }
}
