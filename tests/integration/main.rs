//! Integration tests: the real binary against a local moto server (the real wire protocol and
//! the real fetcher code), seeded through the AWS SDK for Rust. One test binary, many modules.

mod config_and_targets;
mod errors;
mod examples;
mod faults;
mod harness;
mod iam;
mod ignore_and_secrets;
mod policy;
mod queues_groups_services;
mod reports;
mod seed;
mod task_definitions;
mod terraform;
mod terraform_errors;
