//! Stage: fetch. Talks to AWS through the SDK; the only place that names `aws_sdk_*` types.
//! Read-only calls only (List*, Describe*, Get*). Returns raw JSON documents for `normalize`.

mod context;
pub mod credentials;
/// Defines `client(config, calls)` for one service: the SDK's client with every guard driftwatch
/// puts on a call (call counting, cut-body and non-AWS checks, no retry of a connection refused or a host not found).
/// A macro because each SDK crate has its own config builder type.
macro_rules! sdk_client {
    ($sdk:ident) => {
        pub fn client(config: &aws_config::SdkConfig, calls: &$crate::fetch::ApiCalls) -> Client {
            let conf = $sdk::config::Builder::from(config)
                .interceptor(calls.clone())
                .interceptor($crate::fetch::guard::Guard)
                .retry_classifier($crate::fetch::guard::UnreachableIsFinal)
                .build();
            Client::from_conf(conf)
        }
    };
}
pub(crate) use sdk_client;

pub mod ecs;
pub mod guard;
pub mod iam;
pub mod limits;
pub mod revision_cache;
pub mod s3;
pub mod sts;
pub mod tagging;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

pub use context::Context;

use aws_config::{BehaviorVersion, SdkConfig};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    AfterDeserializationInterceptorContextRef, BeforeSerializationInterceptorContextRef,
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::{HttpResponse, Metadata};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::error::{Cause, FetchError};

/// How to reach AWS: flags that override the standard chain (env, profile, SSO, web identity,
/// instance metadata). `AWS_ENDPOINT_URL` and `AWS_REGION` work without flags.
#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    /// A role to assume with the credentials found by the chain.
    pub role_arn: Option<String>,
    /// Timeouts and attempts.
    pub limits: limits::Limits,
    /// Where task definition revisions are cached (see [`revision_cache`]); None: read them all
    /// from the API.
    pub cache_dir: Option<std::path::PathBuf>,
    /// The revision cache is used with a custom endpoint too (the file's `cache = true`, said
    /// explicitly): see `Context::revision_cache`.
    pub cache_on_custom_endpoint: bool,
    /// Tags of queues and cached task definitions from the Resource Groups Tagging API, in pages
    /// (see [`tagging`]), rather than one call per resource.
    pub tag_pages: bool,
}

/// Loads the SDK configuration and resolves its credentials once, so that a missing region or
/// missing credentials fail the run once, with one message, before any call. When both are
/// missing both are said, credentials first: a region alone would not make it work.
pub async fn load_config(opts: &AwsOptions) -> Result<SdkConfig, String> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(r) = &opts.region {
        loader = loader.region(aws_config::Region::new(r.clone()));
    }
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    if let Some(e) = &opts.endpoint_url {
        loader = loader.endpoint_url(e);
    }
    loader = loader
        .timeout_config(opts.limits.timeout_config())
        .retry_config(opts.limits.retry_config());
    let mut config = loader.load().await;
    if let Some(role) = &opts.role_arn {
        let provider = aws_config::sts::AssumeRoleProvider::builder(role)
            .session_name("driftwatch")
            .configure(&config)
            .build()
            .await;
        config = config
            .into_builder()
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(provider),
            )
            .build();
    }
    let no_region = config.region().is_none().then_some(
        "no AWS region configured: pass --region, or set AWS_REGION, or set `region` in your \
         AWS profile",
    );
    match (
        credentials::resolve(config, opts.role_arn.as_deref()).await,
        no_region,
    ) {
        (Ok(config), None) => Ok(config),
        (Ok(_), Some(region)) => Err(region.to_string()),
        (Err(credentials), None) => Err(credentials),
        (Err(credentials), Some(region)) => Err(format!("{credentials}; and {region}")),
    }
}

