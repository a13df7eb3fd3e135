//! `aws_rds_cluster`: every DB cluster (Aurora, Multi-AZ DB clusters), with its tags
//! (DescribeDBClusters has them inline) and its members' roles. Each member is also a DB
//! instance (`db_instance`), compared there for what it sets itself.
//!
//! Never a password: `master_password` and `master_password_wo` are `SECRET_VALUE` rows of the
//! schema, dropped when a state is read (`terraform::secret_values`).

pub mod normalize;
mod schema;
pub mod terraform;
#[cfg(test)]
mod tests;

use super::Def;
use crate::model::Kind;

pub static DEF: Def = Def {
    kind: Kind::RdsCluster,
    name: "aws_rds_cluster",
    noun: "DB cluster",
    id: "the DB cluster identifier",
    name_field: None,
    global: false,
    actions: &["rds:DescribeDBClusters"],
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &[schema::CLUSTER],
    related: &[],
    from_terraform: |a| terraform::from_terraform(&a),
    derived: schema::FILLED_IN,
    is_aws_owned: super::none_aws_owned,
    import_id: super::import_by_id,
};
