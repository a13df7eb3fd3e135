//! Every page of an SDK paginator, or an error: never a silent part of a list. The generated
//! paginators stop when a server answers the token they sent (`stop_on_duplicate_token`, on by
//! default) and end their stream as if the list were complete, so a list call whose server
//! repeats a token would read as "these are all the queues", and everything after that page as
//! missing. A stream that ends on a page which still names a next page ended that way.

use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::explain::explain;
use crate::error::FetchError;

/// Why the pages could not be read: the call failed, or the server repeated a token.
#[derive(Debug)]
pub(crate) enum PageError<E> {
    Call(E),
    Repeated,
}

impl<E> PageError<E> {
    /// As a fetch error of `operation`, the call's own error explained by `explain`.
    pub(crate) fn explain(
        self,
        operation: &str,
        explain: impl FnOnce(E) -> FetchError,
    ) -> FetchError {
        match self {
            PageError::Call(e) => explain(e),
            PageError::Repeated => repeated(operation),
        }
    }
}

/// The error of a list whose server answered the token it was sent as the next one.
pub(crate) fn repeated(operation: &str) -> FetchError {
    FetchError::of(
        operation,
        "the server answered the token of the page it was asked for as the next page's \
         (the list would end there, incomplete)",
    )
}

/// Every page of `stream`; `next` reads a page's next-page token (`NextToken`, `Marker`,
/// `PaginationToken`).
async fn all<T, E>(
    mut stream: PaginationStream<Result<T, E>>,
    next: impl Fn(&T) -> Option<&str>,
) -> Result<Vec<T>, PageError<E>> {
    let mut pages = Vec::new();
    while let Some(page) = stream.next().await {
        pages.push(page.map_err(PageError::Call)?);
    }
    // A stream ends after an error, after a page without a token, or after a page repeating
    // the token sent: only the last leaves one behind.
    match pages.last().and_then(next) {
        Some(token) if !token.is_empty() => Err(PageError::Repeated),
        _ => Ok(pages),
    }
}

/// The items of every page: `items` takes a page's list out of it.
pub(crate) async fn items<T, I, E>(
    stream: PaginationStream<Result<T, E>>,
    next: impl Fn(&T) -> Option<&str>,
    items: impl Fn(T) -> Option<Vec<I>>,
) -> Result<Vec<I>, PageError<E>> {
    let pages = all(stream, next).await?;
    Ok(pages
        .into_iter()
        .flat_map(|p| items(p).unwrap_or_default())
        .collect())
}

/// The items of every page of `operation`, a failed call explained as every call is.
pub(crate) async fn list<T, I, E>(
    operation: &str,
    stream: PaginationStream<Result<T, SdkError<E, HttpResponse>>>,
    next: impl Fn(&T) -> Option<&str>,
    take: impl Fn(T) -> Option<Vec<I>>,
) -> Result<Vec<I>, FetchError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    items(stream, next, take)
        .await
        .map_err(|e| e.explain(operation, |e| explain(operation, &e)))
}

#[cfg(test)]
mod tests {
    use aws_smithy_async::future::pagination_stream::fn_stream::FnStream;

    use super::*;

    /// A page: its items and the token it names.
    type Page = (Vec<u32>, Option<&'static str>);

    /// A stream that yields `pages` as a generated paginator would have sent them.
    fn stream(
        pages: Vec<Result<Page, &'static str>>,
    ) -> PaginationStream<Result<Page, &'static str>> {
        PaginationStream::new(FnStream::new(move |tx| {
            Box::pin(async move {
                for p in pages {
                    if tx.send(p).await.is_err() {
                        return;
                    }
                }
            })
        }))
    }

    fn read(pages: Vec<Result<Page, &'static str>>) -> Result<Vec<u32>, PageError<&'static str>> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(items(stream(pages), |p| p.1, |p| Some(p.0)))
    }

    #[test]
    fn pages_to_the_last_token_are_every_item() {
        let got = read(vec![Ok((vec![1, 2], Some("a"))), Ok((vec![3], None))]).unwrap();
        assert_eq!(got, [1, 2, 3]);
        // An empty token ends a list as no token does.
        assert_eq!(read(vec![Ok((vec![4], Some("")))]).unwrap(), [4]);
        assert_eq!(read(vec![]).unwrap(), Vec::<u32>::new());
    }

    #[test]
    fn a_stream_that_stops_on_a_page_naming_another_is_an_error() {
        // What the SDK yields when the server answers "a" to a request for "a": that page,
        // then nothing.
        let got = read(vec![Ok((vec![1], Some("a"))), Ok((vec![2], Some("a")))]);
        assert!(matches!(got, Err(PageError::Repeated)));
        let e = got
            .unwrap_err()
            .explain("sqs:ListQueues", |_| unreachable!());
        assert!(
            e.to_string()
                .starts_with("sqs:ListQueues: the server answered the token"),
            "{e}"
        );
    }

    #[test]
    fn a_failed_page_is_the_call_s_error() {
        let got = read(vec![Ok((vec![1], Some("a"))), Err("throttled")]);
        assert!(matches!(got, Err(PageError::Call("throttled"))));
    }
}
