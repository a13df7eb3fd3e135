//! Fetcher for S3 buckets: `ListBuckets` (every region's), the buckets of the run's region,
//! then per bucket one call per setting (S3 has no batch form), the tags from the Tagging
//! API's pages when the run may use them, else `GetBucketTagging`. A "no such configuration"
//! answer is the setting's absence, by its documented error code only: any other failure is an
//! error for the kind, never an absent setting.

mod shape;

use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::operation::get_bucket_versioning::GetBucketVersioningOutput;
use aws_sdk_s3::Client;
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt, TryStreamExt};
use serde_json::{json, Map, Value};

use crate::aws::tagging::{Query, Tags};
use crate::aws::{explain, Context};
use crate::error::FetchError;
use crate::kinds::Docs;

/// Buckets read at once (eight calls each). S3 publishes no per-account rate for bucket
/// configuration reads; 8 buckets keep 64 requests in flight at most.
const CONCURRENCY: usize = 8;

/// The largest page `ListBuckets` gives (AWS's maximum).
const PAGE: i32 = 10_000;

/// Every bucket of the run's region. The client is the state reader's (path-style addressing
/// on a custom endpoint, which moto and other AWS-compatible servers need).
pub fn fetch(ctx: &Context) -> BoxFuture<'_, Result<Docs, FetchError>> {
    let client = crate::aws::s3::client(ctx.config(), ctx.calls());
    async move { buckets(&client, ctx).await }.boxed()
}

async fn buckets(client: &Client, ctx: &Context) -> Result<Docs, FetchError> {
    let region = ctx.region();
    let (listed, tags) = tokio::join!(list(client), ctx.tags(Query::Type("s3")));
    let (listed, tags) = (listed?, tags?);
    let tags = tags.as_ref();
    let region = region.as_str();
    let mut out: Docs = futures::stream::iter(listed)
        .map(|(name, listed_region)| async move {
            bucket(client, name, listed_region, region, tags).await
        })
        .buffer_unordered(CONCURRENCY)
        .try_filter_map(|b| async move { Ok(b) })
        .try_collect()
        .await?;
    if tags.is_some() {
        ctx.calls().saved("s3", "the Tagging API", out.len());
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// `(name, BucketRegion)` of every bucket, of every region. AWS pages with a
/// `ContinuationToken`; moto returns at most `MaxBuckets` and no token (a silent truncation
/// there, never met below 10,000 buckets).
async fn list(client: &Client) -> Result<Vec<(String, Option<String>)>, FetchError> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let sent = token.take();
        let page = client
            .list_buckets()
            .max_buckets(PAGE)
            .set_continuation_token(sent.clone())
            .send()
            .await
            .map_err(|e| explain("s3:ListAllMyBuckets", &e))?;
        for b in page.buckets() {
            if let Some(name) = b.name() {
                let region = b.bucket_region().filter(|r| !r.is_empty());
                out.push((name.to_string(), region.map(str::to_string)));
            }
        }
        match page.continuation_token().filter(|t| !t.is_empty()) {
            // Followed again, the same page would come back until the deadline.
            Some(t) if sent.as_deref() == Some(t) => {
                return Err(crate::aws::pages::repeated("s3:ListAllMyBuckets"))
            }
            Some(t) => token = Some(t.to_string()),
            None => return Ok(out),
        }
    }
}

/// S3's `LocationConstraint` as a region: none (or empty) is us-east-1, the bucket's original
/// region, and `EU` is what buckets made with the legacy `EU` constraint answer: eu-west-1.
pub(crate) fn region_of_location(constraint: Option<&str>) -> &str {
    match constraint {
        None | Some("") => "us-east-1",
        Some("EU") => "eu-west-1",
        Some(r) => r,
    }
}

/// moto answers `GetBucketVersioning` under the root `<GetBucketVersioningResponse>`, which
/// the SDK refuses (it wants AWS's `<VersioningConfiguration>`): that answer is read here, its
/// `Status` and `MfaDelete` as AWS's would be. `None` for any other failure.
fn moto_versioning<E>(
    e: &SdkError<E, aws_smithy_runtime_api::http::Response>,
) -> Option<GetBucketVersioningOutput> {
    let r = e.raw_response()?;
    let body = String::from_utf8_lossy(r.body().bytes()?);
    if r.status().as_u16() != 200 || !body.contains("<GetBucketVersioningResponse") {
        return None;
    }
    let element = |name: &str| {
        let open = format!("<{name}>");
        let start = body.find(&open)? + open.len();
        let end = body[start..].find('<')? + start;
        Some(body[start..end].trim().to_string())
    };
    let out = GetBucketVersioningOutput::builder();
    let out = match element("Status") {
        Some(s) => out.status(s.as_str().into()),
        None => out,
    };
    let out = match element("MfaDelete") {
        Some(m) => out.mfa_delete(m.as_str().into()),
        None => out,
    };
    Some(out.build())
}

