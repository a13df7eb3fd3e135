//! One webhook POST over the HTTP client and TLS stack the AWS SDK already builds (hyper,
//! hyper-rustls with the system's roots): each attempt bounded by a timeout, connection
//! failures, timeouts, 429 and 5xx retried a bounded number of times.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// Attempts per webhook, the first included.
pub(crate) const ATTEMPTS: u32 = 3;

/// POSTs `body` (JSON) to `url`; the error says what the last attempt met.
pub(crate) async fn post(url: &str, body: Vec<u8>, timeout: Duration) -> Result<(), String> {
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(rustls::crypto::aws_lc_rs::default_provider())
        .map_err(|e| format!("no TLS root certificates: {e}"))?
        .https_or_http()
        .enable_http1()
        .build();
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build(https);
    let body = Bytes::from(body);
    let mut last = String::new();
    for attempt in 1..=ATTEMPTS {
        let request = http::Request::post(url)
            .header("content-type", "application/json")
            .header(
                "user-agent",
                concat!("driftwatch/", env!("CARGO_PKG_VERSION")),
            )
            .body(Full::new(body.clone()))
            .map_err(|e| format!("not a valid request: {e}"))?;
        match tokio::time::timeout(timeout, client.request(request)).await {
            Ok(Ok(response)) if response.status().is_success() => return Ok(()),
            Ok(Ok(response)) => {
                let status = response.status();
                last = format!("HTTP {status}");
                if !retried(status.as_u16()) {
                    return Err(last);
                }
            }
            Ok(Err(e)) => last = format!("no answer: {}", chain(&e)),
            Err(_) => last = format!("no answer within {} s", timeout.as_secs()),
        }
        if attempt < ATTEMPTS {
            tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
        }
    }
    Err(format!("{last} ({ATTEMPTS} attempts)"))
}

/// Answers worth another attempt: throttled (429) and server errors (5xx).
fn retried(status: u16) -> bool {
    status == 429 || status >= 500
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}
