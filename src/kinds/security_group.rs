//! `aws_security_group`: every group with its rules; a VPC's untouched `default` group is AWS's.

use futures::FutureExt;

use super::Def;
use crate::model::Kind;
use crate::normalize::security_group as normalize;

pub static DEF: Def = Def {
    kind: Kind::SecurityGroup,
    name: "aws_security_group",
    id: "the group id (`sg-…`)",
    global: false,
    actions: &["ec2:DescribeSecurityGroups"],
    fetch: |ctx| crate::fetch::ec2::security_groups(ctx.ec2()).boxed(),
    normalize: |doc, _| normalize::normalize(doc),
    normalize_raw: |doc, _| normalize::normalize(doc),
    terraform_types: &["aws_security_group", "aws_default_security_group"],
    from_terraform: crate::terraform::map::security_group,
    is_aws_owned: normalize::is_untouched_default,
};
