//! AWS credentials, asked for once before any call. Without this every client finds the chain
//! empty on its own and each kind fails with the SDK's list of every provider it tried: six
//! copies of a long message that leads with the last provider tried ("IMDS is disabled"),
//! not with the cause. Asked once, the cause is said once, first, with what to do.

use std::sync::Mutex;

use aws_config::SdkConfig;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;

/// What to do when the chain finds nothing. Every message about credentials ends with it.
pub const HINT: &str = "set AWS_PROFILE or pass --profile (after `aws sso login` for an SSO \
    profile), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with a role (GitHub \
    OIDC, ECS task role, EC2 instance profile); -v shows each source tried";

/// Resolves the credentials of `config` once. On success the config keeps them for its first
/// call (no second round trip to SSO, STS or instance metadata), and the chain refreshes them
/// as usual when they expire.
pub async fn resolve(config: SdkConfig) -> Result<SdkConfig, String> {
    let Some(provider) = config.credentials_provider() else {
        return Err(format!("no AWS credentials found: {HINT}"));
    };
    match provider.provide_credentials().await {
        Ok(credentials) => {
            let first = FirstThen {
                first: Mutex::new(Some(credentials)),
                then: provider,
            };
            Ok(config
                .into_builder()
                .credentials_provider(SharedCredentialsProvider::new(first))
                .build())
        }
        Err(e) => Err(explain(&e)),
    }
}

/// One message for a credentials failure: the cause first, then what to do. The SDK's own
/// text (every provider tried and why each was skipped) goes to the `-v` log.
fn explain(e: &CredentialsError) -> String {
    let detail = super::cause_chain(e);
    tracing::info!("credential chain: {detail}");
    match e {
        CredentialsError::CredentialsNotLoaded(_) => match profile_problem(&detail) {
            Some(problem) => format!(
                "no AWS credentials found: {problem}: fix the profile's name (--profile, \
                 AWS_PROFILE) or its entry in ~/.aws/config; -v shows each source tried"
            ),
            None => format!("no AWS credentials found: {HINT}"),
        },
        CredentialsError::ProviderTimedOut(_) => format!(
            "no AWS credentials: the credential provider timed out ({detail}); check the network \
             to the credentials source (SSO, STS, instance metadata) or {HINT}"
        ),
        _ => format!(
            "could not get AWS credentials: {detail} (fix the profile or role named there, \
             refresh expired credentials with `aws sso login`, or {HINT})"
        ),
    }
}

/// Why the profile provider found nothing, when it says more than "not enabled": a profile
/// named by `--profile` or `AWS_PROFILE` that does not exist is the likeliest cause of all, and
/// the SDK lists it fourth among the providers it tried.
fn profile_problem(chain: &str) -> Option<&str> {
    let line = chain
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("Profile: "))?;
    let problem = line
        .trim_start_matches("the credential provider was not enabled")
        .trim_start_matches(": ");
    (!problem.is_empty()).then_some(problem)
}

/// Credentials already resolved, then the chain they came from. The SDK's identity cache,
/// shared by every client built from one config, keeps them until they expire.
#[derive(Debug)]
struct FirstThen {
    first: Mutex<Option<Credentials>>,
    then: SharedCredentialsProvider,
}

impl ProvideCredentials for FirstThen {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        match self.first.lock().ok().and_then(|mut c| c.take()) {
            Some(c) => future::ProvideCredentials::ready(Ok(c)),
            None => self.then.provide_credentials(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SDK's text for an empty chain with `--profile nope` (aws-config 1.13).
    const CHAIN: &str = "the credential provider was not enabled: no credentials found in \
        chain. Attempted:\n  Environment: the credential provider was not enabled: environment \
        variable not set\n  Profile: the credential provider was not enabled: profile `nope` \
        was not defined: could not find source profile nope referenced from the root profile\n  \
        Ec2InstanceMetadata: the credential provider was not enabled: IMDS disabled by \
        AWS_EC2_METADATA_DISABLED env var set to `true`";

    #[test]
    fn a_missing_profile_is_named() {
        assert_eq!(
            profile_problem(CHAIN),
            Some(
                "profile `nope` was not defined: could not find source profile nope referenced \
                 from the root profile"
            )
        );
    }

    #[test]
    fn a_profile_provider_without_a_reason_says_nothing() {
        let chain = CHAIN.replace(
            ": profile `nope` was not defined: could not find source profile nope referenced \
             from the root profile",
            "",
        );
        assert_eq!(profile_problem(&chain), None);
    }
}