/// Counts the API calls made per `service:Operation`, so `-v` can show what a run cost and
/// tests can see which operations driftwatch calls; also the retries each needed and the calls
/// still waiting for an answer (what a run that hit its deadline was stuck on).
#[derive(Debug, Clone, Default)]
pub struct ApiCalls {
    calls: Counts,
    retries: Counts,
    in_flight: Counts,
    /// `service` → (what saved them → calls not made).
    saved: Arc<Mutex<BTreeMap<String, BTreeMap<&'static str, usize>>>>,
}

type Counts = Arc<Mutex<BTreeMap<String, usize>>>;

/// The IAM action prefix of an SDK service name: the counts are keyed like the policy's
/// actions (`ecs:DescribeTaskDefinition`), and most services are named as their prefix, but the
/// Resource Groups Tagging API's actions are `tag:…`.
fn action_prefix(service: &str) -> String {
    match service {
        "Resource Groups Tagging API" => "tag".to_string(),
        s => s.to_ascii_lowercase(),
    }
}

fn bump(counts: &Counts, cfg: &ConfigBag, up: bool) {
    if let (Some(meta), Ok(mut m)) = (cfg.load::<Metadata>(), counts.lock()) {
        let key = format!("{}:{}", action_prefix(meta.service()), meta.name());
        let n = m.entry(key).or_default();
        *n = if up { *n + 1 } else { n.saturating_sub(1) };
    }
}

fn snapshot(counts: &Counts) -> BTreeMap<String, usize> {
    let mut m = counts.lock().map(|m| m.clone()).unwrap_or_default();
    m.retain(|_, n| *n > 0);
    m
}

impl ApiCalls {
    pub fn counts(&self) -> BTreeMap<String, usize> {
        snapshot(&self.calls)
    }

    /// Attempts beyond the first, per operation.
    pub fn retries(&self) -> BTreeMap<String, usize> {
        snapshot(&self.retries)
    }

    /// Operations sent and not finished (yet, or ever: cancelled by the run's deadline).
    pub fn in_flight(&self) -> BTreeMap<String, usize> {
        snapshot(&self.in_flight)
    }

    /// Records `n` calls to `service` not made thanks to `by` (the revision cache, the Tagging
    /// API), for the `-v` summary.
    pub fn saved(&self, service: &str, by: &'static str, n: usize) {
        if let Ok(mut m) = self.saved.lock() {
            *m.entry(service.to_string())
                .or_default()
                .entry(by)
                .or_default() += n;
        }
    }

    /// One line per service: the calls made and those saved, e.g. `ecs: 32 calls, 998 saved by
    /// the revision cache`.
    pub fn per_service(&self) -> Vec<String> {
        let saved = self.saved.lock().map(|m| m.clone()).unwrap_or_default();
        per_service(&self.counts(), &saved)
    }
}

fn per_service(
    counts: &BTreeMap<String, usize>,
    saved: &BTreeMap<String, BTreeMap<&'static str, usize>>,
) -> Vec<String> {
    let mut made: BTreeMap<&str, usize> = BTreeMap::new();
    for (op, n) in counts {
        *made.entry(op.split(':').next().unwrap_or(op)).or_default() += n;
    }
    for service in saved.keys() {
        made.entry(service).or_default();
    }
    made.iter()
        .map(|(service, n)| {
            let mut line = format!("{service}: {n} calls");
            for (by, s) in saved.get(*service).into_iter().flatten() {
                line.push_str(&format!(", {s} saved by {by}"));
            }
            line
        })
        .collect()
}

impl Intercept for ApiCalls {
    fn name(&self) -> &'static str {
        "driftwatch::ApiCalls"
    }

    fn read_before_serialization(
        &self,
        _ctx: &BeforeSerializationInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        bump(&self.calls, cfg, true);
        bump(&self.in_flight, cfg, true);
        Ok(())
    }

    fn read_before_attempt(
        &self,
        _ctx: &BeforeTransmitInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if cfg
            .load::<RequestAttempts>()
            .is_some_and(|a| a.attempts() > 1)
        {
            bump(&self.retries, cfg, true);
        }
        Ok(())
    }

    fn read_after_execution(
        &self,
        _ctx: &FinalizerInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        bump(&self.in_flight, cfg, false);
        Ok(())
    }
}

