//! Call counting: every SDK client carries an [`ApiCalls`] interceptor, so `-v` can say what a
//! run cost, per operation and per service, and what a run cut by its deadline was waiting for.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
    FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::retries::RequestAttempts;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

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
/// Resource Groups Tagging API's actions are `tag:…`, CloudWatch Logs' `logs:…` and Secrets
/// Manager's `secretsmanager:…`. A new SDK crate whose name is not its prefix needs its row
/// here (`tests/integration/policy.rs` fails naming the call otherwise).
fn action_prefix(service: &str) -> String {
    match service {
        "Resource Groups Tagging API" => "tag".to_string(),
        "CloudWatch Logs" => "logs".to_string(),
        "Secrets Manager" => "secretsmanager".to_string(),
        "Elastic Load Balancing v2" => "elasticloadbalancing".to_string(),
        s => s.to_ascii_lowercase(),
    }
}

/// The IAM action an operation needs, where its name differs from the operation's: S3 names
/// several bucket-configuration actions after the configuration, not the call. The counts are
/// keyed by action, so `tests/integration/policy.rs` can check them against `actions`.
fn action_name<'a>(prefix: &str, operation: &'a str) -> &'a str {
    match (prefix, operation) {
        ("s3", "ListBuckets") => "ListAllMyBuckets",
        ("s3", "GetBucketEncryption") => "GetEncryptionConfiguration",
        ("s3", "GetPublicAccessBlock") => "GetBucketPublicAccessBlock",
        ("s3", "GetBucketLifecycleConfiguration") => "GetLifecycleConfiguration",
        ("s3", "GetObjectLockConfiguration") => "GetBucketObjectLockConfiguration",
        _ => operation,
    }
}

fn bump(counts: &Counts, cfg: &ConfigBag, up: bool) {
    if let (Some(meta), Ok(mut m)) = (cfg.load::<Metadata>(), counts.lock()) {
        let prefix = action_prefix(meta.service());
        let key = format!("{prefix}:{}", action_name(&prefix, meta.name()));
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    #[test]
    fn calls_are_keyed_by_the_iam_action_prefix() {
        assert_eq!(super::action_prefix("ECS"), "ecs");
        assert_eq!(super::action_prefix("Resource Groups Tagging API"), "tag");
        assert_eq!(super::action_prefix("CloudWatch Logs"), "logs");
        assert_eq!(super::action_prefix("Secrets Manager"), "secretsmanager");
        assert_eq!(
            super::action_prefix("Elastic Load Balancing v2"),
            "elasticloadbalancing"
        );
        assert_eq!(super::action_prefix("SSM"), "ssm");
        assert_eq!(super::action_prefix("ECR"), "ecr");
        assert_eq!(super::action_prefix("DynamoDB"), "dynamodb");
        assert_eq!(super::action_name("s3", "ListBuckets"), "ListAllMyBuckets");
        assert_eq!(
            super::action_name("s3", "GetBucketPolicy"),
            "GetBucketPolicy"
        );
        assert_eq!(super::action_name("sqs", "ListQueues"), "ListQueues");
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
