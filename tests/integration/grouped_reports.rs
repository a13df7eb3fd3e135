//! Golden files and a Terraform state together: each resource is reported once in every format
//! people read, with both references named, and its changes in words.

use crate::harness::Run;
use crate::queues_groups_services::{seeded_and_snapshotted, tcp, Env};
use crate::terraform::write_state;

/// The API service scaled to 7 (both references say 2) and SSH opened to the world on its group.
async fn drifted() -> Env {
    let env = seeded_and_snapshotted().await;
    write_state(&env);
    env.ecs
        .update_service()
        .cluster("prod")
        .service("api")
        .desired_count(7)
        .send()
        .await
        .unwrap();
    env.ec2
        .authorize_security_group_ingress()
        .group_id(&env.api_group)
        .ip_permissions(tcp(22, "0.0.0.0/0"))
        .send()
        .await
        .unwrap();
    env
}

fn check(env: &Env, format: &str) -> Run {
    let args = [
        "check",
        "--no-checks",
        "--golden",
        "golden",
        "--state",
        "prod.tfstate",
        "--format",
        format,
    ];
    env.moto
        .driftwatch_with_env(&args, &[("GITHUB_ACTIONS", "true")])
        .expect_code(1)
}

const SG_NAMED: &str = "ingress rule tcp 22 from 0.0.0.0/0 added";

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[tokio::test]
async fn each_drifted_resource_shows_once_with_both_references_named() {
    let env = drifted().await;
    let golden = format!("golden/aws_security_group/{}.json", env.api_group);
    let state = "prod.tfstate: aws_security_group.api";

    let console = check(&env, "console");
    let out = &console.stdout;
    assert!(
        out.starts_with(
            "driftwatch: drift found: 2 modified, 3 in sync (5 expected resources, described by \
             golden/ and prod.tfstate, compared with live (us-east-1))\n"
        ),
        "{out}"
    );
    assert_eq!(
        count(out, "~ aws_ecs_service prod/api: modified"),
        1,
        "{out}"
    );
    let group = format!("~ aws_security_group {}: modified", env.api_group);
    assert_eq!(count(out, &group), 1, "{out}");
    assert!(
        out.contains(&format!("  against {golden}\n  against {state}\n")),
        "{out}"
    );
    assert!(out.contains("  · /desiredCount: 2 → 7\n"), "{out}");
    assert_eq!(count(out, "+++ "), 2, "one diff per resource: {out}");
    // A changed value is one changed line, without the neighbour's comma.
    assert!(
        out.contains("\n-  \"desiredCount\": 2\n+  \"desiredCount\": 7\n"),
        "{out}"
    );

    let md = check(&env, "markdown").stdout;
    let row = format!(
        "| modified | `aws_security_group` | `{}` | {golden}<br>{state} | {SG_NAMED} |",
        env.api_group
    );
    assert!(md.contains(&row), "{md}");
    assert_eq!(count(&md, "| modified |"), 2, "{md}");

    let junit = check(&env, "junit").stdout;
    assert_eq!(
        count(&junit, "<testcase "),
        5,
        "a case per resource: {junit}"
    );
    assert!(
        junit.contains(&format!(
            "modified against {golden} and {state}: {SG_NAMED}"
        )),
        "{junit}"
    );

    let ignore = check(&env, "ignore").stdout;
    assert_eq!(
        count(&ignore, "aws_ecs_service:prod/api:/desiredCount"),
        1,
        "{ignore}"
    );
    assert_eq!(
        count(&ignore, "/IpPermissions/tcp 22 0.0.0.0~10"),
        1,
        "{ignore}"
    );
    assert!(
        ignore.contains(&format!(
            "#   {SG_NAMED}\naws_security_group:{}:/IpPermissions/tcp 22 0.0.0.0~10\n",
            env.api_group
        )),
        "{ignore}"
    );
    assert!(
        ignore.starts_with("# driftwatch: rules that silence the 2 findings"),
        "{ignore}"
    );

    // The annotation (on stderr) says the rule in words, once.
    let annotations: Vec<&str> = console
        .stderr
        .lines()
        .filter(|l| l.starts_with("::error"))
        .collect();
    assert_eq!(annotations.len(), 2, "{annotations:#?}");
    assert!(
        annotations
            .iter()
            .any(|a| a.starts_with(&format!("::error file={golden},"))
                && a.ends_with(&format!("and {state}: {SG_NAMED}"))),
        "{annotations:#?}"
    );
}

#[tokio::test]
async fn references_that_disagree_show_each_its_own_changes() {
    let env = drifted().await;
    // The state already says 7 tasks: only golden/ differs on the service.
    let mut state = crate::terraform::state_of(&env);
    let service = state["resources"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["type"] == "aws_ecs_service")
        .unwrap();
    service["instances"][0]["attributes"]["desired_count"] = serde_json::json!(7);
    std::fs::write(env.moto.path("prod.tfstate"), state.to_string()).unwrap();

    let out = check(&env, "console").stdout;
    assert_eq!(
        count(&out, "~ aws_ecs_service prod/api: modified"),
        1,
        "{out}"
    );
    assert!(
        out.contains(
            "~ aws_ecs_service prod/api: modified (the references differ)\n  \
             against golden/aws_ecs_service/prod/api.json: 1 change\n  · /desiredCount: 2 → 7\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("\n  against prod.tfstate: aws_ecs_service.api: in sync\n"),
        "{out}"
    );

    let md = check(&env, "markdown").stdout;
    assert!(
        md.contains(
            "| modified | `aws_ecs_service` | `prod/api` | golden/aws_ecs_service/prod/api.json \
             | /desiredCount: 2 → 7 |"
        ),
        "{md}"
    );
    assert!(
        md.contains(
            "| in_sync | `aws_ecs_service` | `prod/api` | prod.tfstate: aws_ecs_service.api |"
        ),
        "{md}"
    );
    let junit = check(&env, "junit").stdout;
    for said in [
        "modified against golden/aws_ecs_service/prod/api.json: /desiredCount: 2 → 7",
        "in_sync against prod.tfstate: aws_ecs_service.api: in sync",
    ] {
        assert!(junit.contains(said), "{said}: {junit}");
    }
}
