//! Checks on every response before its data is believed: an XML document cut short is an
//! error, not data, and a failed answer carries the endpoint's host so an error can say who
//! answered. Also the one exception to retrying: a refused connection. Timeouts and attempts
//! are in `limits`.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::interceptors::context::{
    AfterDeserializationInterceptorContextRef, BeforeDeserializationInterceptorContextMut,
    BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
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
}

/// A connection the endpoint refused is not retried. Nothing listens there (a wrong
/// `--endpoint-url`, a server that is down): ten attempts with backoff would only make the user
/// wait half a minute for the same "could not reach" message. Broken and reset connections,
/// timeouts and 5xx answers are still retried.
#[derive(Debug, Clone, Default)]
pub struct RefusedIsFinal;

impl ClassifyRetry for RefusedIsFinal {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let Some(Err(err)) = ctx.output_or_error() else {
            return RetryAction::NoActionIndicated;
        };
        let Some(connector) = err.as_connector_error() else {
            return RetryAction::NoActionIndicated;
        };
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(connector);
        while let Some(s) = source {
            if let Some(io) = s.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::ConnectionRefused {
                    return RetryAction::RetryForbidden;
                }
            }
            source = s.source();
        }
        RetryAction::NoActionIndicated
    }

    fn name(&self) -> &'static str {
        "driftwatch::RefusedIsFinal"
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
    let self_closed = trimmed.ends_with("/>") && trimmed.matches('<').count() == 1;
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
    use super::{authority, xml_complete};

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
    }
}
