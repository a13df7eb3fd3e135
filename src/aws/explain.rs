//! Stage: fetch. A failed AWS call said in words: what failed, why, and what to do about it
//! (credentials, timeouts, an endpoint that cannot be reached, an answer cut short or not from
//! AWS). Takes the SDK's error; makes no call.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::{credentials, guard, limits};
use crate::error::{Cause, FetchError};

/// What to do when AWS rejects the credentials (see [`credentials::rejected`]).
const REJECTED: &str =
    "AWS rejected the credentials as expired or invalid: refresh them (`aws sso \
    login` for an SSO profile) or fix AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; with \
    --endpoint-url, check that the endpoint is the one they are for";

/// [`REJECTED`], for an answer that a clock off by more than 15 minutes also gets (see
/// [`credentials::clock_may_be_off`]).
const REJECTED_OR_CLOCK: &str = "AWS rejected the credentials as expired or invalid: refresh \
    them (`aws sso login` for an SSO profile) or fix AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; \
    with --endpoint-url, check that the endpoint is the one they are for; or set this machine's \
    clock right: EC2 says the same of a request signed more than 15 minutes off its time";

/// A failed call as an error that says what failed and what to do about it.
pub fn explain<E>(operation: &str, err: &SdkError<E, HttpResponse>) -> FetchError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    if let Some(special) = timed_out(operation, err)
        .or_else(|| unreachable(operation, err))
        .or_else(|| cut_short(operation, err))
        .or_else(|| not_aws(operation, err))
    {
        return special;
    }
    let detail = match err {
        SdkError::ServiceError(_) => format!(
            "{}: {}",
            err.code().unwrap_or("error"),
            err.message().unwrap_or("no message")
        ),
        _ => cause_chain(err),
    };
    let hint = match err {
        SdkError::DispatchFailure(d) if d.is_io() || d.is_timeout() => Some(
            "could not reach the AWS endpoint: check the network, --endpoint-url and \
             AWS_ENDPOINT_URL",
        ),
        SdkError::ServiceError(_) => match err.code() {
            Some(c) if c.contains("AccessDenied") || c.contains("UnauthorizedOperation") => Some(
                "the credentials lack this read-only permission: grant the action named \
                 above to the role driftwatch runs as; `driftwatch policy` prints every \
                 permission it needs",
            ),
            Some(c) if c.contains("Throttl") || c.contains("RequestLimitExceeded") => Some(
                "throttled by AWS and the SDK's retries were exhausted; run again later, or \
                 check fewer kinds with --kind",
            ),
            Some(c) if credentials::clock_may_be_off(c) => Some(REJECTED_OR_CLOCK),
            Some(c) if credentials::rejected(c) => Some(REJECTED),
            _ => None,
        },
        _ if detail.contains("credentials") => Some(
            "no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID / \
             AWS_SECRET_ACCESS_KEY, run `aws sso login`, or use a role with web identity",
        ),
        _ => None,
    };
    FetchError {
        operation: Some(operation.to_string()),
        cause: Cause::Failed(detail),
        hint: hint.map(String::from),
    }
}

/// An attempt (or the whole operation) that got no answer in time. The SDK says which
/// timeout fired and after how long ("operation attempt timeout (single attempt) occurred after
/// 2s"); we say it in the user's words, with the flag that changes it.
fn timed_out<E>(operation: &str, err: &SdkError<E, HttpResponse>) -> Option<FetchError>
where
    E: std::error::Error + 'static,
{
    let SdkError::TimeoutError(_) = err else {
        return None;
    };
    let text = cause_chain(err);
    let after = text
        .rsplit_once("occurred after ")
        .map(|(_, d)| d.trim_end_matches('s').trim())
        .and_then(|d| d.parse::<f64>().ok())
        .map(|s| {
            format!(
                " after {}",
                limits::seconds(std::time::Duration::from_secs_f64(s))
            )
        })
        .unwrap_or_default();
    let hint = if text.contains("attempt timeout") {
        "per-attempt timeout, each of its attempts; raise it with --timeout"
    } else {
        "the run's deadline; raise it with --deadline"
    };
    Some(FetchError {
        operation: Some(operation.to_string()),
        cause: Cause::TimedOut(after),
        hint: Some(hint.to_string()),
    })
}

