//! Writing to the terminal: the report on stdout, diagnostics on stderr. Not a stage; every
//! command's output passes through here so that a closed pipe (`driftwatch … | head`) is a
//! normal end, as in ripgrep: what the reader no longer wants is dropped quietly, never a panic,
//! and the exit code still tells what was found (a drift must not pass for a clean run under
//! `set -o pipefail`).

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

/// Set once stdout's reader has gone: later writes are dropped.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to stdout as it is. A broken pipe ends stdout quietly; any other failure (a
/// full disk behind `>`) is an error, since the report did not get where it was sent.
pub(crate) fn print(text: &str) -> Result<()> {
    if text.is_empty() || STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut stdout = std::io::stdout().lock();
    settle(
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush()),
    )
}

/// What a write to stdout came to: a broken pipe closes stdout quietly, any other failure is
/// an error.
fn settle(written: std::io::Result<()>) -> Result<()> {
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(source) => Err(Error::Write {
            path: "<stdout>".into(),
            source,
        }),
        Ok(()) => Ok(()),
    }
}

/// Lets `write` write to stdout through a buffer, with the same rules as [`print`]: for a
/// large report that is written as it is made rather than made whole first.
pub(crate) fn print_with(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    settle(write(&mut stdout).and_then(|()| stdout.flush()))
}

/// Writes one line to stdout (see [`print`]).
pub(crate) fn line(text: &str) -> Result<()> {
    print(&format!("{text}\n"))
}

/// Writes one diagnostic line to stderr. Never fails and never panics: when stderr itself is
/// gone there is nowhere left to say so.
pub(crate) fn diag(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Writes text that is already made of whole lines to stderr (GitHub workflow commands), with
/// the same rule as [`diag`].
pub(crate) fn diag_raw(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
