//! The per-run fetch context each kind's fetch is given: the SDK configuration, the call
//! counter, the kinds in scope, and what serves more than one kind: the SDK clients of services
//! two kinds call (made when first asked for) and the calls whose answer both use, made once by
//! whichever kind asks first while the other awaits the same answer. Here rather than in the
//! kinds because two kinds share them; a kind alone on its service makes its own client from
//! [`Context::config`] and [`Context::calls`].
//!
//! Also what makes a run cheaper than the one before: the revision cache of task definitions
//! and tags in pages from the Tagging API, both used by two kinds, both off with `--no-cache`.

use std::path::PathBuf;
use std::sync::{Once, OnceLock};

use aws_config::SdkConfig;
use tokio::sync::OnceCell;

use super::kinds::ecs_task_definition;
use super::revision_cache::RevisionCache;
use super::{ecs, elbv2, iam, load_config, sts, tagging, ApiCalls, AwsOptions};
use crate::error::FetchError;
use crate::kinds::Docs;
use crate::model::{Identity, Kind};
use crate::normalize::Redaction;

pub struct Context {
    config: SdkConfig,
    calls: ApiCalls,
    kinds: Vec<Kind>,
    aws_managed: bool,
    ecs: OnceLock<aws_sdk_ecs::Client>,
    elbv2: OnceLock<elbv2::Shared>,
    iam: OnceLock<aws_sdk_iam::Client>,
    iam_walk: OnceLock<iam::Walk>,
    task_definitions: OnceCell<Result<Docs, FetchError>>,
    identity: OnceCell<Result<Identity, FetchError>>,
    cache_dir: Option<PathBuf>,
    cache_on_custom_endpoint: bool,
    redaction: Redaction,
    tag_pages: bool,
    tagging: OnceLock<tagging::Client>,
    tagging_fell_back: Once,
}

/// The endpoint URL the ECS client is given, if any: a service-specific one
/// (`AWS_ENDPOINT_URL_ECS`, the profile's `services` section) over the general one
/// (`--endpoint-url`, `AWS_ENDPOINT_URL`, the profile's `endpoint_url`), as the SDK's own
/// `aws_sdk_ecs::config::Builder::from(&SdkConfig)` chooses. None: AWS's own endpoint.
fn ecs_endpoint(config: &SdkConfig) -> Option<String> {
    // An endpoint set in code (our `--endpoint-url`) wins over what the environment says.
    if config.get_origin("endpoint_url").is_client_config() {
        return config.endpoint_url().map(str::to_string);
    }
    let key = aws_types::service_config::ServiceConfigKey::builder()
        .service_id("ECS")
        .env("AWS_ENDPOINT_URL")
        .profile("endpoint_url")
        .build()
        .ok();
    // A key that cannot be built falls back to the general endpoint, never to "AWS's own".
    key.and_then(|key| config.service_config()?.load_config(key))
        .or_else(|| config.endpoint_url().map(str::to_string))
}

impl Context {
    /// A context for fetching `kinds` as `opts` say (`aws_managed` also fetches what AWS owns):
    /// the SDK configuration loaded and its credentials resolved, once (see [`load_config`]);
    /// the revision cache in `opts.cache_dir` (none: no cache; on a custom endpoint only with
    /// `cache_on_custom_endpoint`), storing no revision in which `redaction` finds a secret; and,
    /// with `opts.tag_pages`, tags in pages from the Tagging API.
    pub async fn load(
        opts: &AwsOptions,
        calls: ApiCalls,
        kinds: &[Kind],
        aws_managed: bool,
        redaction: &Redaction,
    ) -> Result<Self, String> {
        Ok(Context {
            config: load_config(opts).await?,
            calls,
            kinds: kinds.to_vec(),
            aws_managed,
            ecs: OnceLock::new(),
            elbv2: OnceLock::new(),
            iam: OnceLock::new(),
            iam_walk: OnceLock::new(),
            task_definitions: OnceCell::new(),
            identity: OnceCell::new(),
            cache_dir: opts.cache_dir.clone(),
            cache_on_custom_endpoint: opts.cache_on_custom_endpoint,
            redaction: redaction.clone(),
            tag_pages: opts.tag_pages,
            tagging: OnceLock::new(),
            tagging_fell_back: Once::new(),
        })
    }

    /// The region this run reads ("" when none is configured: loading fails before).
    pub fn region(&self) -> String {
        self.config
            .region()
            .map(|r| r.to_string())
            .unwrap_or_default()
    }

