//! driftwatch's engine: everything that takes data and returns data. The binary crate (the
//! repository's root package) reads sources (the live account through the AWS SDK, golden
//! folders, Terraform states), hands their documents here, and writes what comes back.
//!
//! ```text
//! documents ──► normalize (kinds/) ──► Inventory ──► diff ──► Report ──► report/ (render)
//! Terraform state text ──► terraform/ (parse, map) ──┘      └─► checks/ (cross-resource)
//! ```
//!
//! No module here does I/O, spawns an async runtime or names an AWS SDK type; a test of the
//! binary crate proves from `cargo metadata` that none of those crates is a dependency.

/// The repository's root, for tests that read its fixtures and demo files.
#[cfg(test)]
macro_rules! repo {
    () => {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
    };
}

pub mod arn;
pub mod canonical_json;
pub mod checks;
pub mod diff;
pub mod filter;
pub mod history;
pub mod ignore;
pub mod kinds;
pub mod model;
pub mod normalize;
pub mod org;
pub mod parallel;
pub mod policy_eval;
pub mod report;
pub mod scope;
pub mod terraform;
