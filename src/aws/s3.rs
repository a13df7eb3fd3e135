//! S3 objects: a Terraform state kept by the S3 backend (read), and a history database kept in
//! S3 (read, then written back with a conditional put).

use aws_config::SdkConfig;
use aws_sdk_s3::error::ProvideErrorMetadata;

use super::{explain, load_config, ApiCalls, AwsOptions};

/// S3 objects read and written with the run's AWS options: the configuration is loaded and
/// the client made once, for every call that follows.
pub struct Objects {
    client: aws_sdk_s3::Client,
}

impl Objects {
    /// Loads the SDK configuration `opts` say (see [`load_config`]); the calls are counted in
    /// `calls`.
    pub async fn connect(opts: &AwsOptions, calls: &ApiCalls) -> Result<Objects, String> {
        let config = load_config(opts).await?;
        Ok(Objects {
            client: client(&config, calls),
        })
    }

    /// The object's bytes.
    pub async fn get(&self, bucket: &str, key: &str) -> Result<Vec<u8>, String> {
        let out = self
            .client
            .get_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| explain(&format!("s3:GetObject s3://{bucket}/{key}"), &e).to_string())?;
        let bytes = out.body.collect().await.map_err(|e| {
            format!("s3:GetObject s3://{bucket}/{key}: reading the body failed: {e}")
        })?;
        Ok(bytes.into_bytes().to_vec())
    }

    /// The object's bytes and ETag, or `None` when there is no such object yet.
    pub async fn get_if_exists(
        &self,
        bucket: &str,
        key: &str,
    ) -> Result<Option<(Vec<u8>, String)>, String> {
        let operation = format!("s3:GetObject s3://{bucket}/{key}");
        let got = self
            .client
            .get_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await;
        let out = match got {
            Ok(out) => out,
            Err(e) if e.as_service_error().is_some_and(|s| s.is_no_such_key()) => return Ok(None),
            Err(e) => return Err(explain(&operation, &e).to_string()),
        };
        let etag = out.e_tag().unwrap_or_default().to_string();
        let bytes = out
            .body
            .collect()
            .await
            .map_err(|e| format!("{operation}: reading the body failed: {e}"))?;
        Ok(Some((bytes.into_bytes().to_vec(), etag)))
    }

    /// Writes the object only if it is still the one read: `If-Match` its ETag, or, when there
    /// was none, `If-None-Match: *` (create only). A lost race is [`Put::Conflict`], not an
    /// error.
    pub async fn put_if(
        &self,
        bucket: &str,
        key: &str,
        body: Vec<u8>,
        etag: Option<&str>,
    ) -> Result<Put, String> {
        let put = self
            .client
            .put_object()
            .bucket(bucket)
            .key(key)
            .body(body.into());
        let put = match etag {
            Some(etag) => put.if_match(etag),
            None => put.if_none_match("*"),
        };
        match put.send().await {
            Ok(_) => Ok(Put::Written),
            Err(e) => {
                let status = e.raw_response().map(|r| r.status().as_u16());
                if lost_race(status, e.code()) {
                    Ok(Put::Conflict)
                } else {
                    Err(explain(&format!("s3:PutObject s3://{bucket}/{key}"), &e).to_string())
                }
            }
        }
    }
}

/// The S3 client: path-style addressing when a custom endpoint is configured
/// (`--endpoint-url`, `AWS_ENDPOINT_URL`): AWS-compatible servers on an IP address or
/// `localhost` cannot serve `bucket.host` names.
pub(crate) fn client(config: &SdkConfig, calls: &ApiCalls) -> aws_sdk_s3::Client {
    let conf = aws_sdk_s3::config::Builder::from(config)
        .force_path_style(config.endpoint_url().is_some())
        .interceptor(calls.clone())
        .interceptor(super::guard::Guard)
        .retry_classifier(super::guard::UnreachableIsFinal)
        .build();
    aws_sdk_s3::Client::from_conf(conf)
}

/// What a conditional put did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
    Written,
    /// Someone else wrote the object since it was read (or created it): read again.
    Conflict,
}

/// S3 answers a conditional write that lost a race with `412 PreconditionFailed` (the object
/// changed, or exists under `If-None-Match: *`), and with `409 ConditionalRequestConflict` when
/// two conditional writes of one key overlap: both mean "read again and retry".
fn lost_race(status: Option<u16>, code: Option<&str>) -> bool {
    matches!(status, Some(412))
        || matches!(
            code,
            Some("PreconditionFailed" | "ConditionalRequestConflict")
        )
}

#[cfg(test)]
mod tests {
    use super::lost_race;

    #[test]
    fn a_lost_race_is_412_or_409_conditional_request_conflict() {
        // The AWS shapes: 412 <Code>PreconditionFailed</Code>, 409 ConditionalRequestConflict.
        assert!(lost_race(Some(412), Some("PreconditionFailed")));
        assert!(lost_race(Some(412), None));
        assert!(lost_race(Some(409), Some("ConditionalRequestConflict")));
        assert!(!lost_race(Some(403), Some("AccessDenied")));
        assert!(!lost_race(Some(409), Some("OperationAborted")));
        assert!(!lost_race(None, None));
    }
}
