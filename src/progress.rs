//! A progress line per kind on stderr while fetching, only when stderr is a terminal and not
//! `-q`: cron logs and CI logs stay clean.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::model::Kind;

#[derive(Clone)]
pub(crate) struct Progress(Option<MultiProgress>);

impl Progress {
    pub(crate) fn new(quiet: bool) -> Self {
        let on = !quiet && std::io::stderr().is_terminal();
        Progress(on.then(MultiProgress::new))
    }

    /// A spinner for one kind, until [`KindProgress::finish`].
    pub(crate) fn kind(&self, kind: Kind) -> KindProgress {
        KindProgress(self.0.as_ref().map(|m| {
            let bar = m.add(ProgressBar::new_spinner());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {prefix:<24} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_prefix(kind.to_string());
            bar.set_message("fetching…");
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        }))
    }
}

pub(crate) struct KindProgress(Option<ProgressBar>);

impl KindProgress {
    pub(crate) fn finish(&self, outcome: Result<usize, ()>) {
        if let Some(bar) = &self.0 {
            match outcome {
                Ok(n) => bar.finish_with_message(format!("{n} fetched")),
                Err(()) => bar.finish_with_message("failed"),
            }
        }
    }
}
