//! The AWS client layer: the only module that names AWS SDK types (`aws_sdk_*`, `aws_smithy_*`,
//! `aws_config`); the rest of the crate calls it with plain values and gets JSON documents,
//! bytes and strings back. Read-only calls only (List*, Describe*, Get*), except the history
//! database's conditional put to S3. What it holds:
//!
//! - **clients**: [`load_config`] (the SDK configuration from [`AwsOptions`], credentials
//!   resolved once, `credentials`), each service's client made by `sdk_client!`, the
//!   run's shared ones in [`Context`]; S3 objects for the state reader and history ([`s3`]);
//! - **retries and guards**: timeouts and attempts ([`limits`]), what a call must not retry or
//!   accept (`guard`: a cut body, a server that is not AWS, an unreachable host), a failed
//!   call said in words ([`explain`]);
//! - **call counting** ([`ApiCalls`], on every client), for `-v` and the deadline's message;
//! - **the runtime**: one per process, which the synchronous stages wait on ([`block_on`]);
//! - **the kinds' fetch modules** ([`kinds`]: one a kind), and what two kinds share, named for
//!   what it holds: the ECS client and revision lookups (`ecs`), the IAM account-authorization
//!   walk (`iam`), the task definition revision cache (`revision_cache`), tags in pages from
//!   the Tagging API (`tagging`), who the credentials belong to (`sts`); raw response bodies
//!   for the kinds whose document is the API's own JSON ([`RawBody`]).

mod calls;
mod context;
mod credentials;
mod ecs;
pub(crate) mod elbv2;
mod explain;
mod guard;
mod iam;
pub(crate) mod images;
pub(crate) mod kinds;
pub(crate) mod limits;
pub(crate) mod org;
pub(crate) mod organizations;
pub(crate) mod pages;
mod raw_body;
mod rds;
mod revision_cache;
mod runtime;
pub(crate) mod s3;
mod sts;
pub(crate) mod subnets;
mod tagging;

/// Defines `client(config, calls)` for one service: the SDK's client with every guard
/// driftwatch puts on a call (call counting, cut-body and non-AWS checks, no retry of a
/// connection refused or a host not found). A macro because each SDK crate has its own config
/// builder type.
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

pub use calls::ApiCalls;
pub use context::Context;
use explain::cause_chain;
pub use explain::explain;

pub use raw_body::{all_items, RawBody};
pub use runtime::block_on;

use aws_config::{BehaviorVersion, SdkConfig};

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
    /// An organization member's session, shared by every target of its account (`check
    /// --plan`): used instead of the chain, and `role_arn` is not assumed again.
    pub session: Option<org::Session>,
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
    if let Some(session) = &opts.session {
        config = config
            .into_builder()
            .credentials_provider(session.provider())
            .build();
    } else if let Some(role) = &opts.role_arn {
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

/// Actions every live run calls whatever the kinds: who the credentials belong to, recorded in
/// and checked against golden folders.
pub fn common_actions() -> &'static [&'static str] {
    &["sts:GetCallerIdentity"]
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every `.rs` file under `dir`, recursively.
    fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn only_the_aws_layer_names_sdk_crates() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&src, &mut files);
        let sdk = [
            "aws_sdk_",
            "aws_smithy",
            "aws_config",
            "aws_types",
            "aws_credential",
        ];
        let outside: Vec<String> = files
            .iter()
            .filter(|f| !f.starts_with(src.join("aws")))
            .filter(|f| {
                let text = std::fs::read_to_string(f).unwrap();
                sdk.iter().any(|s| text.contains(s))
            })
            .map(|f| f.display().to_string())
            .collect();
        assert!(
            outside.is_empty(),
            "SDK crates named outside src/aws/: {outside:?}"
        );
    }
}
