//! The canonical model: a resource is `(kind, id, document)`; an inventory holds the resources
//! one source describes. Pure data, no I/O.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::kinds::{self, Def};
use crate::scope::Scope;

/// Declares [`Kind`] from one table, `Variant = "serde name" => module in kinds/`: the enum
/// (whose order is report order), [`Kind::ALL`] and [`Kind::def`] cannot disagree.
macro_rules! kinds {
    ($($variant:ident = $name:literal => $module:ident,)+) => {
        /// A resource kind, named after the Terraform type users already know. What each is
        /// lives in its definition ([`Kind::def`]); the enum gives kinds their order and serde
        /// names.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String")]
        pub enum Kind {
            $(
                #[serde(rename = $name)]
                $variant,
            )+
        }

        impl Kind {
            /// Every kind driftwatch can fetch, in report order.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)+];

            /// Everything about the kind, from its module in `kinds/`.
            pub fn def(self) -> &'static Def {
                match self {
                    $(Kind::$variant => &kinds::$module::DEF,)+
                }
            }
        }
    };
}

kinds! {
    EcsTaskDefinition = "aws_ecs_task_definition" => ecs_task_definition,
    EcsService = "aws_ecs_service" => ecs_service,
    IamRole = "aws_iam_role" => iam_role,
    IamPolicy = "aws_iam_policy" => iam_policy,
    SqsQueue = "aws_sqs_queue" => sqs_queue,
    SecurityGroup = "aws_security_group" => security_group,
    EcrRepository = "aws_ecr_repository" => ecr_repository,
    CloudwatchLogGroup = "aws_cloudwatch_log_group" => cloudwatch_log_group,
    SecretsmanagerSecret = "aws_secretsmanager_secret" => secretsmanager_secret,
    SsmParameter = "aws_ssm_parameter" => ssm_parameter,
    S3Bucket = "aws_s3_bucket" => s3_bucket,
    DynamodbTable = "aws_dynamodb_table" => dynamodb_table,
    LoadBalancer = "aws_lb" => lb,
    LbTargetGroup = "aws_lb_target_group" => lb_target_group,
    LbListener = "aws_lb_listener" => lb_listener,
    LbListenerRule = "aws_lb_listener_rule" => lb_listener_rule,
    DbInstance = "aws_db_instance" => db_instance,
    RdsCluster = "aws_rds_cluster" => rds_cluster,
    DbParameterGroup = "aws_db_parameter_group" => db_parameter_group,
    DbSubnetGroup = "aws_db_subnet_group" => db_subnet_group,
}

impl Kind {
    /// Kinds that are the same in every region of an account (IAM).
    pub fn is_global(self) -> bool {
        self.def().global
    }

    pub fn as_str(self) -> &'static str {
        self.def().name
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for Kind {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl FromStr for Kind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                let known: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                format!("unknown kind `{s}` (known kinds: {})", known.join(", "))
            })
    }
}

/// Where a resource's expected document came from, for messages and diff headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin(pub String);

/// One resource in canonical form.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub document: Value,
    pub origin: Origin,
    /// What the source speaks for: all of it, except for a Terraform state that manages only
    /// part of the resource or cannot know some of its attributes.
    pub scope: Scope,
}

/// The resources one source describes, for the kinds it covers. A kind that is covered but has
/// no entry means "none of this kind exist", which is different from "not covered", unless the
/// kind is `open`.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// Where the resources came from, for people: "golden", "the account (us-east-1)", a path.
    pub source: String,
    pub kinds: Vec<Kind>,
    pub resources: BTreeMap<(Kind, String), Resource>,
    /// Covered kinds of which the source holds only what it describes, not every resource of
    /// its account (a Terraform state; a golden folder that does not record holding the kind):
    /// a resource of such a kind that is not here may well exist. The cross-resource checks do
    /// not judge a reference to it. Empty for the live account.
    pub open: Vec<Kind>,
    /// Where some resources are (account, region), when the source says it per resource: a
    /// Terraform state's ARNs. Others are where the inventory is.
    pub places: BTreeMap<(Kind, String), std::sync::Arc<Place>>,
    /// What AWS or another service owns, set apart from `resources` (never compared, never
    /// unmanaged) but what a reference may name: an RDS-managed secret a task reads. Live only.
    pub aws_owned: BTreeMap<(Kind, String), Resource>,
}

impl Inventory {
    pub fn new(source: impl Into<String>, kinds: &[Kind]) -> Self {
        Inventory {
            source: source.into(),
            kinds: kinds.to_vec(),
            resources: BTreeMap::new(),
            open: Vec::new(),
            places: BTreeMap::new(),
            aws_owned: BTreeMap::new(),
        }
    }

    /// Whether a resource of `kind` that is not here does not exist: the kind is covered and
    /// the source holds every resource of it.
    pub fn is_whole(&self, kind: Kind) -> bool {
        self.kinds.contains(&kind) && !self.open.contains(&kind)
    }

    pub fn insert(&mut self, kind: Kind, id: String, resource: Resource) {
        self.resources.insert((kind, id), resource);
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = (&str, &Resource)> {
        self.resources
            .range((kind, String::new())..)
            .take_while(move |((k, _), _)| *k == kind)
            .map(|((_, id), r)| (id.as_str(), r))
    }
}

/// Which account, partition and region a live inventory (or a golden folder) was taken from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identity {
    pub account: String,
    pub partition: String,
    pub region: String,
}

impl Identity {
    /// Whether what was taken from `self` and from `other` is of the same owner for `kinds`:
    /// account and partition, and the region only when a regional kind is in scope (IAM is the
    /// same in every region). Golden folders and history memory are compared by this rule.
    pub fn same_owner(&self, other: &Identity, kinds: &[Kind]) -> bool {
        let regional = kinds.iter().any(|k| !k.is_global());
        self.account == other.account
            && self.partition == other.partition
            && (!regional || self.region == other.region)
    }
}

/// Where a resource or an inventory is, as far as it is known: parts not known are `None`.
/// IAM resources have no region.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Place {
    pub partition: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
}

impl Place {
    /// The parts `self` does not know, taken from `other`.
    pub fn or(&self, other: &Place) -> Place {
        Place {
            partition: self.partition.clone().or_else(|| other.partition.clone()),
            account: self.account.clone().or_else(|| other.account.clone()),
            region: self.region.clone().or_else(|| other.region.clone()),
        }
    }
}

impl From<&Identity> for Place {
    fn from(i: &Identity) -> Place {
        Place {
            partition: Some(i.partition.clone()),
            account: Some(i.account.clone()),
            region: Some(i.region.clone()),
        }
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "account {}", self.account)?;
        if self.partition != "aws" {
            write!(f, " ({})", self.partition)?;
        }
        write!(f, ", region {}", self.region)
    }
}
