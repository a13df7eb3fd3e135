//! driftwatch: does what runs in this AWS account still match what we committed?
//!
//! ```text
//! sources (live: aws/, golden/, Terraform) ──► driftwatch-core: normalize ──► Inventory
//!     ──► diff, checks ──► Report ──► render ──► out/, notify/, history/
//! ```
//!
//! This crate is the binary and its I/O: `aws/` (the only user of AWS SDK types: clients,
//! retries, credentials, call counting, one runtime), `source/` (golden folders, Terraform
//! states), `history/` (the database), `notify/`, `atomic`, `out`. The pure engine is the
//! `driftwatch-core` crate, whose modules are named here as before. [`run`] resolves the
//! command's settings once (`settings`: flags, `driftwatch.toml`, environment), hands them to
//! the command's module (`command/`) and returns the exit code (see [`exit`]).

pub(crate) mod atomic;
pub(crate) mod aws;
pub mod cli;
pub(crate) mod command;
pub(crate) mod config;
pub(crate) mod error;
pub(crate) mod exit;
pub(crate) mod history;
pub(crate) mod interrupt;
pub(crate) mod logging;
pub(crate) mod notify;
pub(crate) mod out;
pub(crate) mod progress;
pub(crate) mod settings;
pub(crate) mod source;

// The engine: pure, in its own crate (crates/driftwatch-core), named here as before. Only
// `cli` and `run` are this crate's interface (for `main.rs`); everything else is private.
pub(crate) use driftwatch_core::{
    canonical_json, checks, diff, filter, ignore, kinds, model, normalize, org, parallel, report,
    scope, terraform,
};

use cli::Cli;
use error::{Error, Result};
use settings::Settings;

/// Runs one command and returns its exit code. Errors are printed here, once, on stderr.
pub fn run(cli: Cli) -> u8 {
    logging::init(&cli.global);
    match execute(&cli) {
        Ok(code) => match interrupt::requested() {
            Some(sig) => {
                out::diag(&format!("driftwatch: {}", Error::Interrupted(sig)));
                exit::interrupted(sig)
            }
            None => code,
        },
        Err(Error::Interrupted(sig)) => {
            out::diag(&format!("driftwatch: {}", Error::Interrupted(sig)));
            exit::interrupted(sig)
        }
        Err(e) => {
            for line in e.to_string().lines() {
                out::diag(&format!("driftwatch: error: {line}"));
            }
            exit::ERROR
        }
    }
}

fn execute(cli: &Cli) -> Result<u8> {
    match settings::resolve(cli)? {
        Settings::Snapshot(s) => command::snapshot::execute(&s),
        Settings::Check(s) => command::check::execute(&s),
        Settings::Diff(s) => command::diff::execute(&s),
        Settings::Policy(s) => command::policy::execute(&s),
        Settings::History(s) => command::history::execute(&s),
        Settings::Accept(s) => command::accept::execute(&s),
        Settings::Completions(shell) => command::completions::execute(shell),
        Settings::Verify(s) => command::verify::execute(&s),
        Settings::Plan(s) => command::plan::execute(&s),
        Settings::Merge(s) => command::merge::execute(&s),
    }
}
