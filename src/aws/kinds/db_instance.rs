//! Fetcher for RDS DB instances: `DescribeDBInstances` pages (100 a page, `Marker`), tags
//! inline (`TagList`): one call a page, none per instance. Members of Aurora clusters are
//! listed too; their cluster is `rds_cluster`'s.

use aws_sdk_rds::types::DbInstance;
use aws_sdk_rds::Client;
use futures::future::BoxFuture;
use futures::FutureExt;
use serde_json::{json, Value};

use crate::aws::pages;
use crate::aws::rds::{by_identifier, tag_list, RECORDS_PER_PAGE};
use crate::aws::Context;
use crate::error::FetchError;
use crate::kinds::Docs;

crate::aws::sdk_client!(aws_sdk_rds);

pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    let client = client(ctx.config(), ctx.calls());
    async move { instances(&client).await }.boxed()
}

/// `(identifier, document)` of every instance, sorted by identifier.
async fn instances(client: &Client) -> Result<Docs, FetchError> {
    let items: Vec<DbInstance> = pages::list(
        "rds:DescribeDBInstances",
        client
            .describe_db_instances()
            .max_records(RECORDS_PER_PAGE)
            .into_paginator()
            .send(),
        |p| p.marker(),
        |p| p.db_instances,
    )
    .await?;
    Ok(by_identifier(
        &items,
        DbInstance::db_instance_identifier,
        document,
    ))
}

/// The instance in the API's field names: what the normalizer compares, and the identity and
/// status fields it drops (so a snapshot's raw form reads like the API's answer).
fn document(i: &DbInstance) -> Value {
    json!({
        "DBInstanceIdentifier": i.db_instance_identifier(),
        "DBInstanceArn": i.db_instance_arn(),
        "DBInstanceStatus": i.db_instance_status(),
        "Engine": i.engine(),
        "EngineVersion": i.engine_version(),
        "DBInstanceClass": i.db_instance_class(),
        "AllocatedStorage": i.allocated_storage(),
        "StorageType": i.storage_type(),
        "Iops": i.iops(),
        "StorageEncrypted": i.storage_encrypted(),
        "KmsKeyId": i.kms_key_id(),
        "MultiAZ": i.multi_az(),
        "PubliclyAccessible": i.publicly_accessible(),
        "DBSubnetGroup": i.db_subnet_group().map(|g| json!({
            "DBSubnetGroupName": g.db_subnet_group_name(),
            "VpcId": g.vpc_id(),
        })),
        "VpcSecurityGroups": i.vpc_security_groups().iter().map(|g| json!({
            "VpcSecurityGroupId": g.vpc_security_group_id(),
            "Status": g.status(),
        })).collect::<Vec<_>>(),
        "DBParameterGroups": i.db_parameter_groups().iter().map(|g| json!({
            "DBParameterGroupName": g.db_parameter_group_name(),
            "ParameterApplyStatus": g.parameter_apply_status(),
        })).collect::<Vec<_>>(),
        "BackupRetentionPeriod": i.backup_retention_period(),
        "PreferredBackupWindow": i.preferred_backup_window(),
        "PreferredMaintenanceWindow": i.preferred_maintenance_window(),
        "DeletionProtection": i.deletion_protection(),
        "IAMDatabaseAuthenticationEnabled": i.iam_database_authentication_enabled(),
        "PerformanceInsightsEnabled": i.performance_insights_enabled(),
        "MonitoringInterval": i.monitoring_interval(),
        "CACertificateIdentifier": i.ca_certificate_identifier(),
        "Endpoint": i.endpoint().map(|e| json!({"Address": e.address(), "Port": e.port()})),
        "DbInstancePort": i.db_instance_port(),
        "DBClusterIdentifier": i.db_cluster_identifier(),
        "MasterUserSecret": i.master_user_secret().map(|s| json!({
            "SecretArn": s.secret_arn(),
            "SecretStatus": s.secret_status(),
        })),
        "TagList": tag_list(i.tag_list()),
    })
}
