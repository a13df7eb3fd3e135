//! The raw body of a response, for the kinds whose documents are the API's own JSON.

use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::AfterDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;

use crate::error::FetchError;

/// Keeps the raw body of an operation's response. For JSON-protocol services (ECS, SQS) the
/// body *is* the API's document, with AWS's own field names and every field AWS returns, also
/// fields added after this SDK was built. Building our document from it instead of mapping each
/// SDK struct field by hand means a field we forgot can never hide drift.
#[derive(Debug, Clone, Default)]
pub struct RawBody(Arc<Mutex<Option<Vec<u8>>>>);

impl RawBody {
    /// The captured body parsed as JSON.
    pub fn json(&self, operation: &str) -> Result<serde_json::Value, FetchError> {
        let body = self
            .0
            .lock()
            .ok()
            .and_then(|mut b| b.take())
            .ok_or_else(|| FetchError::of(operation, "the response had no body"))?;
        serde_json::from_slice(&body)
            .map_err(|e| FetchError::of(operation, format!("the response is not JSON: {e}")))
    }
}

impl RawBody {
    /// The member `field` of the captured JSON body; an answer without it is an error, never an
    /// empty setting.
    pub fn field(&self, operation: &str, field: &str) -> Result<serde_json::Value, FetchError> {
        self.json(operation)?
            .get_mut(field)
            .map(serde_json::Value::take)
            .ok_or_else(|| FetchError::of(operation, format!("the answer has no {field}")))
    }
}

/// Every item of the JSON list `field` over all pages of a call, as the API's JSON (so a
/// field this SDK does not know still reaches the document). `page(token, raw)` sends one page
/// with `raw` among its interceptors and returns the next token. A server that answers the
/// same token twice is an error, not an endless loop.
pub async fn all_items<F, Fut>(
    operation: &str,
    field: &str,
    mut page: F,
) -> Result<Vec<serde_json::Value>, FetchError>
where
    F: FnMut(Option<String>, RawBody) -> Fut,
    Fut: std::future::Future<Output = Result<Option<String>, FetchError>>,
{
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let raw = RawBody::default();
        let next = page(token.clone(), raw.clone()).await?;
        if let Some(serde_json::Value::Array(items)) = raw.json(operation)?.get_mut(field) {
            out.append(items);
        }
        match next {
            Some(t) if !t.is_empty() && token.as_deref() == Some(t.as_str()) => {
                return Err(FetchError::of(
                    operation,
                    "the server answered the same NextToken twice",
                ))
            }
            Some(t) if !t.is_empty() => token = Some(t),
            _ => return Ok(out),
        }
    }
}

impl Intercept for RawBody {
    fn name(&self) -> &'static str {
        "driftwatch::RawBody"
    }

    fn read_after_deserialization(
        &self,
        ctx: &AfterDeserializationInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // After deserialization the orchestrator has read a non-streaming body into memory.
        if let Some(bytes) = ctx.response().body().bytes() {
            if let Ok(mut slot) = self.0.lock() {
                *slot = Some(bytes.to_vec());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{all_items, RawBody};

    /// Runs `all_items` over fake pages: (the page's JSON body, the next token it answers).
    fn pages(
        answers: Vec<(&'static str, Option<&'static str>)>,
    ) -> Result<Vec<serde_json::Value>, crate::error::FetchError> {
        let answers = std::sync::Mutex::new(answers.into_iter());
        let run = all_items(
            "organizations:ListAccounts",
            "Accounts",
            |_, raw: RawBody| {
                let (body, next) = answers.lock().unwrap().next().expect("a page too many");
                *raw.0.lock().unwrap() = Some(body.as_bytes().to_vec());
                async move { Ok(next.map(str::to_string)) }
            },
        );
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(run)
    }

    #[test]
    fn an_empty_page_with_a_token_is_not_the_end() {
        let items = pages(vec![
            (r#"{"Accounts":[{"Id":"1"}]}"#, Some("t1")),
            (r#"{"Accounts":[]}"#, Some("t2")),
            (r#"{}"#, Some("t3")),
            (r#"{"Accounts":[{"Id":"2"}]}"#, Some("")),
        ])
        .unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[1]["Id"], "2");
    }

    #[test]
    fn the_same_token_twice_is_broken_paging() {
        let err = pages(vec![
            (r#"{"Accounts":[]}"#, Some("t1")),
            (r#"{"Accounts":[]}"#, Some("t1")),
        ])
        .unwrap_err();
        assert!(err.to_string().contains("same NextToken twice"), "{err}");
    }
}
