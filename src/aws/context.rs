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

use super::revision_cache::RevisionCache;
use super::{ecs, iam, sts, tagging, ApiCalls};
use crate::error::FetchError;
use crate::kinds::Docs;
use crate::model::{Identity, Kind};
use crate::normalize::{normalize_raw, secrets, Redaction};

pub struct Context {
    config: SdkConfig,
    calls: ApiCalls,
    kinds: Vec<Kind>,
    aws_managed: bool,
    ecs: OnceLock<aws_sdk_ecs::Client>,
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
    /// A context for fetching `kinds`; `aws_managed` also fetches what AWS owns.
    pub fn new(config: SdkConfig, calls: ApiCalls, kinds: &[Kind], aws_managed: bool) -> Self {
        Context {
            config,
            calls,
            kinds: kinds.to_vec(),
            aws_managed,
            ecs: OnceLock::new(),
            iam: OnceLock::new(),
            iam_walk: OnceLock::new(),
            task_definitions: OnceCell::new(),
            identity: OnceCell::new(),
            cache_dir: None,
            cache_on_custom_endpoint: false,
            redaction: Redaction::default(),
            tag_pages: false,
            tagging: OnceLock::new(),
            tagging_fell_back: Once::new(),
        }
    }

    /// Uses the revision cache in `cache_dir` (none: no cache; on a custom endpoint only with
    /// `cache_on_custom_endpoint`), storing no revision in which `redaction` finds a secret,
    /// and, with `tag_pages`, tags in pages from the Tagging API.
    pub fn with_reuse(
        mut self,
        cache_dir: Option<PathBuf>,
        cache_on_custom_endpoint: bool,
        redaction: &Redaction,
        tag_pages: bool,
    ) -> Self {
        self.cache_dir = cache_dir;
        self.cache_on_custom_endpoint = cache_on_custom_endpoint;
        self.redaction = redaction.clone();
        self.tag_pages = tag_pages;
        self
    }

    /// Whether a revision may be cached: the cache holds what AWS returned, before redaction,
    /// so a revision with a secret in clear (an environment value named like one, a credential
    /// in a command) is described every run instead of written to disk.
    fn storable(&self, entry: &serde_json::Value) -> bool {
        let canonical = normalize_raw(Kind::EcsTaskDefinition, entry.clone(), &self.redaction);
        !secrets::redaction_found_secrets(entry, &canonical)
    }

    /// Whose account and which region this run reads (STS `GetCallerIdentity`, once): recorded
    /// in golden folders, and the revision cache's scope.
    pub async fn identity(&self) -> &Result<Identity, FetchError> {
        self.identity
            .get_or_init(|| async {
                let region = self.config.region().map(|r| r.to_string());
                let client = sts::client(&self.config, &self.calls);
                sts::identity(&client, region.as_deref().unwrap_or_default()).await
            })
            .await
    }

    pub fn config(&self) -> &SdkConfig {
        &self.config
    }

    pub fn calls(&self) -> &ApiCalls {
        &self.calls
    }

    /// Whether this run fetches `kind`.
    pub fn fetches(&self, kind: Kind) -> bool {
        self.kinds.contains(&kind)
    }

    pub fn ecs(&self) -> &aws_sdk_ecs::Client {
        self.ecs
            .get_or_init(|| ecs::client(&self.config, &self.calls))
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
    /// services are compared with (their family's latest revision). With revisions of this
    /// account and region in the cache, only those not in it are described; without, every
    /// family is, and the cache is filled.
    pub async fn task_definitions(&self) -> &Result<Docs, FetchError> {
        self.task_definitions
            .get_or_init(|| async {
                let cache = self.revision_cache().await;
                match cache {
                    Some(cache) if cache.has_entries() => {
                        let docs = ecs::task_definitions_with_cache(self, &cache).await?;
                        cache.put_all(docs.described.iter().map(|(_, d)| d), |e| self.storable(e));
                        Ok(docs.all)
                    }
                    _ => {
                        let docs = ecs::task_definitions(self.ecs()).await?;
                        if let Some(cache) = cache {
                            cache.put_all(docs.iter().map(|(_, d)| d), |e| self.storable(e));
                        }
                        Ok(docs)
                    }
                }
            })
            .await
    }

    /// The revision cache of this run's account and region, unless it is off or the account is
    /// unknown (then the run fetches as without a cache; the identity's error is reported once,
    /// by the live source). On a custom endpoint only when the file's `cache = true` says so:
    /// an entry is trusted because AWS never registers two documents under one revision ARN,
    /// and a local server that is reset (moto, LocalStack) does, with the same account and
    /// endpoint; nothing in the cache could tell the new `family:1` from the old.
    async fn revision_cache(&self) -> Option<RevisionCache> {
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
