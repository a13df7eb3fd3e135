//! `aws_db_instance`: every DB instance, with its tags (DescribeDBInstances has them inline).
//! A member of an Aurora cluster (`aws_rds_cluster_instance`) is a DB instance too: AWS lists
//! it with the others and Terraform imports it by its identifier, so that type maps here (not
//! onto the cluster as a related type, which could only add parts to the cluster's document,
//! not the member's own class, parameter group and monitoring) and keeps only what the
//! cluster does not own.
//!
//! Never a password: `password` and `password_wo` are `SECRET_VALUE` rows of the schema,
//! dropped when a state is read (`terraform::secret_values`).

pub(crate) mod common;
pub(crate) mod engine;
pub mod normalize;
pub(crate) mod schema;
pub mod terraform;
#[cfg(test)]
mod tests;

use super::Def;
use crate::model::Kind;

pub static DEF: Def = Def {
    kind: Kind::DbInstance,
    name: "aws_db_instance",
    noun: "DB instance",
    id: "the DB instance identifier",
    name_field: None,
    global: false,
    actions: &["rds:DescribeDBInstances"],
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::DB_INSTANCE, schema::CLUSTER_INSTANCE],
    related: &[],
    from_terraform: |a| terraform::from_terraform(&a),
    derived: schema::FILLED_IN,
    is_aws_owned: super::none_aws_owned,
    import_id: super::import_by_id,
};
