//! The table of `aws_db_subnet_group` (see `kinds::TerraformType`).

use crate::kinds::TerraformType;
use crate::terraform::map::schema::NAME_PREFIX;

const FROM_SUBNETS: &str = "follows from the subnets (their address families)";

pub(super) const SUBNET_GROUP: TerraformType = TerraformType {
    name: "aws_db_subnet_group",
    mapped: &[
        ("name", &[]),
        ("description", &["/DBSubnetGroupDescription"]),
        ("subnet_ids", &["/Subnets"]),
        ("vpc_id", &["/VpcId"]),
        ("tags", &["/Tags"]),
        ("tags_all", &["/Tags"]),
    ],
    not_compared: &[
        ("name_prefix", NAME_PREFIX),
        ("supported_network_types", FROM_SUBNETS),
    ],
    numbers: &[],
    bools: &[],
};