    /// Whose account and which region this run reads (STS `GetCallerIdentity`, once): recorded
    /// in golden folders, and the revision cache's scope.
    pub async fn identity(&self) -> &Result<Identity, FetchError> {
        self.identity
            .get_or_init(|| async {
                let client = sts::client(&self.config, &self.calls);
                sts::identity(&client, &self.region()).await
            })
            .await
    }

    pub fn config(&self) -> &SdkConfig {
        &self.config
    }

    pub fn calls(&self) -> &ApiCalls {
        &self.calls
    }

    /// What the run redacts: no revision in which it finds a secret is cached.
    pub(crate) fn redaction(&self) -> &Redaction {
        &self.redaction
    }

    /// Whether this run fetches `kind`.
    pub fn fetches(&self, kind: Kind) -> bool {
        self.kinds.contains(&kind)
    }

    pub fn ecs(&self) -> &aws_sdk_ecs::Client {
        self.ecs
            .get_or_init(|| ecs::client(&self.config, &self.calls))
    }

    /// The Elastic Load Balancing client and the load balancers and listeners the four load
    /// balancer kinds share (see [`elbv2::Shared`]).
    pub(crate) fn elbv2(&self) -> &elbv2::Shared {
        self.elbv2
            .get_or_init(|| elbv2::Shared::new(&self.config, &self.calls))
    }

    pub fn iam(&self) -> &aws_sdk_iam::Client {
        self.iam
            .get_or_init(|| iam::client(&self.config, &self.calls))
    }

    /// Roles and policies from one `GetAccountAuthorizationDetails` walk, for both IAM kinds,
    /// filtered to the kinds in scope; started by whichever kind asks first.
    pub fn iam_walk(&self) -> &iam::Walk {
        self.iam_walk.get_or_init(|| {
            let want = iam::Want {
                roles: self.fetches(Kind::IamRole),
                policies: self.fetches(Kind::IamPolicy),
                aws_managed: self.aws_managed,
            };
            iam::Walk::start(self.iam().clone(), want)
        })
    }

    /// The task definitions of this run, fetched once: the kind's own documents, and what
    /// services are compared with (their family's latest revision).
    pub async fn task_definitions(&self) -> &Result<Docs, FetchError> {
        self.task_definitions
            .get_or_init(|| ecs_task_definition::latest_of_every_family(self))
            .await
    }

    /// The revision cache of this run's account and region, unless it is off or the account is
    /// unknown (then the run fetches as without a cache; the identity's error is reported once,
    /// by the live source). On a custom endpoint only when the file's `cache = true` says so:
    /// an entry is trusted because AWS never registers two documents under one revision ARN,
    /// and a local server that is reset (moto, LocalStack) does, with the same account and
    /// endpoint; nothing in the cache could tell the new `family:1` from the old.
    pub(crate) async fn revision_cache(&self) -> Option<RevisionCache> {
        let dir = self.cache_dir.as_deref()?;
        let endpoint = ecs_endpoint(&self.config);
        if let (Some(endpoint), false) = (&endpoint, self.cache_on_custom_endpoint) {
            tracing::info!(
                "no revision cache on the custom endpoint {endpoint}: a local server that is \
                 reset reuses revision ARNs (`cache = true` in driftwatch.toml uses it anyway)"
            );
            return None;
        }
        let identity = self.identity().await.as_ref().ok()?;
        Some(RevisionCache::open(dir, identity, endpoint.as_deref()))
    }

    /// The tags `query` asks for, from the Tagging API (see [`tagging`]);
    /// `None` when tags in pages are off, or the server or the policy does not allow them: the
    /// kind then asks per resource. Said once a run at `-v`, not an error.
    pub async fn tags(
        &self,
        query: tagging::Query<'_>,
    ) -> Result<Option<tagging::Tags>, FetchError> {
        if !self.tag_pages {
            return Ok(None);
        }
        let client = self
            .tagging
            .get_or_init(|| tagging::client(&self.config, &self.calls));
        let tags = tagging::tags(client, query).await?;
        if tags.is_none() {
            self.tagging_fell_back.call_once(|| {
                tracing::info!(
                    "tag:GetResources is not available (not allowed, or not offered by the \
                     endpoint): tags are read one resource at a time"
                )
            });
        }
        Ok(tags)
    }
}