/// What a call for one bucket answered: the value, S3's "no such configuration" (the
/// setting's absence), or the bucket gone.
enum Answer<T> {
    Value(T),
    Absent,
    Gone,
}

/// `result` of `operation` on `bucket`: `absent` (the operation's documented "no such
/// configuration" code) is the setting's absence; `NoSuchBucket` is the bucket gone, which only
/// the caller of the first call may take as "deleted since the listing"; anything else fails.
fn answer<T, E>(
    result: Result<T, SdkError<E>>,
    operation: &str,
    bucket: &str,
    absent: Option<&str>,
) -> Result<Answer<T>, FetchError>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match result {
        Ok(v) => Ok(Answer::Value(v)),
        Err(e) => match e.code() {
            Some(c) if Some(c) == absent => Ok(Answer::Absent),
            Some("NoSuchBucket") => Ok(Answer::Gone),
            _ => Err(explain(&format!("{operation} {bucket}"), &e)),
        },
    }
}

/// A setting: its value or `Null`; a bucket gone after the first call is an error.
fn setting<T, E>(
    result: Result<T, SdkError<E>>,
    operation: &str,
    bucket: &str,
    absent: &str,
    shape: impl FnOnce(T) -> Value,
) -> Result<Value, FetchError>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match answer(result, operation, bucket, Some(absent))? {
        Answer::Value(v) => Ok(shape(v)),
        Answer::Absent => Ok(Value::Null),
        Answer::Gone => Err(FetchError::of(
            &format!("{operation} {bucket}"),
            "the bucket was deleted while it was read",
        )),
    }
}

/// One bucket, or `None` when it is in another region, or was deleted between the listing and
/// its first call.
async fn bucket(
    client: &Client,
    name: String,
    listed_region: Option<String>,
    region: &str,
    pages: Option<&Tags>,
) -> Result<Option<(String, Value)>, FetchError> {
    let first_call_made = listed_region.is_none();
    let bucket_region = match listed_region {
        Some(r) => r,
        None => {
            let got = client.get_bucket_location().bucket(&name).send().await;
            match answer(got, "s3:GetBucketLocation", &name, None)? {
                Answer::Value(l) => {
                    region_of_location(l.location_constraint().map(|c| c.as_str())).to_string()
                }
                _ => return Ok(None),
            }
        }
    };
    if bucket_region != region {
        return Ok(None);
    }
    // Each bucket's calls go to its region's endpoint: the buckets kept are the run's region's,
    // the client's (another region's endpoint would answer with a redirect).
    let got = client.get_bucket_versioning().bucket(&name).send().await;
    let got = match got {
        Err(e) => moto_versioning(&e).ok_or(e),
        ok => ok,
    };
    let versioning = match answer(got, "s3:GetBucketVersioning", &name, None)? {
        Answer::Value(v) => shape::versioning(&v),
        Answer::Gone if !first_call_made => return Ok(None),
        _ => {
            return Err(FetchError::of(
                &format!("s3:GetBucketVersioning {name}"),
                "the bucket was deleted while it was read",
            ))
        }
    };
    let n = name.as_str();
    let (encryption, pab, ownership, policy, lifecycle, lock) = tokio::join!(
        client.get_bucket_encryption().bucket(n).send(),
        client.get_public_access_block().bucket(n).send(),
        client.get_bucket_ownership_controls().bucket(n).send(),
        client.get_bucket_policy().bucket(n).send(),
        client.get_bucket_lifecycle_configuration().bucket(n).send(),
        client.get_object_lock_configuration().bucket(n).send(),
    );
    let mut doc = Map::new();
    doc.insert("Name".into(), json!(name));
    doc.insert("Versioning".into(), versioning);
    let sse = "ServerSideEncryptionConfigurationNotFoundError";
    doc.insert(
        "ServerSideEncryptionConfiguration".into(),
        setting(encryption, "s3:GetEncryptionConfiguration", n, sse, |o| {
            shape::encryption(o.server_side_encryption_configuration())
        })?,
    );
    let no_pab = "NoSuchPublicAccessBlockConfiguration";
    doc.insert(
        "PublicAccessBlockConfiguration".into(),
        setting(pab, "s3:GetBucketPublicAccessBlock", n, no_pab, |o| {
            shape::public_access_block(o.public_access_block_configuration())
        })?,
    );
    let no_oc = "OwnershipControlsNotFoundError";
    doc.insert(
        "OwnershipControls".into(),
        setting(ownership, "s3:GetBucketOwnershipControls", n, no_oc, |o| {
            shape::ownership(o.ownership_controls())
        })?,
    );
    doc.insert(
        "Policy".into(),
        setting(policy, "s3:GetBucketPolicy", n, "NoSuchBucketPolicy", |o| {
            o.policy().map_or(Value::Null, Value::from)
        })?,
    );
    let no_lc = "NoSuchLifecycleConfiguration";
    doc.insert(
        "LifecycleConfiguration".into(),
        setting(lifecycle, "s3:GetLifecycleConfiguration", n, no_lc, |o| {
            shape::lifecycle(&o)
        })?,
    );
    let no_ol = "ObjectLockConfigurationNotFoundError";
    doc.insert(
        "ObjectLockConfiguration".into(),
        setting(lock, "s3:GetBucketObjectLockConfiguration", n, no_ol, |o| {
            shape::object_lock(o.object_lock_configuration())
        })?,
    );
    let tags = match pages {
        Some(pages) => tags_of(pages, n),
        None => {
            let got = client.get_bucket_tagging().bucket(n).send().await;
            setting(got, "s3:GetBucketTagging", n, "NoSuchTagSet", |o| {
                shape::tags(o.tag_set())
            })?
        }
    };
    doc.insert("Tags".into(), tags);
    Ok(Some((name, Value::Object(doc))))
}

