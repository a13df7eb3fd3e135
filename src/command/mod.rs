//! One module per command. Each takes its settings, resolved before it runs (`settings`), does
//! its work and returns the exit code (`exit`); `run` in lib.rs prints errors. Writing a report
//! where the settings send it is shared by `check` and `diff`: [`output`].

pub mod accept;
pub mod check;
pub mod completions;
pub mod diff;
pub mod history;
pub mod output;
pub mod policy;
pub mod snapshot;
pub mod verify;
