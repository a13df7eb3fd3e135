//! Integration tests: the real binary against a local moto server (the real wire protocol and
//! the real fetcher code), seeded through the AWS SDK for Rust. One test binary, many modules.

mod accept;
mod action;
mod checks;
mod config_and_targets;
mod errors;
mod every_kind;
mod examples;
mod faults;
mod golden_folder;
mod grouped_reports;
mod harness;
mod history;
mod iam;
mod ignore_and_secrets;
mod install;
mod live_faults;
mod notify;
mod policy;
mod queues_groups_services;
mod quiet_and_streams;
mod readme_demo;
mod reports;
mod revision_cache;
mod secret_shapes;
mod seed;
mod task_definitions;
mod terraform;
mod terraform_errors;
mod terraform_formats;
mod terraform_import;
mod terraform_partial;
