//! AWS credentials, asked for once before any call. Without this every client finds the chain
//! empty on its own and each kind fails with the SDK's list of every provider it tried: six
//! copies of a long message that leads with the last provider tried ("IMDS is disabled"),
//! not with the cause. Asked once, the cause is said once, first, with what to do.

use std::sync::Mutex;

use aws_config::SdkConfig;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;
use aws_smithy_runtime_api::client::result::ConnectorError;

/// What to do when the chain finds nothing. Every message about credentials ends with it.
pub const HINT: &str = "set AWS_PROFILE or pass --profile (after `aws sso login` for an SSO \
    profile), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with a role (GitHub \
    OIDC, ECS task role, EC2 instance profile); -v shows each source tried";

/// Resolves the credentials of `config` once (for `role`, when one is assumed). On success the
/// config keeps them for its first call (no second round trip to SSO, STS or instance
/// metadata), and the chain refreshes them as usual when they expire.
pub async fn resolve(config: SdkConfig, role: Option<&str>) -> Result<SdkConfig, String> {
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
        Err(e) => Err(explain(&e, role)),
    }
}

/// One message for a credentials failure: the cause first, then what to do. The SDK's own
/// text (every provider tried and why each was skipped) goes to the `-v` log.
fn explain(e: &CredentialsError, role: Option<&str>) -> String {
    let detail = super::cause_chain(e);
    tracing::info!("credential chain: {detail}");
    let assuming = role
        .map(|r| format!(" to assume {r} with"))
        .unwrap_or_default();
    // Behind an assumed role the base chain's error comes through the SDK's identity cache,
    // which keeps only its text: recognise the chain's own words there.
    let not_loaded = matches!(e, CredentialsError::CredentialsNotLoaded(_))
        || detail.contains("no credentials found in chain");
    if not_loaded {
        return match profile_problem(&detail) {
            Some(problem) => format!(
                "no AWS credentials found{assuming}: {problem}: fix the profile's name \
                 (--profile, AWS_PROFILE) or its entry in ~/.aws/config; -v shows each source \
                 tried"
            ),
            None => format!("no AWS credentials found{assuming}: {HINT}"),
        };
    }
    // The SDK's text may span lines (one per provider): one line is one diagnostic.
    let detail: Vec<&str> = detail.lines().map(str::trim).collect();
    let detail = detail.join("; ");
    let source = match role {
        Some(r) => format!("could not assume {r}"),
        None => "could not get AWS credentials".to_string(),
    };
    let unreachable = matches!(e, CredentialsError::ProviderTimedOut(_))
        || find::<ConnectorError>(e).is_some_and(|c| c.is_io() || c.is_timeout());
    let todo = if unreachable {
        "the credentials source (STS, SSO or instance metadata) did not answer: check the \
         network, and --endpoint-url / AWS_ENDPOINT_URL if set"
    } else if role.is_some() {
        "check that the credentials found may call sts:AssumeRole on it and that its trust \
         policy allows them"
    } else {
        "fix the profile named there in ~/.aws/config, or refresh expired credentials (e.g. \
         `aws sso login`)"
    };
    format!("{source}: {detail} ({todo})")
}

/// The first error of type `T` in `e`'s chain of sources, `e` included.
pub(super) fn find<'a, T: std::error::Error + 'static>(
    e: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut next = Some(e);
    while let Some(err) = next {
        if let Some(found) = err.downcast_ref::<T>() {
            return Some(found);
        }
        next = err.source();
    }
    None
}

/// True for the error codes by which AWS services reject credentials; each protocol has its
/// own: `ExpiredToken`/`InvalidClientTokenId` (query: STS, IAM, SQS), `UnrecognizedClient`
/// (JSON: ECS), `AuthFailure` and `RequestExpired` (EC2), `InvalidAccessKeyId` (S3),
/// `SignatureDoesNotMatch` (a wrong secret key, everywhere). EC2 says `RequestExpired`, not
/// `ExpiredToken`, when temporary credentials have expired (it also says it for a request
/// signed more than 15 minutes off its clock: see [`clock_may_be_off`]).
pub fn rejected(code: &str) -> bool {
    [
        "ExpiredToken",
        "RequestExpired",
        "InvalidClientTokenId",
        "UnrecognizedClient",
        "AuthFailure",
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
    ]
    .iter()
    .any(|c| code.contains(c))
}

/// Whether a rejection may come from this machine's clock rather than the credentials: EC2's
/// `RequestExpired` is also its answer to a request signed more than 15 minutes before or
/// after its own time.
pub fn clock_may_be_off(code: &str) -> bool {
    code.contains("RequestExpired")
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
    fn rejected_credentials_are_told_from_missing_permissions() {
        for code in [
            "ExpiredTokenException",
            "UnrecognizedClientException",
            "AuthFailure",
            "RequestExpired",
            "SignatureDoesNotMatch",
        ] {
            assert!(rejected(code), "{code}");
        }
        assert!(clock_may_be_off("RequestExpired"));
        assert!(!clock_may_be_off("ExpiredToken"));
        assert!(!rejected("AccessDeniedException"));
        assert!(!rejected("UnauthorizedOperation"));
    }

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
