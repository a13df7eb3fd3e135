//! The member accounts of an organization, reached from a shard (`check --plan`): one
//! assumed-role session per account, which every target (region) of that account shares and
//! which is renewed before it expires, and the regions enabled in the account. An account that
//! cannot be reached is an error naming the call, the role ARN and AWS's error code; it never
//! turns into an account with nothing in it.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_config::SdkConfig;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::{load_config, ApiCalls, AwsOptions};

/// AWS caps a session assumed with a role's own credentials (role chaining) at one hour, and
/// refuses a longer `DurationSeconds` with a ValidationError.
const CHAINED_MAX_SECONDS: u32 = 3600;
/// A session is renewed when it has less than this left: a target's calls never start with
/// credentials about to expire.
const RENEW_BEFORE: Duration = Duration::from_secs(300);

/// How a shard assumes each account's role.
#[derive(Debug, Clone)]
pub struct SessionSpec {
    pub external_id: Option<String>,
    pub session_name: String,
    pub duration_seconds: u32,
}

/// One account's assumed-role session: credentials every target of the account shares (put in
/// [`AwsOptions::session`]), renewed by the first call that finds them near expiry.
#[derive(Clone)]
pub struct Session {
    role_arn: String,
    provider: SharedCredentialsProvider,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Session({})", self.role_arn)
    }
}

impl Session {
    pub(super) fn provider(&self) -> SharedCredentialsProvider {
        self.provider.clone()
    }
}

/// What the shard's own credentials can do: assume the accounts' roles.
pub struct Hub {
    config: SdkConfig,
    calls: ApiCalls,
    /// Seconds each session is asked for (capped when the hub is itself a role session).
    duration_seconds: u32,
}

/// The shard's credentials, loaded once; a session asked longer than an hour is capped when
/// they are themselves a role's (role chaining). A hub that cannot be reached at all (no
/// credentials, no region) fails the whole shard.
pub async fn hub(opts: &AwsOptions, spec: &SessionSpec) -> Result<Hub, String> {
    let config = load_config(opts).await?;
    let calls = ApiCalls::default();
    let sts = super::sts::client(&config, &calls);
    let caller = sts.get_caller_identity().send().await;
    let chained = match &caller {
        Ok(out) => is_role_session(out.arn().unwrap_or_default()),
        // Unknown: the cap is the safe guess (a longer ask would fail every AssumeRole).
        Err(_) => true,
    };
    let duration_seconds = session_seconds(spec.duration_seconds, chained);
    if duration_seconds != spec.duration_seconds {
        tracing::info!(
            "session_duration {} capped at {duration_seconds} s: the shard runs as a role, and \
             AWS caps a chained role session at one hour",
            spec.duration_seconds
        );
    }
    Ok(Hub {
        config,
        calls,
        duration_seconds,
    })
}

impl Hub {
    /// At `-v`: the calls that reached the accounts (AssumeRole, DescribeRegions), which the
    /// targets' own counts leave out.
    pub fn log_calls(&self) {
        let counts = self.calls.counts();
        let total: usize = counts.values().sum();
        tracing::info!("{total} AWS API calls to reach the accounts: {counts:?}");
    }
}

/// Whether a caller ARN is an assumed role's session (`arn:aws:sts::1:assumed-role/R/S`):
/// assuming another role from it is role chaining.
fn is_role_session(arn: &str) -> bool {
    arn.split(':')
        .nth(5)
        .is_some_and(|r| r.starts_with("assumed-role/"))
}

/// The `DurationSeconds` to ask for: `asked`, at most an hour when chained.
fn session_seconds(asked: u32, chained: bool) -> u32 {
    if chained {
        asked.min(CHAINED_MAX_SECONDS)
    } else {
        asked
    }
}

/// An account reached: its session, and the regions enabled in it (`ec2:DescribeRegions`,
/// asked in the hub's region with the account's own credentials).
pub struct Reached {
    pub session: Session,
    pub enabled_regions: Vec<String>,
}

/// Assumes `role_arn` once and reads the regions the account has enabled. The error names the
/// call, the role ARN and the error code.
pub async fn reach(hub: &Hub, role_arn: &str, spec: &SessionSpec) -> Result<Reached, String> {
    let source = Arc::new(AccountSession {
        sts: super::sts::client(&hub.config, &hub.calls),
        role_arn: role_arn.to_string(),
        spec: SessionSpec {
            duration_seconds: hub.duration_seconds,
            ..spec.clone()
        },
        cached: tokio::sync::Mutex::new(None),
    });
    source.current().await?;
    let session = Session {
        role_arn: role_arn.to_string(),
        provider: SharedCredentialsProvider::new(Shared(source)),
    };
    let config = hub
        .config
        .clone()
        .into_builder()
        .credentials_provider(session.provider())
        .build();
    let ec2 = super::subnets::client(&config, &hub.calls);
    let out = ec2.describe_regions().send().await.map_err(|e| {
        format!(
            "ec2:DescribeRegions as {role_arn} failed {}",
            code_and_message(&e)
        )
    })?;
    let listed = out
        .regions()
        .iter()
        .filter_map(|r| Some((r.region_name()?.to_string(), r.opt_in_status())))
        .collect::<Vec<_>>();
    Ok(Reached {
        session,
        enabled_regions: enabled(&listed),
    })
}

