//! SIGINT and SIGTERM: the program stops at the next safe point instead of dying mid-write.
//!
//! A signal only sets a flag. The stages that run long (the live fetch, writing golden files)
//! look at it and return [`crate::error::Error::Interrupted`], which removes their temporary
//! files on the way out; the exit code is then 128 + the signal (130, 143), as shells expect.
//! A second signal ends the process at once, for a user who does not want to wait.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

static FLAG: OnceLock<Arc<AtomicUsize>> = OnceLock::new();

/// Installs the handlers, once per process; later calls do nothing. Called by the stages that
/// look at the flag (the live fetch, atomic writes, [`blocking`] waits), not at start-up:
/// before them, a signal keeps its default action. A wait that cannot look at the flag itself
/// goes through [`blocking`], so a signal parked in the flag never leaves it blocked.
pub(crate) fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(register);
}

fn register() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let flag = FLAG.get_or_init(|| Arc::new(AtomicUsize::new(0)));
        for sig in [SIGINT, SIGTERM] {
            // The conditional shutdown runs first: it exits only when a signal came before.
            let first = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let _ = signal_hook::flag::register_conditional_shutdown(sig, 128 + sig, first.clone());
            let _ = signal_hook::flag::register(sig, first);
            let _ = signal_hook::flag::register_usize(sig, flag.clone(), sig as usize);
        }
    }
}

/// The signal that asked the program to stop, if one did.
pub(crate) fn requested() -> Option<i32> {
    match FLAG.get()?.load(Ordering::SeqCst) {
        0 => None,
        sig => Some(sig as i32),
    }
}

/// Resolves when a stop was requested; for racing against async work.
pub(crate) async fn wait() -> i32 {
    loop {
        if let Some(sig) = requested() {
            return sig;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// Runs `wait`, a blocking call that cannot be interrupted itself (a read of stdin), with
/// the handlers installed, so that a signal ends the run whenever it lands: before them it
/// has its default action; after them and before `wait` starts, the flag is seen here before
/// blocking; during `wait`, the flag is polled while `wait` runs on a thread of its own (left
/// blocked when the run ends, which ends the process). `Err` is the signal.
pub(crate) fn blocking<T: Send + 'static>(
    wait: impl FnOnce() -> T + Send + 'static,
) -> Result<T, i32> {
    install();
    if let Some(sig) = requested() {
        return Err(sig);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(wait());
    });
    loop {
        match rx.recv_timeout(std::time::Duration::from_millis(20)) {
            Ok(out) => return Ok(out),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                // The thread panicked: say so as the panic would have.
                panic!("a blocking wait panicked");
            }
        }
        if let Some(sig) = requested() {
            return Err(sig);
        }
    }
}

/// A conventional name for the signal, for the message.
pub(crate) fn name(sig: i32) -> &'static str {
    match sig {
        2 => "SIGINT",
        15 => "SIGTERM",
        _ => "a signal",
    }
}
