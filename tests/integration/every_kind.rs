//! Every kind driftwatch declares can be fetched: one resource of each kind in `Kind::ALL` is
//! seeded into moto, and `snapshot` must write a golden file for each. A kind declared without
//! a fetch, or without a way to seed it here, fails this test by name.

use driftwatch_core::model::Kind;

use crate::harness::Moto;
use crate::seed::{backend, register};

const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const READ: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:ReceiveMessage","Resource":"*"}]}"#;

/// Creates one resource of the kind named `kind` in moto; `false` when this test does not know
/// how (a new kind: add its seeding here).
pub(crate) async fn seed(moto: &Moto, kind: &str) -> bool {
    match kind {
        "aws_ecs_task_definition" => {
            register(&moto.ecs().await, &backend()).await;
        }
        "aws_ecs_service" => {
            let ecs = moto.ecs().await;
            register(&ecs, &backend()).await;
            crate::seed::cluster(&ecs, "prod").await;
            crate::seed::service(&ecs, "prod", "api", "retainwise-backend").await;
        }
        "aws_iam_role" => {
            let iam = moto.iam().await;
            let role = iam.create_role().role_name("api-task");
            role.assume_role_policy_document(TRUST)
                .send()
                .await
                .unwrap();
        }
        "aws_iam_policy" => {
            let iam = moto.iam().await;
            let policy = iam.create_policy().policy_name("deploy");
            policy.policy_document(READ).send().await.unwrap();
        }
        "aws_sqs_queue" => {
            let sqs = moto.sqs().await;
            sqs.create_queue().queue_name("jobs").send().await.unwrap();
        }
        "aws_security_group" => {
            let ec2 = moto.ec2().await;
            let vpc = ec2.create_vpc().cidr_block("10.7.0.0/16").send().await;
            let vpc = vpc.unwrap().vpc().unwrap().vpc_id().unwrap().to_string();
            ec2.create_security_group()
                .group_name("api")
                .description("API tasks")
                .vpc_id(vpc)
                .send()
                .await
                .unwrap();
        }
        "aws_ecr_repository" => {
            let ecr = aws_sdk_ecr::Client::new(&moto.sdk_config().await);
            let repo = ecr
                .create_repository()
                .repository_name("retainwise-backend");
            repo.send().await.unwrap();
        }
        "aws_cloudwatch_log_group" => {
            let logs = aws_sdk_cloudwatchlogs::Client::new(&moto.sdk_config().await);
            let group = logs
                .create_log_group()
                .log_group_name("/ecs/retainwise-backend");
            group.send().await.unwrap();
        }
        "aws_secretsmanager_secret" => {
            let sm = aws_sdk_secretsmanager::Client::new(&moto.sdk_config().await);
            sm.create_secret().name("db-url").send().await.unwrap();
        }
        "aws_ssm_parameter" => {
            let ssm = aws_sdk_ssm::Client::new(&moto.sdk_config().await);
            let p = ssm
                .put_parameter()
                .name("/app/db/host")
                .value("db.internal");
            let p = p.r#type(aws_sdk_ssm::types::ParameterType::String);
            p.send().await.unwrap();
        }
        "aws_dynamodb_table" => {
            let ddb = aws_sdk_dynamodb::Client::new(&moto.sdk_config().await);
            crate::dynamodb_tables::lock_table(&ddb, "tf-locks").await;
        }
        // One stack serves the four load balancer kinds: made by the first of them seeded.
        "aws_lb" | "aws_lb_target_group" | "aws_lb_listener" | "aws_lb_listener_rule" => {
            crate::load_balancers::stack(moto).await;
        }
        "aws_s3_bucket" => {
            let s3 = moto.s3().await;
            s3.create_bucket().bucket("tf-state").send().await.unwrap();
        }
        "aws_db_instance" => {
            let rds = aws_sdk_rds::Client::new(&moto.sdk_config().await);
            crate::databases::postgres(&rds, "app").await;
        }
        "aws_rds_cluster" => {
            let rds = aws_sdk_rds::Client::new(&moto.sdk_config().await);
            crate::databases::aurora(&rds, "aur").await;
        }
        "aws_db_parameter_group" => {
            let rds = aws_sdk_rds::Client::new(&moto.sdk_config().await);
            crate::databases::parameter_group(&rds, "app-pg16").await;
        }
        "aws_db_subnet_group" => {
            let rds = aws_sdk_rds::Client::new(&moto.sdk_config().await);
            crate::databases::subnet_group(moto, &rds, "app-db").await;
        }
        _ => return false,
    }
    true
}

#[tokio::test]
async fn snapshot_writes_every_declared_kind() {
    let moto = Moto::start();
    let mut unseeded = Vec::new();
    for kind in Kind::ALL {
        if !seed(&moto, kind.as_str()).await {
            unseeded.push(kind.as_str());
        }
    }
    assert!(
        unseeded.is_empty(),
        "no way to seed {unseeded:?} in tests/integration/every_kind.rs"
    );
    moto.driftwatch(&["snapshot"]).expect_code(0);
    let empty: Vec<&str> = Kind::ALL
        .iter()
        .map(|k| k.as_str())
        .filter(|k| {
            std::fs::read_dir(moto.path(&format!("golden/{k}")))
                .map(|d| d.count() == 0)
                .unwrap_or(true)
        })
        .collect();
    assert!(
        empty.is_empty(),
        "snapshot wrote no golden file of {empty:?}"
    );
}
