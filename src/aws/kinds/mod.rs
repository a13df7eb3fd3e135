//! The AWS half of each kind: one module a kind, named after it, whose `fetch` reads every
//! resource of it with the run's shared clients and calls (`Context`). The pure half
//! (normalizer, Terraform mapping, the API actions named here) is the kind's folder in the core
//! crate. [`fetch_of`] matches every kind: a kind without a fetch module does not compile.
//!
//! What two kinds share is not in their modules but named for what it holds: the ECS client and
//! revision lookups (`aws::ecs`), the IAM account-authorization walk (`aws::iam`), the task
//! definitions services compare with and the clients made once a run (`aws::Context`), the
//! revision cache (`aws::revision_cache`) and tags in pages (`aws::tagging`).

pub(crate) mod cloudwatch_log_group;
pub(crate) mod db_instance;
pub(crate) mod db_parameter_group;
pub(crate) mod db_subnet_group;
pub(crate) mod dynamodb_table;
pub(crate) mod ecr_repository;
pub(crate) mod ecs_service;
pub(crate) mod ecs_task_definition;
pub(crate) mod iam_policy;
pub(crate) mod iam_role;
pub(crate) mod lb;
pub(crate) mod lb_listener;
pub(crate) mod lb_listener_rule;
pub(crate) mod lb_target_group;
pub(crate) mod rds_cluster;
pub(crate) mod s3_bucket;
pub(crate) mod secretsmanager_secret;
pub(crate) mod security_group;
pub(crate) mod sqs_queue;
pub(crate) mod ssm_parameter;

use futures::future::BoxFuture;

use super::Context;
use crate::error::FetchError;
use crate::kinds::Docs;
use crate::model::Kind;

/// Fetches every resource of a kind.
pub type Fetch = for<'a> fn(&'a Context) -> BoxFuture<'a, Result<Docs, FetchError>>;

/// How `kind` is fetched.
pub fn fetch_of(kind: Kind) -> Fetch {
    match kind {
        Kind::EcsTaskDefinition => ecs_task_definition::fetch,
        Kind::EcsService => ecs_service::fetch,
        Kind::IamRole => iam_role::fetch,
        Kind::IamPolicy => iam_policy::fetch,
        Kind::SecurityGroup => security_group::fetch,
        Kind::SqsQueue => sqs_queue::fetch,
        Kind::EcrRepository => ecr_repository::fetch,
        Kind::CloudwatchLogGroup => cloudwatch_log_group::fetch,
        Kind::SecretsmanagerSecret => secretsmanager_secret::fetch,
        Kind::SsmParameter => ssm_parameter::fetch,
        Kind::S3Bucket => s3_bucket::fetch,
        Kind::DynamodbTable => dynamodb_table::fetch,
        Kind::LoadBalancer => lb::fetch,
        Kind::LbTargetGroup => lb_target_group::fetch,
        Kind::LbListener => lb_listener::fetch,
        Kind::LbListenerRule => lb_listener_rule::fetch,
        Kind::DbInstance => db_instance::fetch,
        Kind::RdsCluster => rds_cluster::fetch,
        Kind::DbParameterGroup => db_parameter_group::fetch,
        Kind::DbSubnetGroup => db_subnet_group::fetch,
    }
}