/// Keeps the raw body of an operation's response. For JSON-protocol services (ECS, SQS) the
/// body *is* the API's document, with AWS's own field names and every field AWS returns, also
/// fields added after this SDK was built. Building our document from it instead of mapping each
/// SDK struct field by hand means a field we forgot can never hide drift.
#[derive(Debug, Clone, Default)]
pub struct RawBody(Arc<Mutex<Option<Vec<u8>>>>);

impl RawBody {
    /// The captured body parsed as JSON.
    pub fn json(&self, operation: &str) -> Result<serde_json::Value, FetchError> {
        let body = self
            .0
            .lock()
            .ok()
            .and_then(|mut b| b.take())
            .ok_or_else(|| FetchError::of(operation, "the response had no body"))?;
        serde_json::from_slice(&body)
            .map_err(|e| FetchError::of(operation, format!("the response is not JSON: {e}")))
    }
}

impl Intercept for RawBody {
    fn name(&self) -> &'static str {
        "driftwatch::RawBody"
    }

    fn read_after_deserialization(
        &self,
        ctx: &AfterDeserializationInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // After deserialization the orchestrator has read a non-streaming body into memory.
        if let Some(bytes) = ctx.response().body().bytes() {
            if let Ok(mut slot) = self.0.lock() {
                *slot = Some(bytes.to_vec());
            }
        }
        Ok(())
    }
}

/// What to do when AWS rejects the credentials (see [`credentials::rejected`]).
const REJECTED: &str =
    "AWS rejected the credentials as expired or invalid: refresh them (`aws sso \
    login` for an SSO profile) or fix AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; with \
    --endpoint-url, check that the endpoint is the one they are for";

/// [`REJECTED`], for an answer that a clock off by more than 15 minutes also gets (see
/// [`credentials::clock_may_be_off`]).
const REJECTED_OR_CLOCK: &str = "AWS rejected the credentials as expired or invalid: refresh \
    them (`aws sso login` for an SSO profile) or fix AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; \
    with --endpoint-url, check that the endpoint is the one they are for; or set this machine's \
    clock right: EC2 says the same of a request signed more than 15 minutes off its time";

/// A failed call as an error that says what failed and what to do about it.
pub fn explain<E>(operation: &str, err: &SdkError<E, HttpResponse>) -> FetchError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    if let Some(special) = timed_out(operation, err)
        .or_else(|| unreachable(operation, err))
        .or_else(|| cut_short(operation, err))
        .or_else(|| not_aws(operation, err))
    {
        return special;
    }
    let detail = match err {
        SdkError::ServiceError(_) => format!(
            "{}: {}",
            err.code().unwrap_or("error"),
            err.message().unwrap_or("no message")
        ),
        _ => cause_chain(err),
    };
    let hint = match err {
        SdkError::DispatchFailure(d) if d.is_io() || d.is_timeout() => Some(
            "could not reach the AWS endpoint: check the network, --endpoint-url and \
             AWS_ENDPOINT_URL",
        ),
        SdkError::ServiceError(_) => match err.code() {
            Some(c) if c.contains("AccessDenied") || c.contains("UnauthorizedOperation") => Some(
                "the credentials lack this read-only permission: grant the action named \
                 above to the role driftwatch runs as; `driftwatch policy` prints every \
                 permission it needs",
            ),
            Some(c) if c.contains("Throttl") || c.contains("RequestLimitExceeded") => Some(
                "throttled by AWS and the SDK's retries were exhausted; run again later, or \
                 check fewer kinds with --kind",
            ),
            Some(c) if credentials::clock_may_be_off(c) => Some(REJECTED_OR_CLOCK),
            Some(c) if credentials::rejected(c) => Some(REJECTED),
            _ => None,
        },
        _ if detail.contains("credentials") => Some(
            "no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID / \
             AWS_SECRET_ACCESS_KEY, run `aws sso login`, or use a role with web identity",
        ),
        _ => None,
    };
    FetchError {
        operation: Some(operation.to_string()),
        cause: Cause::Failed(detail),
        hint: hint.map(String::from),
    }
}

