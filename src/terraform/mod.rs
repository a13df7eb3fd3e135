//! Terraform state as a reference: parse a state (format version 4, or `terraform show -json`)
//! into resource instances, and map the types we know into canonical-model documents, folding
//! related resources (role policies, attachments, queue policies, security group rules) into
//! their owner. Pure: reading files and S3 is `source::terraform`'s job.

pub mod map;
pub mod state;
