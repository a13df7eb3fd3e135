//! The tables of `aws_security_group`, `aws_default_security_group` and of the rule types that
//! fold into a group (see `kinds::TerraformType`).

use crate::kinds::TerraformType;
use crate::terraform::map::schema::{AWS_ASSIGNED, NAME_PREFIX, TERRAFORM_ONLY};

const GROUP_MAPPED: &[(&str, &[&str])] = &[
    ("name", &["/GroupName"]),
    ("description", &["/Description"]),
    ("vpc_id", &["/VpcId"]),
    ("ingress", &["/IpPermissions"]),
    ("egress", &["/IpPermissionsEgress"]),
    ("tags", &["/Tags"]),
    ("tags_all", &["/Tags"]),
];

const GROUP_NUMBERS: &[&str] = &[
    "ingress.from_port",
    "ingress.to_port",
    "egress.from_port",
    "egress.to_port",
];

const GROUP_BOOLS: &[&str] = &["ingress.self", "egress.self", "revoke_rules_on_delete"];

pub(super) const GROUP: TerraformType = TerraformType {
    name: "aws_security_group",
    mapped: GROUP_MAPPED,
    not_compared: &[
        ("owner_id", AWS_ASSIGNED),
        ("name_prefix", NAME_PREFIX),
        ("revoke_rules_on_delete", TERRAFORM_ONLY),
    ],
    numbers: GROUP_NUMBERS,
    bools: GROUP_BOOLS,
};

pub(super) const DEFAULT_GROUP: TerraformType = TerraformType {
    name: "aws_default_security_group",
    mapped: GROUP_MAPPED,
    not_compared: &[
        ("owner_id", AWS_ASSIGNED),
        ("revoke_rules_on_delete", TERRAFORM_ONLY),
    ],
    numbers: GROUP_NUMBERS,
    bools: GROUP_BOOLS,
};

pub(super) const RULE: TerraformType = TerraformType {
    name: "aws_security_group_rule",
    mapped: &[
        ("security_group_id", &[]),
        ("type", &[]),
        ("protocol", &[]),
        ("from_port", &[]),
        ("to_port", &[]),
        ("cidr_blocks", &[]),
        ("ipv6_cidr_blocks", &[]),
        ("prefix_list_ids", &[]),
        ("source_security_group_id", &[]),
        ("self", &[]),
        ("description", &[]),
    ],
    not_compared: &[("security_group_rule_id", AWS_ASSIGNED)],
    numbers: &["from_port", "to_port"],
    bools: &["self"],
};

const VPC_RULE_MAPPED: &[(&str, &[&str])] = &[
    ("security_group_id", &[]),
    ("ip_protocol", &[]),
    ("from_port", &[]),
    ("to_port", &[]),
    ("cidr_ipv4", &[]),
    ("cidr_ipv6", &[]),
    ("prefix_list_id", &[]),
    ("referenced_security_group_id", &[]),
    ("description", &[]),
];

const RULE_TAGS: &str =
    "tags of the rule itself; driftwatch compares a group's rules, not their tags";

const VPC_RULE_NOT_COMPARED: &[(&str, &str)] = &[
    ("security_group_rule_id", AWS_ASSIGNED),
    ("tags", RULE_TAGS),
    ("tags_all", RULE_TAGS),
];

pub(super) const INGRESS_RULE: TerraformType = TerraformType {
    name: "aws_vpc_security_group_ingress_rule",
    mapped: VPC_RULE_MAPPED,
    not_compared: VPC_RULE_NOT_COMPARED,
    numbers: &["from_port", "to_port"],
    bools: &[],
};

pub(super) const EGRESS_RULE: TerraformType = TerraformType {
    name: "aws_vpc_security_group_egress_rule",
    mapped: VPC_RULE_MAPPED,
    not_compared: VPC_RULE_NOT_COMPARED,
    numbers: &["from_port", "to_port"],
    bools: &[],
};