/// An attempt (or the whole operation) that got no answer in time. The SDK says which
/// timeout fired and after how long ("operation attempt timeout (single attempt) occurred after
/// 2s"); we say it in the user's words, with the flag that changes it.
fn timed_out<E>(operation: &str, err: &SdkError<E, HttpResponse>) -> Option<FetchError>
where
    E: std::error::Error + 'static,
{
    let SdkError::TimeoutError(_) = err else {
        return None;
    };
    let text = cause_chain(err);
    let after = text
        .rsplit_once("occurred after ")
        .map(|(_, d)| d.trim_end_matches('s').trim())
        .and_then(|d| d.parse::<f64>().ok())
        .map(|s| {
            format!(
                " after {}",
                limits::seconds(std::time::Duration::from_secs_f64(s))
            )
        })
        .unwrap_or_default();
    let hint = if text.contains("attempt timeout") {
        "per-attempt timeout, each of its attempts; raise it with --timeout"
    } else {
        "the run's deadline; raise it with --deadline"
    };
    Some(FetchError {
        operation: Some(operation.to_string()),
        cause: Cause::TimedOut(after),
        hint: Some(hint.to_string()),
    })
}

/// A connection that could not be made and was not retried (see [`guard::Unreachable`]): the
/// host it was for, what the system said, and why it was tried once.
fn unreachable<E>(operation: &str, err: &SdkError<E, HttpResponse>) -> Option<FetchError>
where
    E: std::error::Error + 'static,
{
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(s) = source {
        if let Some(u) = s.downcast_ref::<guard::Unreachable>() {
            let hint = match u.reason {
                guard::Final::Refused => {
                    "could not reach the AWS endpoint, tried once: nothing listens there; check \
                     the network, --endpoint-url and AWS_ENDPOINT_URL, and that the server runs"
                }
                guard::Final::Unresolved => {
                    "could not reach the AWS endpoint, tried once: its host name does not \
                     resolve; check the network's DNS, --endpoint-url and AWS_ENDPOINT_URL"
                }
            };
            return Some(FetchError {
                operation: Some(operation.to_string()),
                cause: Cause::Failed(u.to_string()),
                hint: Some(hint.to_string()),
            });
        }
        source = s.source();
    }
    None
}

/// A response whose body ended before its document did (see [`guard::xml_complete`]).
fn cut_short<E>(operation: &str, err: &SdkError<E, HttpResponse>) -> Option<FetchError>
where
    E: std::error::Error + 'static,
{
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(s) = source {
        if let Some(cut) = s.downcast_ref::<guard::CutShort>() {
            return Some(FetchError::of(operation, cut.to_string()));
        }
        source = s.source();
    }
    None
}

/// An answer that is no AWS API response at all: an HTML page from a corporate proxy, a web
/// server at the wrong URL. The SDK finds no error code in it and would say "no message"; we
/// say what answered (status, host) and where to look.
fn not_aws<E>(operation: &str, err: &SdkError<E, HttpResponse>) -> Option<FetchError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    if !matches!(err, SdkError::ServiceError(_) | SdkError::ResponseError(_))
        || err.code().is_some()
    {
        return None;
    }
    let response = err.raw_response()?;
    let status = response.status().as_u16();
    let host = response
        .headers()
        .get(guard::ENDPOINT_HEADER)
        .unwrap_or("the endpoint");
    let kind = response
        .headers()
        .get("content-type")
        .map(|c| format!(" ({})", c.split(';').next().unwrap_or(c).trim()))
        .unwrap_or_default();
    Some(FetchError {
        operation: Some(operation.to_string()),
        cause: Cause::Failed(format!(
            "HTTP {status} from {host}: the answer{kind} is not an AWS API response"
        )),
        hint: Some(
            "a proxy or another server answered: check --endpoint-url, AWS_ENDPOINT_URL and \
             HTTPS_PROXY"
                .to_string(),
        ),
    })
}

