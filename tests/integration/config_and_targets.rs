//! `driftwatch.toml`: targets in two regions, filters, fail_on, outputs, redaction, errors.

use serde_json::Value;

use crate::harness::Moto;

async fn sqs_in(moto: &Moto, region: &'static str) -> aws_sdk_sqs::Client {
    let conf = aws_sdk_sqs::config::Builder::from(&moto.sdk_config().await)
        .region(aws_config::Region::new(region))
        .build();
    aws_sdk_sqs::Client::from_conf(conf)
}

async fn queue(sqs: &aws_sdk_sqs::Client, name: &str, visibility: &str) -> String {
    sqs.create_queue()
        .queue_name(name)
        .attributes(
            aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
            visibility,
        )
        .send()
        .await
        .unwrap()
        .queue_url()
        .unwrap()
        .to_string()
}

const TWO_REGIONS: &str = r#"
kinds = ["aws_sqs_queue", "aws_iam_role"]

[[targets]]
name = "us"
region = "us-east-1"
golden = "golden-us"

[[targets]]
name = "eu"
region = "eu-west-1"
golden = "golden-eu"
"#;

#[tokio::test]
async fn two_regions_are_checked_and_each_finding_names_its_target() {
    let moto = Moto::start();
    let (us, eu) = (
        sqs_in(&moto, "us-east-1").await,
        sqs_in(&moto, "eu-west-1").await,
    );
    queue(&us, "jobs", "60").await;
    let eu_jobs = queue(&eu, "jobs", "60").await;
    moto.iam()
        .await
        .create_role()
        .role_name("worker")
        .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[]}"#)
        .send()
        .await
        .unwrap();
    for (region, dir) in [("us-east-1", "golden-us"), ("eu-west-1", "golden-eu")] {
        moto.driftwatch(&[
            "snapshot",
            "--region",
            region,
            "--out",
            dir,
            "--kind",
            "aws_sqs_queue",
            "--kind",
            "aws_iam_role",
        ])
        .expect_code(0);
    }
    std::fs::write(moto.path("driftwatch.toml"), TWO_REGIONS).unwrap();
    let clean = moto
        .driftwatch(&["check", "--format", "json"])
        .expect_code(0)
        .json();
    // The role is global: checked once, by the first target of the account.
    let roles: Vec<&Value> = clean["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "aws_iam_role")
        .collect();
    assert_eq!(roles.len(), 1, "{clean:#}");
    assert_eq!(roles[0]["target"], "us");
    assert_eq!(clean["summary"]["in_sync"], 3);

    eu.set_queue_attributes()
        .queue_url(&eu_jobs)
        .attributes(
            aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
            "5",
        )
        .send()
        .await
        .unwrap();
    let report = moto
        .driftwatch(&["check", "--format", "json"])
        .expect_code(1)
        .json();
    let modified: Vec<(&str, &str)> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "modified")
        .map(|r| (r["target"].as_str().unwrap(), r["id"].as_str().unwrap()))
        .collect();
    assert_eq!(modified, [("eu", "jobs")]);
}

#[tokio::test]
async fn filters_fail_on_outputs_and_redaction_from_the_file() {
    let moto = Moto::start();
    let sqs = sqs_in(&moto, "us-east-1").await;
    queue(&sqs, "prod-jobs", "60").await;
    queue(&sqs, "dev-jobs", "60").await;
    moto.driftwatch(&["snapshot", "--kind", "aws_sqs_queue"])
        .expect_code(0);
    std::fs::write(
        moto.path("driftwatch.toml"),
        r#"
kinds = ["aws_sqs_queue"]
fail_on = ["modified", "missing"]

[filters.aws_sqs_queue]
exclude = ["dev-*"]

[[outputs]]
format = "console"

[[outputs]]
format = "json"
path = "reports/drift.json"
"#,
    )
    .unwrap();
    // A hand-made queue is reported, but unmanaged does not fail this team's run.
    queue(&sqs, "tmp-debug", "30").await;
    // dev-* is out of scope: its drift is not seen.
    let dev = sqs
        .get_queue_url()
        .queue_name("dev-jobs")
        .send()
        .await
        .unwrap();
    sqs.set_queue_attributes()
        .queue_url(dev.queue_url().unwrap())
        .attributes(
            aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
            "1",
        )
        .send()
        .await
        .unwrap();
    let run = moto.driftwatch(&["check"]).expect_code(0);
    assert!(
        run.stdout.contains("+ aws_sqs_queue tmp-debug: unmanaged"),
        "{}",
        run.stdout
    );
    let json: Value =
        serde_json::from_slice(&std::fs::read(moto.path("reports/drift.json")).unwrap()).unwrap();
    assert_eq!(json["summary"]["unmanaged"], 1);
    assert_eq!(
        json["summary"]["in_sync"], 1,
        "dev-jobs is filtered out: {json:#}"
    );
    assert_eq!(json["summary"]["modified"], 0);
}

