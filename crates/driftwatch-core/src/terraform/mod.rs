//! Terraform state as a reference: parse a state (format version 3 or 4, `terraform show
//! -json` of a state or a plan; flatmap attributes decoded) into resource instances, and map the
//! types we know into canonical-model documents, folding related resources (role policies,
//! attachments, queue policies, security group rules) into their owner. Pure: reading files and
//! S3 is `source::terraform`'s job.

pub mod flatmap;
pub mod map;
mod secret_values;
pub mod sensitive;
pub mod state;
mod state_v3;
pub mod stream;
#[cfg(test)]
mod tests;