/// `err` and its sources joined by ": ", each once (the SDK repeats a cause in its parent's
/// text at some levels).
fn cause_chain(err: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

/// Runs async SDK work from the synchronous stages. SIGINT/SIGTERM end the wait with
/// [`Error::Interrupted`](crate::error::Error::Interrupted) (nothing has been written yet).
pub fn block_on<F: std::future::Future>(f: F) -> Result<F::Output, crate::error::Error> {
    use crate::error::Error;
    crate::interrupt::install();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the async runtime: {e}")))?;
    rt.block_on(async {
        tokio::select! {
            out = f => Ok(out),
            sig = crate::interrupt::wait() => Err(Error::Interrupted(sig)),
        }
    })
}

/// Actions every live run calls whatever the kinds: who the credentials belong to, recorded in
/// and checked against golden folders.
pub fn common_actions() -> &'static [&'static str] {
    &["sts:GetCallerIdentity"]
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    #[test]
    fn calls_are_keyed_by_the_iam_action_prefix() {
        assert_eq!(super::action_prefix("ECS"), "ecs");
        assert_eq!(super::action_prefix("Resource Groups Tagging API"), "tag");
    }

    /// An EC2 error answer with `code`, as the SDK hands it to [`super::explain`].
    fn ec2_error(
        code: &str,
    ) -> super::SdkError<
        aws_sdk_ec2::operation::describe_security_groups::DescribeSecurityGroupsError,
        super::HttpResponse,
    > {
        use aws_sdk_ec2::operation::describe_security_groups::DescribeSecurityGroupsError;
        let meta = aws_smithy_types::error::ErrorMetadata::builder()
            .code(code)
            .message("Request has expired.")
            .build();
        let raw = super::HttpResponse::new(
            400.try_into().unwrap(),
            aws_smithy_types::body::SdkBody::empty(),
        );
        super::SdkError::service_error(DescribeSecurityGroupsError::generic(meta), raw)
    }

    #[test]
    fn ec2_request_expired_gets_the_expired_credentials_hint() {
        let e = super::explain("ec2:DescribeSecurityGroups", &ec2_error("RequestExpired"));
        let text = e.to_string();
        assert!(
            text.starts_with(
                "ec2:DescribeSecurityGroups failed: RequestExpired: Request has expired."
            ) && text.contains("AWS rejected the credentials as expired or invalid: refresh them")
                && text.contains("clock"),
            "{text}"
        );
        let e = super::explain("ec2:DescribeSecurityGroups", &ec2_error("AuthFailure"));
        assert!(!e.to_string().contains("clock"), "{e}");
    }

    #[test]
    fn per_service_lines_say_the_calls_made_and_saved() {
        let counts = BTreeMap::from([
            ("ecs:ListTaskDefinitions".to_string(), 30),
            ("ecs:DescribeTaskDefinition".to_string(), 2),
            ("sqs:GetQueueAttributes".to_string(), 5),
        ]);
        let saved = BTreeMap::from([
            (
                "ecs".to_string(),
                BTreeMap::from([("the revision cache", 998)]),
            ),
            ("sqs".to_string(), BTreeMap::from([("the Tagging API", 5)])),
        ]);
        assert_eq!(
            super::per_service(&counts, &saved),
            [
                "ecs: 32 calls, 998 saved by the revision cache",
                "sqs: 5 calls, 5 saved by the Tagging API"
            ]
        );
    }
}
