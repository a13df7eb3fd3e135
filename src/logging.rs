//! The log on stderr (tracing): its level from `-v`/`-q`, colored only on a terminal.

use std::io::IsTerminal;

use crate::cli::Global;

/// Installs the log for this run; set before the settings are resolved, so that everything
/// after can log.
pub(crate) fn init(g: &Global) {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;
    let filter = match g.verbose {
        _ if g.quiet => Targets::new().with_default(LevelFilter::ERROR),
        // The SDK warns about every credential and region source it tries; our own error says
        // what is missing and how to fix it.
        0 => Targets::new()
            .with_default(LevelFilter::ERROR)
            .with_target("driftwatch", LevelFilter::WARN),
        1 => Targets::new()
            .with_default(LevelFilter::WARN)
            .with_target("driftwatch", LevelFilter::INFO),
        2 => Targets::new()
            .with_default(LevelFilter::INFO)
            .with_target("driftwatch", LevelFilter::DEBUG),
        _ => Targets::new().with_default(LevelFilter::TRACE),
    };
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(!g.no_color && std::io::stderr().is_terminal())
        .without_time()
        .with_target(g.verbose >= 2);
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(filter)
        .try_init();
}
