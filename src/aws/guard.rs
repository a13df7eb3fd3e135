//! Checks on every response before its data is believed: an XML document cut short is an
//! error, not data, and a failed answer carries the endpoint's host so an error can say who
//! answered. Also the exceptions to retrying: a refused connection and a host name that does
//! not resolve, each said with the host it was for. Timeouts and attempts are in `limits`.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::dns::ResolveDnsError;
use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::interceptors::context::{
    AfterDeserializationInterceptorContextRef, BeforeDeserializationInterceptorContextMut,
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextMut,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::OrchestratorError;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};

/// The response header in which [`Guard`] notes the host that answered (never sent anywhere:
/// it lives on the in-memory response only, for error messages).
pub const ENDPOINT_HEADER: &str = "x-driftwatch-endpoint";

/// The interceptor every client gets.
#[derive(Debug, Clone, Default)]
pub struct Guard;

/// The request's host, kept from before transmit (the request itself is consumed by sending).
#[derive(Debug, Clone)]
struct EndpointHost(String);

impl Storable for EndpointHost {
    type Storer = StoreReplace<Self>;
}

/// A response body that ended before its document did.
#[derive(Debug)]
pub struct CutShort {
    pub bytes: usize,
    pub root: String,
}

impl std::fmt::Display for CutShort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the response was cut short ({} bytes, no closing </{}>)",
            self.bytes, self.root
        )
    }
}

impl std::error::Error for CutShort {}

/// Why a connection could not be made, when no retry would change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Final {
    /// Nothing listens at the address.
    Refused,
    /// The host name does not resolve.
    Unresolved,
}

/// A connection that could not be made for a [`Final`] reason, with the host it was for: the
/// SDK's error names neither the host nor the port. Put by [`Guard`] in place of the SDK's
/// error once the call has ended (its retries decided).
#[derive(Debug)]
pub struct Unreachable {
    pub host: String,
    pub reason: Final,
    /// The innermost cause, as the system said it ("Connection refused (os error 111)").
    pub detail: String,
}

impl std::fmt::Display for Unreachable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "could not connect to {}: {}", self.host, self.detail)
    }
}

impl std::error::Error for Unreachable {}

impl Intercept for Guard {
    fn name(&self) -> &'static str {
        "driftwatch::Guard"
    }

    fn read_before_transmit(
        &self,
        ctx: &BeforeTransmitInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let host = authority(ctx.request().uri());
        cfg.interceptor_state()
            .store_put(EndpointHost(host.to_string()));
        Ok(())
    }

    fn modify_before_deserialization(
        &self,
        ctx: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(EndpointHost(host)) = cfg.load::<EndpointHost>() {
            let host = host.clone();
            let _ = ctx
                .response_mut()
                .headers_mut()
                .try_insert(ENDPOINT_HEADER, host);
        }
        Ok(())
    }

    fn read_after_deserialization(
        &self,
        ctx: &AfterDeserializationInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let response = ctx.response();
        if !response.status().is_success() {
            return Ok(());
        }
        match response.body().bytes() {
            Some(body) => xml_complete(body).map_err(Into::into),
            None => Ok(()),
        }
    }

    /// A call that ended unable to connect for a [`Final`] reason ends with an [`Unreachable`]
    /// error naming the host (still a connector I/O error, as the SDK's was).
    fn modify_before_completion(
        &self,
        ctx: &mut FinalizerInterceptorContextMut<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(EndpointHost(host)) = cfg.load::<EndpointHost>() else {
            return Ok(());
        };
        let Some(Err(err)) = ctx.output_or_error() else {
            return Ok(());
        };
        let Some((reason, detail)) = err.as_connector_error().and_then(|c| {
            let reason = final_reason(c)?;
            Some((reason, innermost(c)))
        }) else {
            return Ok(());
        };
        let unreachable = Unreachable {
            host: host.clone(),
            reason,
            detail,
        };
        if let Some(slot) = ctx.output_or_error_mut() {
            *slot = Err(OrchestratorError::connector(ConnectorError::io(Box::new(
                unreachable,
            ))));
        }
        Ok(())
    }
}

/// Why `err` can never succeed on a retry, if it cannot:
/// - a refused connection: nothing listens there (a wrong `--endpoint-url`, a server that is
///   down);
/// - a host name that does not resolve. The system's resolver has already asked each name
///   server, retrying as `resolv.conf` says, before it answers that; ten more attempts with
///   backoff only make the user wait most of a minute for the same answer. Told by type where
///   the type is public: the SDK's `ResolveDnsError` (a DNS resolver given to the SDK's HTTP
///   client). The default client resolves through hyper-util, whose resolver error is a
///   private type: it is the source whose text is exactly hyper-util's "dns error" (the
///   system's own message below it is in the user's language and differs by libc).
pub fn final_reason(err: &ConnectorError) -> Option<Final> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionRefused {
                return Some(Final::Refused);
            }
        }
        if s.is::<ResolveDnsError>() || s.to_string() == "dns error" {
            return Some(Final::Unresolved);
        }
        source = s.source();
    }
    None
}

