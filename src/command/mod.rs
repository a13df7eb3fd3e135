//! One module per command. Each takes its settings, resolved before it runs (`settings`), does
//! its work and returns the exit code (`exit`); `run` in lib.rs prints errors. A command never
//! imports another command's module: what several share is in [`shared`], and writing a report
//! where the settings send it (`check`, `diff`, `verify`) in [`output`].

pub(crate) mod accept;
pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod diff;
pub(crate) mod history;
pub(crate) mod merge;
mod output;
pub(crate) mod plan;
pub(crate) mod policy;
mod shared;
pub(crate) mod snapshot;
pub(crate) mod verify;
