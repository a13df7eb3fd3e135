//! The rows `driftwatch history` shows, as the database query returns them and the renderers
//! (`report/history.rs`) read them.

use serde::Serialize;

/// One run, as `driftwatch history` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct RunRow {
    pub run: i64,
    pub checked_at: String,
    /// Each target (`name=` or `=` without targets) with its kinds.
    pub scope: String,
    pub findings: i64,
    pub new: i64,
    pub known: i64,
    pub resolved: i64,
    pub errors: i64,
}

/// One resource in one run: a finding, or its resolution.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineRow {
    pub run: i64,
    pub checked_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub reference: String,
    /// `modified`, `missing`, `unmanaged`, or `resolved`.
    pub status: String,
    /// New in this run (for a finding).
    pub new: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
    /// The finding's fingerprint: a different one means the changes differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}
