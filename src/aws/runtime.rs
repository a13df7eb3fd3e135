//! The async runtime: one for the process, made when first needed, which the synchronous
//! stages wait on for AWS calls (and webhooks).

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::Runtime;

use crate::error::Error;

/// Made by the first call, used by all: not a worker pool started and stopped around each wait.
/// A failure to make it is kept too, and said by every call as by the first.
static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();

fn runtime() -> Result<&'static Runtime, Error> {
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| Error::Internal(format!("cannot start the async runtime: {e}")))
}

/// Runs async SDK work from the synchronous stages. SIGINT/SIGTERM end the wait with
/// [`Error::Interrupted`] (nothing has been written yet); the work is dropped then, and
/// with it what it started (the context's tasks end when it is dropped).
pub fn block_on<F: Future>(f: F) -> Result<F::Output, Error> {
    crate::interrupt::install();
    runtime()?.block_on(async {
        tokio::select! {
            out = f => Ok(out),
            sig = crate::interrupt::wait() => Err(Error::Interrupted(sig)),
        }
    })
}
