//! Source: the live account. Fetches each kind in scope concurrently, each by its definition
//! (`kinds/`), and normalizes what comes back. One kind failing does not hide the others: its
//! error is returned beside the inventory.

use crate::aws::{self, ApiCalls, AwsOptions, Context};
use crate::diff::ErrorEntry;
use crate::error::{Cause, FetchError};
use crate::kinds::Docs;
use crate::model::{Identity, Inventory, Kind, Origin, Resource};
use crate::normalize::{normalize_raw, Redaction};
use crate::progress::Progress;

/// What a live fetch gives: the kinds that were read, the errors of those that were not, and
/// whose account it was.
pub struct Fetched {
    pub inventory: Inventory,
    pub errors: Vec<ErrorEntry>,
    pub identity: Result<Identity, FetchError>,
    /// Each resource's Terraform import id, read from the document AWS returned (the canonical
    /// one drops the ARNs some kinds are imported by).
    pub import_ids: ImportIds,
}

/// The Terraform import id of each resource (see `kinds::Def::import_id`) that has one.
pub type ImportIds = std::collections::BTreeMap<(Kind, String), String>;

/// Told of a live fetch as it goes, so that work can start before the last kind arrives (a
/// snapshot stages each kind's files while the others are still being read). Called from the
/// fetch's tasks: keep each call short.
pub trait Observer: Sync {
    /// Whose account it is, as soon as that is known (a kind may be reported first: an
    /// observer that must know the account before acting holds what comes before).
    fn identity(&self, _identity: &Result<Identity, FetchError>) {}
    /// One kind read and normalized (in the order kinds finish), as the inventory will hold it.
    fn kind(&self, _kind: Kind, _resources: &[(String, Resource)]) {}
}

/// Observes nothing.
impl Observer for () {}

pub async fn fetch(
    opts: &AwsOptions,
    kinds: &[Kind],
    aws_managed: bool,
    redaction: &Redaction,
    progress: &Progress,
) -> Result<Fetched, FetchError> {
    fetch_observed(opts, kinds, aws_managed, redaction, progress, &()).await
}

/// [`fetch`], telling `observer` of each kind as soon as it is read. Each kind is normalized as
/// it arrives, so that work overlaps the kinds still waiting on the network.
pub async fn fetch_observed(
    opts: &AwsOptions,
    kinds: &[Kind],
    aws_managed: bool,
    redaction: &Redaction,
    progress: &Progress,
    observer: &dyn Observer,
) -> Result<Fetched, FetchError> {
    let calls = ApiCalls::default();
    let ctx = Context::load(opts, calls.clone(), kinds, aws_managed, redaction)
        .await
        .map_err(FetchError::said)?;
    let run = Run {
        source: format!("live ({})", ctx.region()),
        deadline: Deadline::start(opts.limits.deadline, &calls),
        ctx: &ctx,
        aws_managed,
        redaction,
        progress,
        observer,
    };
    // In report order, whatever the order asked.
    let in_scope = Kind::ALL.iter().copied().filter(|k| kinds.contains(k));
    let each = in_scope.map(|kind| run.kind(kind));
    let identity = async {
        let identity = ctx.identity().await.clone();
        observer.identity(&identity);
        identity
    };
    let (results, identity) = tokio::join!(futures::future::join_all(each), identity);
    let fetched = gathered(run.source.clone(), results, identity);
    log_calls(&calls);
    Ok(fetched)
}

/// One live fetch's shared parts, for each kind's share of it.
struct Run<'a> {
    source: String,
    deadline: Deadline,
    ctx: &'a Context,
    aws_managed: bool,
    redaction: &'a Redaction,
    progress: &'a Progress,
    observer: &'a dyn Observer,
}

/// What one kind gave: its resources and their `(id, import id)`s, or why it could not be read.
type KindResult = (
    Kind,
    Result<(Normalized, Vec<(String, String)>), FetchError>,
);

/// A kind's resources, normalized: those compared, and those AWS or another service owns
/// (left out unless `--include-aws-managed`, yet what a reference may name: an RDS-managed
/// secret a task reads).
struct Normalized {
    kept: Vec<(String, Resource)>,
    owned: Vec<(String, Resource)>,
}