/// The regions an account can use: those whose `OptInStatus` is not `not-opted-in`. Without
/// `AllRegions` AWS lists only those already; moto lists the 14 opt-in regions as
/// `not-opted-in` all the same, so the status is read rather than trusted to the filter.
fn enabled(listed: &[(String, Option<&str>)]) -> Vec<String> {
    let mut out: Vec<String> = listed
        .iter()
        .filter(|(_, status)| *status != Some("not-opted-in"))
        .map(|(name, _)| name.clone())
        .collect();
    out.sort();
    out
}

/// `(Code): message` of a failed call, or the SDK's own words when AWS did not answer.
fn code_and_message<E>(err: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match err {
        SdkError::ServiceError(_) => format!(
            "({}): {}",
            err.code().unwrap_or("error"),
            err.message().unwrap_or("no message")
        ),
        _ => format!("(no answer): {}", super::cause_chain(err)),
    }
}

/// The credentials of one account's role: assumed once, kept, assumed again when they have less
/// than [`RENEW_BEFORE`] left. One lock, so concurrent targets wait for one AssumeRole.
#[derive(Debug)]
struct AccountSession {
    sts: aws_sdk_sts::Client,
    role_arn: String,
    spec: SessionSpec,
    cached: tokio::sync::Mutex<Option<Credentials>>,
}

impl AccountSession {
    async fn current(&self) -> Result<Credentials, String> {
        let mut cached = self.cached.lock().await;
        if let Some(c) = cached.as_ref() {
            if still_fresh(c.expiry(), SystemTime::now()) {
                return Ok(c.clone());
            }
            tracing::info!("renewing the session of {}", self.role_arn);
        }
        let fresh = self.assume().await?;
        *cached = Some(fresh.clone());
        Ok(fresh)
    }

    async fn assume(&self) -> Result<Credentials, String> {
        let failed =
            |detail: String| format!("sts:AssumeRole of {} failed {detail}", self.role_arn);
        let out = self
            .sts
            .assume_role()
            .role_arn(&self.role_arn)
            .role_session_name(&self.spec.session_name)
            .duration_seconds(i32::try_from(self.spec.duration_seconds).unwrap_or(i32::MAX))
            .set_external_id(self.spec.external_id.clone())
            .send()
            .await
            .map_err(|e| {
                let hint = assume_hint(e.code().unwrap_or_default());
                failed(format!("{}{hint}", code_and_message(&e)))
            })?;
        let c = out
            .credentials()
            .ok_or_else(|| failed("(no credentials): the answer holds none".to_string()))?;
        let expiry = SystemTime::try_from(*c.expiration()).ok();
        Ok(Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_string()),
            expiry,
            "driftwatch-org",
        ))
    }
}

/// What to do about a refused AssumeRole, by its code; the account is still an error (an
/// account not to be checked goes in `exclude_accounts`).
fn assume_hint(code: &str) -> &'static str {
    match code {
        "AccessDenied" => {
            " (the role's trust policy must allow the shard's credentials, with the external id \
             if it asks one; an account not to be checked goes in exclude_accounts)"
        }
        "RegionDisabledException" => {
            " (STS is not activated in this region for the account: activate it in IAM's \
             account settings, or run the shard in another region)"
        }
        _ => "",
    }
}

/// Whether credentials expiring at `expiry` can still be handed out at `now`.
fn still_fresh(expiry: Option<SystemTime>, now: SystemTime) -> bool {
    match expiry {
        None => true,
        Some(e) => e > now + RENEW_BEFORE,
    }
}

/// [`AccountSession`] as the SDK's credentials provider, shared by the account's clients.
#[derive(Debug)]
struct Shared(Arc<AccountSession>);

impl ProvideCredentials for Shared {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            self.0
                .current()
                .await
                .map_err(CredentialsError::provider_error)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chained_session_is_capped_at_one_hour() {
        assert!(is_role_session(
            "arn:aws:sts::123456789012:assumed-role/ci/github"
        ));
        assert!(!is_role_session("arn:aws:iam::123456789012:user/alice"));
        assert!(!is_role_session("arn:aws:iam::123456789012:root"));
        assert_eq!(session_seconds(43200, true), 3600);
        assert_eq!(session_seconds(900, true), 900);
        assert_eq!(session_seconds(43200, false), 43200);
    }

    #[test]
    fn a_session_is_renewed_five_minutes_before_it_expires() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert!(still_fresh(Some(now + Duration::from_secs(301)), now));
        assert!(!still_fresh(Some(now + Duration::from_secs(299)), now));
        assert!(!still_fresh(Some(now - Duration::from_secs(1)), now));
        assert!(still_fresh(None, now));
    }

    #[test]
    fn regions_not_opted_in_are_left_out() {
        // AWS's answer without AllRegions holds only the enabled ones; moto's holds the opt-in
        // regions too, marked not-opted-in.
        let listed = vec![
            ("us-east-1".to_string(), Some("opt-in-not-required")),
            ("af-south-1".to_string(), Some("not-opted-in")),
            ("ap-east-1".to_string(), Some("opted-in")),
            ("eu-west-1".to_string(), None),
        ];
        assert_eq!(enabled(&listed), ["ap-east-1", "eu-west-1", "us-east-1"]);
    }
}
