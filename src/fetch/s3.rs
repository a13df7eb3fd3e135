//! Reads one object from S3: a Terraform state kept by the S3 backend.

use aws_config::SdkConfig;

use super::{explain, ApiCalls};

/// The object's bytes. Path-style addressing when a custom endpoint is configured
/// (`--endpoint-url`, `AWS_ENDPOINT_URL`): AWS-compatible servers on an IP address or
/// `localhost` cannot serve `bucket.host` names.
pub async fn get_object(
    config: &SdkConfig,
    calls: &ApiCalls,
    bucket: &str,
    key: &str,
) -> Result<Vec<u8>, String> {
    let conf = aws_sdk_s3::config::Builder::from(config)
        .force_path_style(config.endpoint_url().is_some())
        .interceptor(calls.clone())
        .interceptor(super::guard::Guard)
        .retry_classifier(super::guard::RefusedIsFinal)
        .build();
    let client = aws_sdk_s3::Client::from_conf(conf);
    let out = client
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .map_err(|e| explain(&format!("s3:GetObject s3://{bucket}/{key}"), &e).to_string())?;
    let bytes =
        out.body.collect().await.map_err(|e| {
            format!("s3:GetObject s3://{bucket}/{key}: reading the body failed: {e}")
        })?;
    Ok(bytes.into_bytes().to_vec())
}