impl Run<'_> {
    /// Fetches `kind` within the deadline, normalizes it and tells the observer.
    async fn kind(&self, kind: Kind) -> KindResult {
        let bar = self.progress.kind(kind);
        let result = self
            .deadline
            .bound(kind, (aws::kinds::fetch_of(kind))(self.ctx))
            .await;
        bar.finish(result.as_ref().map(Vec::len).map_err(|_| ()));
        let docs = match result {
            Ok(docs) => docs,
            Err(e) => return (kind, Err(e)),
        };
        tracing::info!("fetched {} {kind} from {}", docs.len(), self.source);
        // The account is asked once for the whole run; by now it is known.
        let account = self.ctx.identity().await.as_ref().ok().cloned();
        let import_ids: Vec<_> = docs
            .iter()
            .filter_map(|(id, doc)| {
                let i = (kind.def().import_id)(id, doc, account.as_ref())?;
                Some((id.clone(), i))
            })
            .collect();
        let resources = normalized(&self.source, kind, docs, self.aws_managed, self.redaction);
        self.observer.kind(kind, &resources.kept);
        (kind, Ok((resources, import_ids)))
    }
}

/// The kinds' results as one [`Fetched`], in the order given.
fn gathered(
    source: String,
    results: Vec<KindResult>,
    identity: Result<Identity, FetchError>,
) -> Fetched {
    let mut fetched = Fetched {
        inventory: Inventory::new(source, &[]),
        errors: Vec::new(),
        identity,
        import_ids: ImportIds::new(),
    };
    for (kind, result) in results {
        match result {
            Ok((resources, import_ids)) => {
                fetched.inventory.kinds.push(kind);
                for (id, i) in import_ids {
                    fetched.import_ids.insert((kind, id), i);
                }
                for (id, resource) in resources.kept {
                    fetched.inventory.insert(kind, id, resource);
                }
                for (id, resource) in resources.owned {
                    fetched.inventory.aws_owned.insert((kind, id), resource);
                }
            }
            Err(e) => fetched.errors.push(ErrorEntry {
                target: None,
                kind: Some(kind),
                message: e.to_string(),
            }),
        }
    }
    fetched
}

/// What the run cost, at `-v`: the calls per operation and per service, and the retries.
fn log_calls(calls: &ApiCalls) {
    let counts = calls.counts();
    let total: usize = counts.values().sum();
    tracing::info!("{total} AWS API calls: {counts:?}");
    for line in calls.per_service() {
        tracing::info!("{line}");
    }
    let retries = calls.retries();
    let retried: usize = retries.values().sum();
    tracing::info!("retried {retried} throttled or failed calls: {retries:?}");
}

/// The documents of the AWS-managed policies in `arns`, normalized, for the cross-resource
/// checks (`checks::Extras`). Those that cannot be read are left out (the checks say they cannot
/// tell); nothing here fails the run.
pub async fn aws_managed_policies(
    opts: &AwsOptions,
    arns: &[String],
) -> std::collections::BTreeMap<String, serde_json::Value> {
    if arns.is_empty() {
        return Default::default();
    }
    let calls = ApiCalls::default();
    let Ok(documents) = aws::kinds::iam_policy::aws_managed_documents(opts, &calls, arns).await
    else {
        return Default::default();
    };
    let counts = calls.counts();
    let total: usize = counts.values().sum();
    tracing::info!("{total} AWS API calls for the cross-resource checks: {counts:?}");
    documents
        .into_iter()
        .filter_map(|(arn, text)| {
            let doc = crate::normalize::policy_document::decode(&text).ok()?;
            Some((arn, crate::normalize::policy_document::normalize(doc)))
        })
        .collect()
}

