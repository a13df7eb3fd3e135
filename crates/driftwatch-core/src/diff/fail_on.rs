//! What makes a run fail, by the names `--fail-on` and the file's `fail_on` use. Defined beside
//! the statuses it names, so the file settings and the command line share it without knowing
//! each other; the `clap` feature lets the command line parse it.

/// What makes `check` exit 1: a drift status, or `new` (only findings new since the previous run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum FailOn {
    #[cfg_attr(feature = "clap", value(skip))]
    InSync,
    Modified,
    Missing,
    Unmanaged,
    New,
}