/// The tags the Tagging API's pages give the bucket's ARN, `arn:PARTITION:s3:::NAME` (the
/// partition is not known here: each is looked up).
fn tags_of(pages: &Tags, bucket: &str) -> Value {
    let found = ["aws", "aws-cn", "aws-us-gov"]
        .iter()
        .find_map(|p| pages.get(&format!("arn:{p}:s3:::{bucket}")));
    shape::tag_map(found)
}

#[cfg(test)]
mod tests {
    use aws_sdk_s3::operation::get_bucket_policy::{GetBucketPolicyError, GetBucketPolicyOutput};
    use aws_smithy_runtime_api::http::Response;

    use super::{answer, region_of_location, Answer, SdkError};

    /// `GetBucketPolicy` answered with the error `code`, as the SDK hands it over.
    fn failed(code: &str, status: u16) -> SdkError<GetBucketPolicyError, Response> {
        let meta = aws_smithy_types::error::ErrorMetadata::builder()
            .code(code)
            .build();
        let raw = Response::new(
            status.try_into().unwrap(),
            aws_smithy_types::body::SdkBody::empty(),
        );
        SdkError::service_error(GetBucketPolicyError::generic(meta), raw)
    }

    fn of(code: &str, status: u16) -> Result<&'static str, String> {
        let got = answer::<GetBucketPolicyOutput, _>(
            Err(failed(code, status)),
            "s3:GetBucketPolicy",
            "b",
            Some("NoSuchBucketPolicy"),
        );
        match got {
            Ok(Answer::Value(_)) => Ok("value"),
            Ok(Answer::Absent) => Ok("absent"),
            Ok(Answer::Gone) => Ok("gone"),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Only the operation's own "no such configuration" code is the setting's absence; a bucket
    /// deleted is told apart (skipped only on its first call); anything else is an error.
    #[test]
    fn only_the_documented_code_is_an_absent_setting() {
        assert_eq!(of("NoSuchBucketPolicy", 404), Ok("absent"));
        assert_eq!(of("NoSuchBucket", 404), Ok("gone"));
        let denied = of("AccessDenied", 403).unwrap_err();
        assert!(denied.contains("s3:GetBucketPolicy b"), "{denied}");
        assert!(of("NoSuchLifecycleConfiguration", 404).is_err());
    }

    #[test]
    fn no_location_is_us_east_1_and_eu_is_eu_west_1() {
        assert_eq!(region_of_location(None), "us-east-1");
        assert_eq!(region_of_location(Some("")), "us-east-1");
        assert_eq!(region_of_location(Some("EU")), "eu-west-1");
        assert_eq!(region_of_location(Some("eu-west-1")), "eu-west-1");
    }
}