/// The text of the last error in `err`'s chain of sources: what the system said.
fn innermost(err: &(dyn std::error::Error + 'static)) -> String {
    let mut last = err;
    while let Some(s) = last.source() {
        last = s;
    }
    last.to_string()
}

/// A connection that cannot succeed on a retry ([`final_reason`]: refused, or a host name that
/// does not resolve) is not retried: ten attempts with backoff would only make the user wait
/// up to a minute for the same "could not reach" message. Broken and reset connections,
/// timeouts and 5xx answers are still retried.
#[derive(Debug, Clone, Default)]
pub struct UnreachableIsFinal;

impl ClassifyRetry for UnreachableIsFinal {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let Some(Err(err)) = ctx.output_or_error() else {
            return RetryAction::NoActionIndicated;
        };
        match err.as_connector_error().and_then(final_reason) {
            Some(_) => RetryAction::RetryForbidden,
            None => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "driftwatch::UnreachableIsFinal"
    }

    fn priority(&self) -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

/// An XML body must end with the closing tag of its root element. The SDK's XML parser for the
/// query protocol (IAM, EC2, STS) is lenient: a body cut in half with a matching Content-Length
/// parses as a shorter, valid-looking answer (fewer roles, half a policy), which would be
/// reported as drift or, in a snapshot, deleted. Bodies that are not XML are not checked here
/// (JSON protocols fail on a cut document in the SDK's own parser).
pub fn xml_complete(body: &[u8]) -> Result<(), CutShort> {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    if !trimmed.starts_with('<') {
        return Ok(());
    }
    let Some(root) = root_element(trimmed) else {
        return Err(CutShort {
            bytes: body.len(),
            root: "?".into(),
        });
    };
    // An empty root after a declaration (S3's `GetBucketLocation` for us-east-1:
    // `<?xml …?><LocationConstraint xmlns="…"/>`) is whole too.
    let element = trimmed
        .find(&format!("<{root}"))
        .map_or(trimmed, |at| &trimmed[at..]);
    let self_closed = element.ends_with("/>") && element.matches('<').count() == 1;
    let closed = trimmed
        .strip_suffix('>')
        .map(|t| t.trim_end())
        .is_some_and(|t| t.ends_with(&format!("</{root}")));
    if closed || self_closed {
        Ok(())
    } else {
        Err(CutShort {
            bytes: body.len(),
            root,
        })
    }
}

/// `host[:port]` of a URL.
fn authority(uri: &str) -> &str {
    let rest = uri.split_once("://").map_or(uri, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or(rest)
}

/// The name of the first element, after any `<?xml …?>` declaration and comments.
fn root_element(mut text: &str) -> Option<String> {
    loop {
        text = text.trim_start();
        if let Some(rest) = text.strip_prefix("<?") {
            text = &rest[rest.find("?>")? + 2..];
        } else if let Some(rest) = text.strip_prefix("<!--") {
            text = &rest[rest.find("-->")? + 3..];
        } else {
            break;
        }
    }
    let rest = text.strip_prefix('<')?;
    let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
    let name = &rest[..end];
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::{authority, final_reason, xml_complete, ConnectorError, Final, ResolveDnsError};

    /// An error that says `text` and has `source` below it, like hyper-util's private
    /// `ConnectError` ("dns error", "tcp connect error").
    #[derive(Debug)]
    struct Said(&'static str, std::io::Error);

    impl std::fmt::Display for Said {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for Said {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.1)
        }
    }

    #[test]
    fn refused_and_unresolved_connections_are_final_and_others_are_not() {
        use std::io::{Error, ErrorKind};
        let io = |e: Box<dyn std::error::Error + Send + Sync>| ConnectorError::io(e);
        let lookup =
            || Error::other("failed to lookup address information: Name or service not known");
        let refused = Said(
            "tcp connect error",
            Error::from(ErrorKind::ConnectionRefused),
        );
        assert_eq!(final_reason(&io(Box::new(refused))), Some(Final::Refused));
        // hyper-util's resolver (the SDK's default client), and a resolver given to the SDK.
        let dns = Said("dns error", lookup());
        assert_eq!(final_reason(&io(Box::new(dns))), Some(Final::Unresolved));
        let dns = ResolveDnsError::new(lookup());
        assert_eq!(final_reason(&io(Box::new(dns))), Some(Final::Unresolved));
        // Passing faults stay retried.
        let reset = Said("connection error", Error::from(ErrorKind::ConnectionReset));
        assert_eq!(final_reason(&io(Box::new(reset))), None);
        let lookup_text_elsewhere = Said("tls handshake", lookup());
        assert_eq!(final_reason(&io(Box::new(lookup_text_elsewhere))), None);
    }

    #[test]
    fn the_host_of_an_endpoint() {
        assert_eq!(authority("https://iam.amazonaws.com/"), "iam.amazonaws.com");
        assert_eq!(
            authority("http://127.0.0.1:5000/?Action=x"),
            "127.0.0.1:5000"
        );
    }

    #[test]
    fn a_whole_document_passes_and_a_cut_one_names_its_root() {
        let doc = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<GetAccountAuthorizationDetailsResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><GetAccountAuthorizationDetailsResult><RoleDetailList/></GetAccountAuthorizationDetailsResult></GetAccountAuthorizationDetailsResponse>\n";
        assert!(xml_complete(doc.as_bytes()).is_ok());
        let cut = &doc.as_bytes()[..doc.len() / 2];
        let e = xml_complete(cut).unwrap_err();
        assert_eq!(e.root, "GetAccountAuthorizationDetailsResponse");
        assert_eq!(
            e.to_string(),
            format!(
                "the response was cut short ({} bytes, no closing \
                 </GetAccountAuthorizationDetailsResponse>)",
                cut.len()
            )
        );
        // Cut right after the last element but before the root closes.
        let cut = doc
            .trim_end()
            .trim_end_matches("</GetAccountAuthorizationDetailsResponse>");
        assert!(xml_complete(cut.as_bytes()).is_err());
    }

    #[test]
    fn json_and_empty_bodies_are_not_judged_here() {
        assert!(xml_complete(b"{\"families\": [").is_ok());
        assert!(xml_complete(b"").is_ok());
        assert!(xml_complete(b"<Empty/>").is_ok());
        let location = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>";
        assert!(xml_complete(location.as_bytes()).is_ok());
        assert!(xml_complete(&location.as_bytes()[..location.len() - 2]).is_err());
    }
}
