//! Fetcher for RDS DB clusters: `DescribeDBClusters` pages (100 a page, `Marker`), tags inline
//! (`TagList`) and members inline (`DBClusterMembers`): one call a page, none per cluster.

use aws_sdk_rds::types::DbCluster;
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
    async move { clusters(&client).await }.boxed()
}

/// `(identifier, document)` of every cluster, sorted by identifier.
async fn clusters(client: &Client) -> Result<Docs, FetchError> {
    let items: Vec<DbCluster> = pages::list(
        "rds:DescribeDBClusters",
        client
            .describe_db_clusters()
            .max_records(RECORDS_PER_PAGE)
            .into_paginator()
            .send(),
        |p| p.marker(),
        |p| p.db_clusters,
    )
    .await?;
    Ok(by_identifier(
        &items,
        DbCluster::db_cluster_identifier,
        document,
    ))
}

/// The cluster in the API's field names (`DBSubnetGroup` and `DBClusterParameterGroup` are
/// names there, not objects).
fn document(c: &DbCluster) -> Value {
    json!({
        "DBClusterIdentifier": c.db_cluster_identifier(),
        "DBClusterArn": c.db_cluster_arn(),
        "Status": c.status(),
        "Engine": c.engine(),
        "EngineVersion": c.engine_version(),
        "Port": c.port(),
        "Endpoint": c.endpoint(),
        "ReaderEndpoint": c.reader_endpoint(),
        "VpcSecurityGroups": c.vpc_security_groups().iter().map(|g| json!({
            "VpcSecurityGroupId": g.vpc_security_group_id(),
            "Status": g.status(),
        })).collect::<Vec<_>>(),
        "StorageEncrypted": c.storage_encrypted(),
        "KmsKeyId": c.kms_key_id(),
        "DeletionProtection": c.deletion_protection(),
        "DBSubnetGroup": c.db_subnet_group(),
        "DBClusterParameterGroup": c.db_cluster_parameter_group(),
        "BackupRetentionPeriod": c.backup_retention_period(),
        "PreferredBackupWindow": c.preferred_backup_window(),
        "PreferredMaintenanceWindow": c.preferred_maintenance_window(),
        "IAMDatabaseAuthenticationEnabled": c.iam_database_authentication_enabled(),
        "MasterUserSecret": c.master_user_secret().map(|s| json!({
            "SecretArn": s.secret_arn(),
            "SecretStatus": s.secret_status(),
        })),
        "DBClusterMembers": c.db_cluster_members().iter().map(|m| json!({
            "DBInstanceIdentifier": m.db_instance_identifier(),
            "IsClusterWriter": m.is_cluster_writer(),
            "PromotionTier": m.promotion_tier(),
        })).collect::<Vec<_>>(),
        "TagList": tag_list(c.tag_list()),
    })
}