/// What the ECR repositories hold of the images `wanted`, for the `image-reference` check.
/// Those that cannot be read are said so (the check does not judge them); nothing here fails
/// the run.
pub async fn images(
    opts: &AwsOptions,
    wanted: &std::collections::BTreeMap<
        String,
        std::collections::BTreeSet<crate::checks::names::ImageId>,
    >,
) -> crate::checks::Images {
    let calls = ApiCalls::default();
    let images = aws::images::held(opts, &calls, wanted).await;
    let counts = calls.counts();
    let total: usize = counts.values().sum();
    tracing::info!("{total} AWS API calls for the image check: {counts:?}");
    images
}

/// The subnets `wanted` (those services place their tasks in), for the load balancer and
/// database checks. Those that cannot be read are said so; nothing here fails the run.
pub async fn subnets(opts: &AwsOptions, wanted: &[String]) -> crate::checks::Subnets {
    let calls = ApiCalls::default();
    let subnets = aws::subnets::described(opts, &calls, wanted).await;
    let counts = calls.counts();
    let total: usize = counts.values().sum();
    tracing::info!("{total} AWS API calls for the subnets services use: {counts:?}");
    subnets
}

/// The revisions `(service, family:revision)` run, by service, for the checks of what a task
/// needs: the canonical documents of those read, and `(revision, why)` of those that could not
/// be (the checks say they did not judge them).
pub async fn service_revisions(
    opts: &AwsOptions,
    wanted: &[(String, String)],
    r: &Redaction,
) -> crate::checks::ServiceRevisions {
    let calls = ApiCalls::default();
    let revisions: Vec<String> = wanted.iter().map(|(_, rev)| rev.clone()).collect();
    let docs = aws::kinds::ecs_task_definition::revisions(opts, &calls, &revisions).await;
    let mut out = crate::checks::ServiceRevisions::default();
    for (service, rev) in wanted {
        match docs
            .get(rev)
            .cloned()
            .unwrap_or_else(|| Err("not asked".into()))
        {
            Ok(doc) => {
                let doc = normalize_raw(Kind::EcsTaskDefinition, doc, r);
                out.read.insert(service.clone(), doc);
            }
            Err(why) => {
                out.unread.insert(service.clone(), (rev.clone(), why));
            }
        }
    }
    out
}

/// `docs` of `kind` normalized, setting apart what AWS owns unless `aws_managed`.
fn normalized(
    source: &str,
    kind: Kind,
    docs: Docs,
    aws_managed: bool,
    r: &Redaction,
) -> Normalized {
    let def = kind.def();
    let mut out = Normalized {
        kept: Vec::with_capacity(docs.len()),
        owned: Vec::new(),
    };
    for (id, doc) in docs {
        let document = normalize_raw(kind, doc, r);
        let owned = !aws_managed && (def.is_aws_owned)(&document);
        let resource = Resource {
            document,
            origin: Origin(format!("{source} {kind} {id}")),
            scope: Default::default(),
        };
        match owned {
            true => out.owned.push((id, resource)),
            false => out.kept.push((id, resource)),
        }
    }
    out
}

/// The run's bound: every kind's fetch ends by the same instant, done or not.
struct Deadline {
    at: tokio::time::Instant,
    length: std::time::Duration,
    calls: ApiCalls,
}

impl Deadline {
    fn start(length: std::time::Duration, calls: &ApiCalls) -> Deadline {
        Deadline {
            at: tokio::time::Instant::now() + length,
            length,
            calls: calls.clone(),
        }
    }

    /// `fetch`'s result, or an error naming the calls of `kind` still unanswered at the deadline.
    async fn bound<T, F>(&self, kind: Kind, fetch: F) -> Result<T, FetchError>
    where
        F: std::future::Future<Output = Result<T, FetchError>>,
    {
        match tokio::time::timeout_at(self.at, fetch).await {
            Ok(result) => result,
            Err(_) => {
                let actions = kind.def().actions;
                let waiting: Vec<String> = self
                    .calls
                    .in_flight()
                    .into_iter()
                    .filter(|(op, _)| actions.contains(&op.as_str()))
                    .map(|(op, n)| format!("{op} ({n})"))
                    .collect();
                Err(FetchError {
                    operation: None,
                    cause: Cause::Deadline {
                        length: self.length,
                        waiting,
                    },
                    hint: Some("raise it with --deadline".to_string()),
                })
            }
        }
    }
}