#[tokio::test]
async fn redaction_patterns_from_the_file() {
    let moto = Moto::start();
    let ecs = moto.ecs().await;
    let mut td = crate::seed::backend();
    td.containers[0]
        .env
        .push(("STRIPE_PRIVATE".into(), "pk_live_123456".into()));
    crate::seed::register(&ecs, &td).await;
    std::fs::write(moto.path("driftwatch.toml"), "redact = [\"private\"]\n").unwrap();
    // The default patterns do not match STRIPE_PRIVATE; the file's do, for snapshot and check.
    moto.driftwatch(&["snapshot", "--kind", "aws_ecs_task_definition"])
        .expect_code(0);
    let golden = std::fs::read_to_string(
        moto.path("golden/aws_ecs_task_definition/retainwise-backend.json"),
    )
    .unwrap();
    assert!(!golden.contains("pk_live"), "{golden}");
    assert!(golden.contains("\"STRIPE_PRIVATE\": \"sha256:"), "{golden}");
    let run = moto
        .driftwatch(&["check", "--kind", "aws_ecs_task_definition"])
        .expect_code(0);
    assert!(!run.stdout.contains("pk_live"), "{}", run.stdout);
}

#[test]
fn a_bad_config_is_exit_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("driftwatch.toml"),
        "kinds = [\"aws_sqs_queue\"]\nfail_on = [\"drifted\"]\n",
    )
    .unwrap();
    let mut cmd = crate::harness::driftwatch_command(dir.path());
    cmd.args(["check", "--actual", "golden"]);
    let run = crate::harness::Run::of(&mut cmd).expect_code(2);
    assert!(
        run.stderr.contains("driftwatch.toml") && run.stderr.contains("line 2"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn a_target_can_assume_a_role() {
    let moto = Moto::start();
    queue(&sqs_in(&moto, "us-east-1").await, "jobs", "60").await;
    moto.driftwatch(&["snapshot", "--kind", "aws_sqs_queue"])
        .expect_code(0);
    std::fs::write(
        moto.path("driftwatch.toml"),
        r#"
kinds = ["aws_sqs_queue"]
[[targets]]
name = "via-role"
region = "us-east-1"
role_arn = "arn:aws:iam::123456789012:role/driftwatch-readonly"
"#,
    )
    .unwrap();
    // moto's STS issues credentials for any role; the run succeeds only if AssumeRole worked
    // and its credentials were used for the fetch.
    let run = moto
        .driftwatch(&["-v", "check", "--format", "json"])
        .expect_code(0);
    assert_eq!(run.json()["resources"][0]["target"], "via-role");
}

#[test]
fn policy_reads_the_configured_kinds_and_state_buckets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("driftwatch.toml"),
        "kinds = [\"aws_sqs_queue\"]\nstates = [\"s3://acme-tf/prod.tfstate\"]\n\
         [[targets]]\nname = \"eu\"\nstates = [\"s3://acme-tf-eu/app.tfstate\"]\nworkspace = \"eu\"\n",
    )
    .unwrap();
    let mut cmd = crate::harness::driftwatch_command(dir.path());
    cmd.arg("policy");
    let policy = crate::harness::Run::of(&mut cmd).expect_code(0).json();
    assert_eq!(
        policy["Statement"][0]["Action"],
        serde_json::json!([
            "sqs:GetQueueAttributes",
            "sqs:ListQueueTags",
            "sqs:ListQueues",
            "sts:GetCallerIdentity",
            "tag:GetResources"
        ])
    );
    assert_eq!(
        policy["Statement"][1]["Resource"],
        serde_json::json!([
            "arn:aws:s3:::acme-tf-eu/env:/eu/app.tfstate",
            "arn:aws:s3:::acme-tf/prod.tfstate"
        ])
    );
}
