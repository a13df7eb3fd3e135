//! `check --report terraform-import=imports.tf`: an import block for every resource of every
//! kind that the account has and no state describes, with the import id the AWS provider
//! documents for its type (the cited formats are in `src/report/terraform_import/tests.rs`),
//! parsed back as HCL.

use std::collections::BTreeMap;

use driftwatch_core::model::Kind;

use crate::harness::Moto;

const EMPTY_STATE: &str = r#"{"version": 4, "terraform_version": "1.9.0", "serial": 1,
  "lineage": "l", "outputs": {}, "resources": []}"#;

/// `to` → `id` of every import block in `text`.
fn imports(text: &str) -> BTreeMap<String, String> {
    use hcl_edit::expr::Expression;
    use hcl_edit::structure::Structure;
    let body = hcl_edit::parser::parse_body(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let mut out = BTreeMap::new();
    for s in body {
        let Structure::Block(b) = s else {
            panic!("not a block: {s:?}")
        };
        assert_eq!(b.ident.as_str(), "import");
        let attrs: BTreeMap<String, Expression> = b
            .body
            .into_iter()
            .filter_map(|s| s.into_attribute().ok())
            .map(|a| (a.key.as_str().to_string(), a.value))
            .collect();
        let Some(Expression::String(id)) = attrs.get("id") else {
            panic!("no string id: {attrs:?}")
        };
        let to = attrs["to"].to_string();
        out.insert(to.trim().to_string(), id.value().clone());
    }
    out
}

#[tokio::test]
async fn every_unmanaged_resource_of_every_kind_gets_an_import_block() {
    let moto = Moto::start();
    for kind in Kind::ALL {
        assert!(
            crate::every_kind::seed(&moto, kind.as_str()).await,
            "{kind}"
        );
    }
    std::fs::write(moto.path("empty.tfstate"), EMPTY_STATE).unwrap();
    let run = moto
        .driftwatch(&[
            "check",
            "--state",
            "empty.tfstate",
            "--report",
            "terraform-import=imports.tf",
            "--format",
            "json",
        ])
        .expect_code(1);
    let report = run.json();
    let text = std::fs::read_to_string(moto.path("imports.tf")).unwrap();
    let found = imports(&text);
    let account = "123456789012";
    for (to, id) in [
        (
            "aws_ecs_task_definition.retainwise_backend".to_string(),
            // Seeding the service registered the family again: the latest revision is 2.
            format!("arn:aws:ecs:us-east-1:{account}:task-definition/retainwise-backend:2"),
        ),
        ("aws_ecs_service.prod_api".into(), "prod/api".into()),
        ("aws_iam_role.api_task".into(), "api-task".into()),
        (
            "aws_iam_policy.deploy".into(),
            format!("arn:aws:iam::{account}:policy/deploy"),
        ),
        (
            "aws_sqs_queue.jobs".into(),
            format!("https://sqs.us-east-1.amazonaws.com/{account}/jobs"),
        ),
        (
            "aws_ecr_repository.retainwise_backend".into(),
            "retainwise-backend".into(),
        ),
        (
            "aws_cloudwatch_log_group.ecs_retainwise_backend".into(),
            "/ecs/retainwise-backend".into(),
        ),
    ] {
        assert_eq!(found.get(&to), Some(&id), "{to} in\n{text}");
    }
    assert_eq!(
        found
            .get("aws_ssm_parameter.app_db_host")
            .map(String::as_str),
        Some("/app/db/host"),
        "{text}"
    );
    // A secret by the ARN ListSecrets returned (its suffix is random).
    let secret = found
        .get("aws_secretsmanager_secret.db_url")
        .unwrap_or_else(|| panic!("{text}"));
    let prefix = format!("arn:aws:secretsmanager:us-east-1:{account}:secret:db-url-");
    assert!(secret.starts_with(&prefix), "{secret}");
    // The group is imported by its `sg-…` id under its name.
    let group = found
        .get("aws_security_group.api")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(group.starts_with("sg-"), "{group}");
    // One block per unmanaged resource, each under a comment naming it.
    let unmanaged = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "unmanaged")
        .count();
    assert_eq!(found.len(), unmanaged, "{text}");
    assert!(text.contains("# aws_sqs_queue jobs: found in live (us-east-1), not described in empty.tfstate\nimport {"), "{text}");
}

#[tokio::test]
async fn a_resource_modified_against_a_state_gets_a_hint_to_fix_it_in_terraform() {
    use crate::queues_groups_services::{seeded_and_snapshotted, QUEUE_POLICY};
    use aws_sdk_sqs::types::QueueAttributeName;
    let env = seeded_and_snapshotted().await;
    crate::terraform::write_state(&env);
    env.sqs
        .set_queue_attributes()
        .queue_url(&env.jobs_url)
        .attributes(QueueAttributeName::VisibilityTimeout, "45")
        // moto drops the Policy on a SetQueueAttributes that does not repeat it; AWS keeps it.
        .attributes(QueueAttributeName::Policy, QUEUE_POLICY)
        .send()
        .await
        .unwrap();
    let hint = "hint: Terraform manages it: change the configuration to what runs, or apply";
    let against_state = env
        .moto
        .driftwatch(&[
            "check",
            "--state",
            "prod.tfstate",
            "--kind",
            "aws_sqs_queue",
        ])
        .expect_code(1)
        .stdout;
    assert!(against_state.contains(hint), "{against_state}");
    assert!(against_state.contains("`driftwatch accept` writes golden files only"));
    // The same in a pull request's Markdown summary, under the resource's diff.
    let markdown = env
        .moto
        .driftwatch(&[
            "check",
            "--state",
            "prod.tfstate",
            "--kind",
            "aws_sqs_queue",
            "--format",
            "markdown",
        ])
        .expect_code(1)
        .stdout;
    assert!(
        markdown.contains("Hint: Terraform manages it: change the configuration"),
        "{markdown}"
    );
    // Against golden files, accepting is the way: no such hint.
    let against_golden = env
        .moto
        .driftwatch(&["check", "--golden", "golden", "--kind", "aws_sqs_queue"])
        .expect_code(1)
        .stdout;
    assert!(!against_golden.contains("hint:"), "{against_golden}");
    let golden_markdown = env
        .moto
        .driftwatch(&[
            "check",
            "--golden",
            "golden",
            "--kind",
            "aws_sqs_queue",
            "--format",
            "markdown",
        ])
        .expect_code(1)
        .stdout;
    assert!(!golden_markdown.contains("Hint:"), "{golden_markdown}");
}
