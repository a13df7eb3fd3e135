//! Source: the live account. Fetches each kind in scope concurrently and normalizes what comes
//! back. One kind failing does not hide the others: its error is returned beside the inventory.

use crate::diff::ErrorEntry;
use crate::fetch::{self, ApiCalls, AwsOptions};
use crate::model::{Identity, Inventory, Kind, Origin, Resource};
use crate::normalize::normalize_raw;
use crate::progress::Progress;

/// What a live fetch gives: the kinds that were read, the errors of those that were not, and
/// whose account it was.
pub struct Fetched {
    pub inventory: Inventory,
    pub errors: Vec<ErrorEntry>,
    pub identity: Result<Identity, String>,
}

pub async fn fetch(
    opts: &AwsOptions,
    kinds: &[Kind],
    aws_managed: bool,
    progress: &Progress,
) -> Result<Fetched, String> {
    let config = fetch::load_config(opts).await?;
    let region = config.region().map(|r| r.to_string()).unwrap_or_default();
    let calls = ApiCalls::default();
    let source = format!("live ({region})");
    let deadline = Deadline::start(opts.limits.deadline, &calls);

    let ecs_client = fetch::ecs::client(&config, &calls);
    let task_definitions = one(
        kinds,
        Kind::EcsTaskDefinition,
        fetch::ecs::task_definitions(&ecs_client),
        progress,
        &deadline,
    );
    let services = one(
        kinds,
        Kind::EcsService,
        fetch::ecs::services(&ecs_client),
        progress,
        &deadline,
    );
    let sqs_client = fetch::sqs::client(&config, &calls);
    let queues = one(
        kinds,
        Kind::SqsQueue,
        fetch::sqs::queues(&sqs_client),
        progress,
        &deadline,
    );
    let ec2_client = fetch::ec2::client(&config, &calls);
    let groups = one(
        kinds,
        Kind::SecurityGroup,
        fetch::ec2::security_groups(&ec2_client),
        progress,
        &deadline,
    );
    let iam = async {
        let want = fetch::iam::Want {
            roles: kinds.contains(&Kind::IamRole),
            policies: kinds.contains(&Kind::IamPolicy),
            aws_managed,
        };
        if !want.roles && !want.policies {
            return Vec::new();
        }
        let client = fetch::iam::client(&config, &calls);
        let bars: Vec<(Kind, crate::progress::KindProgress)> = [Kind::IamRole, Kind::IamPolicy]
            .into_iter()
            .filter(|k| kinds.contains(k))
            .map(|k| (k, progress.kind(k)))
            .collect();
        // One call serves both kinds; a failure fails both.
        let got = deadline
            .bound(Kind::IamRole, fetch::iam::roles_and_policies(&client, want))
            .await;
        let (roles, policies) = match got {
            Ok((r, p)) => (Ok(r), Ok(p)),
            Err(e) => (Err(e.clone()), Err(e)),
        };
        let mut out = Vec::new();
        for (kind, bar) in bars {
            let result = if kind == Kind::IamRole {
                roles.clone()
            } else {
                policies.clone()
            };
            bar.finish(result.as_ref().map(Vec::len).map_err(|_| ()));
            out.push((kind, result));
        }
        out
    };
    let sts_client = fetch::sts::client(&config, &calls);
    let identity = fetch::sts::identity(&sts_client, &region);
    let (task_definitions, mut services, iam, queues, groups, identity) =
        tokio::join!(task_definitions, services, iam, queues, groups, identity);
    // Services are compared with their family's latest revision; the task definition fetch of
    // this run already knows it.
    if let Some((_, Ok(docs))) = services.first_mut() {
        let known = match task_definitions.first() {
            Some((_, Ok(tds))) => fetch::ecs::latest_revisions(tds),
            _ => Default::default(),
        };
        let marked = deadline.bound(
            Kind::EcsService,
            fetch::ecs::mark_stale_revisions(&ecs_client, docs, &known),
        );
        if let Err(e) = marked.await {
            services[0].1 = Err(e);
        }
    }
    let results = task_definitions
        .into_iter()
        .chain(services)
        .chain(iam)
        .chain(queues)
        .chain(groups);

    let mut fetched = Fetched {
        inventory: Inventory::new(source.clone(), &[]),
        errors: Vec::new(),
        identity,
    };
    for (kind, docs) in results {
        match docs {
            Ok(docs) => {
                fetched.inventory.kinds.push(kind);
                tracing::info!("fetched {} {kind} from {source}", docs.len());
                for (id, doc) in docs {
                    let document = normalize_raw(kind, doc);
                    if !aws_managed && is_aws_owned(kind, &document) {
                        continue;
                    }
                    let resource = Resource {
                        document,
                        origin: Origin(format!("{source} {kind} {id}")),
                        scope: Default::default(),
                    };
                    fetched.inventory.insert(kind, id, resource);
                }
            }
            Err(message) => fetched.errors.push(ErrorEntry {
                target: None,
                kind: Some(kind),
                message,
            }),
        }
    }
    let counts = calls.counts();
    let total: usize = counts.values().sum();
    tracing::info!("{total} AWS API calls: {counts:?}");
    let retries = calls.retries();
    let retried: usize = retries.values().sum();
    tracing::info!("retried {retried} throttled or failed calls: {retries:?}");
    Ok(fetched)
}

/// Runs `fetch` for `kind` when `kinds` has it.
async fn one<F>(
    kinds: &[Kind],
    kind: Kind,
    fetch: F,
    progress: &Progress,
    deadline: &Deadline,
) -> Vec<(Kind, FetchResult)>
where
    F: std::future::Future<Output = FetchResult>,
{
    if !kinds.contains(&kind) {
        return Vec::new();
    }
    let bar = progress.kind(kind);
    let result = deadline.bound(kind, fetch).await;
    bar.finish(result.as_ref().map(Vec::len).map_err(|_| ()));
    vec![(kind, result)]
}

type FetchResult = Result<Vec<(String, serde_json::Value)>, String>;

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
    async fn bound<T, F>(&self, kind: Kind, fetch: F) -> Result<T, String>
    where
        F: std::future::Future<Output = Result<T, String>>,
    {
        match tokio::time::timeout_at(self.at, fetch).await {
            Ok(result) => result,
            Err(_) => {
                let actions = fetch::actions(kind);
                let waiting: Vec<String> = self
                    .calls
                    .in_flight()
                    .into_iter()
                    .filter(|(op, _)| actions.contains(&op.as_str()))
                    .map(|(op, n)| format!("{op} ({n})"))
                    .collect();
                let waiting = if waiting.is_empty() {
                    String::new()
                } else {
                    format!("; still waiting for {}", waiting.join(", "))
                };
                Err(format!(
                    "timed out: not fetched within the run's deadline of {} (raise it with \
                     --deadline){waiting}",
                    fetch::limits::seconds(self.length)
                ))
            }
        }
    }
}

/// Resources AWS creates and owns, out of scope unless `--include-aws-managed`.
fn is_aws_owned(kind: Kind, doc: &serde_json::Value) -> bool {
    match kind {
        Kind::SecurityGroup => crate::normalize::security_group::is_untouched_default(doc),
        _ => false,
    }
}
