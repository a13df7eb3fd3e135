//! An AWS Organization checked in pieces: the plan `driftwatch plan` writes (the accounts to
//! check, those left out and why, and a digest that names the plan), and how the plan's units
//! are dealt to the shards of a scheduler's array job. Pure: no SDK, no I/O.

pub mod merge;
pub mod plan;
pub mod shard;
pub mod status;
pub mod targets;

pub use plan::{Excluded, OrgPlan, Unit, PLAN_VERSION};
pub use shard::{order_key, slice, ShardSpec};
pub use status::{resolve_regions, sort_targets};
pub use targets::{MergeRef, ShardRef, TargetState, TargetStatus};
