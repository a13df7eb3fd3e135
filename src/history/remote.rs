//! A history database kept in S3 (`--history s3://BUCKET/KEY`), for CI runners that keep
//! nothing between runs: download it, record the run in a local copy, upload it with a
//! conditional put (`If-Match` on the ETag read, `If-None-Match: *` for the first run). When
//! another job wrote in between, the put fails (412) and the whole cycle starts again from the
//! new object, so two jobs never lose each other's runs. The S3 calls are in `aws::s3`.

use std::path::Path;
use std::time::Duration;

use super::db::{Db, Run};
use crate::aws::{self, s3, ApiCalls, AwsOptions};
use crate::diff::Report;
use crate::error::{Error, Result};

/// Download–update–upload cycles before giving up: each lost race means another run was
/// recorded, so this many runs at once still all land.
const ATTEMPTS: u32 = 8;

/// Marks `report` against the history in `s3://bucket/key` and writes this run back.
pub fn record(
    report: &mut Report,
    run: &Run,
    bucket: &str,
    key: &str,
    aws: &AwsOptions,
) -> Result<()> {
    aws::block_on(async {
        let objects = s3::Objects::connect(aws, &ApiCalls::default())
            .await
            .map_err(Error::Aws)?;
        for attempt in 1..=ATTEMPTS {
            let dir = scratch()?;
            let path = dir.path().join("history.db");
            let etag = download(&objects, bucket, key, &path).await?;
            let mut db = Db::open(&path)?;
            db.record(report, run)?;
            report.trend = super::query::trend(&db, run)?;
            db.close()?;
            let body = std::fs::read(&path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
            match objects
                .put_if(bucket, key, body, etag.as_deref())
                .await
                .map_err(Error::Aws)?
            {
                s3::Put::Written => return Ok(()),
                s3::Put::Conflict => {
                    tracing::info!(
                        "s3://{bucket}/{key} was written by another run meanwhile; reading it again ({attempt}/{ATTEMPTS})"
                    );
                    tokio::time::sleep(Duration::from_millis(50 * u64::from(attempt))).await;
                }
            }
        }
        Err(Error::History(format!(
            "s3://{bucket}/{key}: other runs kept writing the history; gave up after {ATTEMPTS} attempts (run again)"
        )))
    })?
}

/// A local copy of the history in S3, to read (`driftwatch history`): the folder holding it,
/// removed when dropped, and the open database.
pub fn open_copy(bucket: &str, key: &str, aws: &AwsOptions) -> Result<(tempfile::TempDir, Db)> {
    let dir = scratch()?;
    let path = dir.path().join("history.db");
    let found = aws::block_on(async {
        let objects = s3::Objects::connect(aws, &ApiCalls::default())
            .await
            .map_err(Error::Aws)?;
        download(&objects, bucket, key, &path).await
    })??;
    if found.is_none() {
        return Err(Error::History(format!(
            "s3://{bucket}/{key}: no history database there yet"
        )));
    }
    Ok((dir, Db::open_read(&path)?))
}

/// Writes the object to `path` and returns its ETag; `None` (nothing written) when there is no
/// object yet.
async fn download(
    objects: &s3::Objects,
    bucket: &str,
    key: &str,
    path: &Path,
) -> Result<Option<String>> {
    let Some((bytes, etag)) = objects
        .get_if_exists(bucket, key)
        .await
        .map_err(Error::Aws)?
    else {
        return Ok(None);
    };
    std::fs::write(path, bytes).map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(Some(etag))
}

fn scratch() -> Result<tempfile::TempDir> {
    tempfile::tempdir().map_err(|source| Error::Write {
        path: std::env::temp_dir(),
        source,
    })
}