/// A connection that could not be made and was not retried (see [`guard::Unreachable`]): the
/// host it was for, what the system said, and why it was tried once.
fn unreachable<E>(operation: &str, err: &SdkError<E, HttpResponse>) -> Option<FetchError>
where
    E: std::error::Error + 'static,
{
    let u = credentials::find::<guard::Unreachable>(err)?;
    let hint = match u.reason {
        guard::Final::Refused => {
            "could not reach the AWS endpoint, tried once: nothing listens there; check the \
             network, --endpoint-url and AWS_ENDPOINT_URL, and that the server runs"
        }
        guard::Final::Unresolved => {
            "could not reach the AWS endpoint, tried once: its host name does not resolve; \
             check the network's DNS, --endpoint-url and AWS_ENDPOINT_URL"
        }
    };
    Some(FetchError {
        operation: Some(operation.to_string()),
        cause: Cause::Failed(u.to_string()),
        hint: Some(hint.to_string()),
    })
}

/// A response whose body ended before its document did (see [`guard::xml_complete`]).
fn cut_short<E>(operation: &str, err: &SdkError<E, HttpResponse>) -> Option<FetchError>
where
    E: std::error::Error + 'static,
{
    credentials::find::<guard::CutShort>(err).map(|cut| FetchError::of(operation, cut.to_string()))
}

/// An answer that is no AWS API response at all: an HTML page from a corporate proxy, a web
/// server at the wrong URL. The SDK finds no error code in it and would say "no message"; we
/// say what answered (status, host) and where to look.
fn not_aws<E>(operation: &str, err: &SdkError<E, HttpResponse>) -> Option<FetchError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    if !matches!(err, SdkError::ServiceError(_) | SdkError::ResponseError(_))
        || err.code().is_some()
    {
        return None;
    }
    let response = err.raw_response()?;
    let status = response.status().as_u16();
    let host = response
        .headers()
        .get(guard::ENDPOINT_HEADER)
        .unwrap_or("the endpoint");
    let kind = response
        .headers()
        .get("content-type")
        .map(|c| format!(" ({})", c.split(';').next().unwrap_or(c).trim()))
        .unwrap_or_default();
    Some(FetchError {
        operation: Some(operation.to_string()),
        cause: Cause::Failed(format!(
            "HTTP {status} from {host}: the answer{kind} is not an AWS API response"
        )),
        hint: Some(
            "a proxy or another server answered: check --endpoint-url, AWS_ENDPOINT_URL and \
             HTTPS_PROXY"
                .to_string(),
        ),
    })
}

/// `err` and its sources joined by ": ", each once (the SDK repeats a cause in its parent's
/// text at some levels).
pub(super) fn cause_chain(err: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::{HttpResponse, SdkError};

    /// An EC2 error answer with `code`, as the SDK hands it to [`super::explain`].
    fn ec2_error(
        code: &str,
    ) -> SdkError<
        aws_sdk_ec2::operation::describe_security_groups::DescribeSecurityGroupsError,
        HttpResponse,
    > {
        use aws_sdk_ec2::operation::describe_security_groups::DescribeSecurityGroupsError;
        let meta = aws_smithy_types::error::ErrorMetadata::builder()
            .code(code)
            .message("Request has expired.")
            .build();
        let raw = HttpResponse::new(
            400.try_into().unwrap(),
            aws_smithy_types::body::SdkBody::empty(),
        );
        SdkError::service_error(DescribeSecurityGroupsError::generic(meta), raw)
    }

    #[test]
    fn ec2_request_expired_gets_the_expired_credentials_hint() {
        let e = super::explain("ec2:DescribeSecurityGroups", &ec2_error("RequestExpired"));
        let text = e.to_string();
        assert!(
            text.starts_with(
                "ec2:DescribeSecurityGroups failed: RequestExpired: Request has expired."
            ) && text.contains("AWS rejected the credentials as expired or invalid: refresh them")
                && text.contains("clock"),
            "{text}"
        );
        let e = super::explain("ec2:DescribeSecurityGroups", &ec2_error("AuthFailure"));
        assert!(!e.to_string().contains("clock"), "{e}");
    }
}
