//! Stage: fetch. Talks to AWS through the SDK; the only place that names `aws_sdk_*` types.
//! Read-only calls only (List*, Describe*, Get*). Returns raw JSON documents for `normalize`.

mod context;
pub mod credentials;
mod explain;
/// Defines `client(config, calls)` for one service: the SDK's client with every guard driftwatch
/// puts on a call (call counting, cut-body and non-AWS checks, no retry of a connection refused or a host not found).
/// A macro because each SDK crate has its own config builder type.
macro_rules! sdk_client {
    ($sdk:ident) => {
        pub fn client(config: &aws_config::SdkConfig, calls: &$crate::aws::ApiCalls) -> Client {
            let conf = $sdk::config::Builder::from(config)
                .interceptor(calls.clone())
                .interceptor($crate::aws::guard::Guard)
                .retry_classifier($crate::aws::guard::UnreachableIsFinal)
                .build();
            Client::from_conf(conf)
        }
    };
}
pub(crate) use sdk_client;

pub mod ecs;
pub mod guard;
pub mod iam;
pub mod kinds;
pub mod limits;
pub mod revision_cache;
pub mod s3;
pub mod sts;
pub mod tagging;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

pub use context::Context;
use explain::cause_chain;
pub use explain::explain;

use aws_config::{BehaviorVersion, SdkConfig};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    AfterDeserializationInterceptorContextRef, BeforeSerializationInterceptorContextRef,
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

use crate::error::FetchError;

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
