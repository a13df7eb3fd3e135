//! Every top-level attribute of each mapped Terraform type (aws provider 2.x to 6.x, from the
//! provider's documentation), and what becomes of it: the canonical paths it is mapped to, or
//! why it is knowingly not compared. README.md's "Terraform attributes not compared" table
//! mirrors [`Schema::not_compared`]; a test keeps fixtures, this file and the README in step.
//! Also says which canonical paths a state could not know (an attribute absent from the
//! instance: a provider schema from before the attribute existed). Pure.

use serde_json::Value;

/// What driftwatch does with each attribute of one Terraform type.
pub struct Schema {
    pub r#type: &'static str,
    /// Attributes that are compared, with the canonical paths they make (none for the
    /// resource's identity and for related resources, whose claims say what they hold).
    pub mapped: &'static [(&'static str, &'static [&'static str])],
    /// Attributes that are not compared, with the reason.
    pub not_compared: &'static [(&'static str, &'static str)],
}

const AWS_ASSIGNED: &str = "assigned by AWS (identity, not a setting)";
const TERRAFORM_ONLY: &str = "how Terraform creates, updates or deletes it; AWS does not store it";
const REGION: &str = "provider 6.x: the region of the resource, which is the target's region";
const NAME_PREFIX: &str = "only how Terraform chose the name; `name` holds the result";
const PER_DEPLOYMENT: &str =
    "DescribeServices reports it per deployment only, and deployments are not compared";

/// Attributes of every mapped type that are not compared.
pub const COMMON: &[(&str, &str)] = &[
    ("id", AWS_ASSIGNED),
    ("arn", AWS_ASSIGNED),
    ("region", REGION),
    ("timeouts", TERRAFORM_ONLY),
];

pub const SCHEMAS: &[Schema] = &[
    Schema {
        r#type: "aws_ecs_task_definition",
        mapped: &[
            ("family", &[]),
            ("container_definitions", &["/containerDefinitions"]),
            ("cpu", &["/cpu"]),
            ("memory", &["/memory"]),
            ("network_mode", &["/networkMode"]),
            ("requires_compatibilities", &["/requiresCompatibilities"]),
            ("task_role_arn", &["/taskRoleArn"]),
            ("execution_role_arn", &["/executionRoleArn"]),
            ("ipc_mode", &["/ipcMode"]),
            ("pid_mode", &["/pidMode"]),
            ("placement_constraints", &["/placementConstraints"]),
            ("volume", &["/volumes"]),
            ("ephemeral_storage", &["/ephemeralStorage"]),
            ("runtime_platform", &["/runtimePlatform"]),
            ("proxy_configuration", &["/proxyConfiguration"]),
            ("inference_accelerator", &["/inferenceAccelerators"]),
            ("enable_fault_injection", &["/enableFaultInjection"]),
            ("tags", &["/tags"]),
            ("tags_all", &["/tags"]),
        ],
        not_compared: &[
            ("revision", AWS_ASSIGNED),
            ("arn_without_revision", AWS_ASSIGNED),
            ("skip_destroy", TERRAFORM_ONLY),
            ("track_latest", TERRAFORM_ONLY),
        ],
    },
    Schema {
        r#type: "aws_ecs_service",
        mapped: &[
            ("name", &[]),
            ("cluster", &[]),
            ("task_definition", &["/taskDefinition"]),
            ("desired_count", &["/desiredCount"]),
            ("launch_type", &["/launchType"]),
            ("platform_version", &["/platformVersion"]),
            ("scheduling_strategy", &["/schedulingStrategy"]),
            ("enable_ecs_managed_tags", &["/enableECSManagedTags"]),
            ("enable_execute_command", &["/enableExecuteCommand"]),
            ("propagate_tags", &["/propagateTags"]),
            (
                "health_check_grace_period_seconds",
                &["/healthCheckGracePeriodSeconds"],
            ),
            ("iam_role", &["/roleArn"]),
            ("network_configuration", &["/networkConfiguration"]),
            ("load_balancer", &["/loadBalancers"]),
            ("service_registries", &["/serviceRegistries"]),
            ("capacity_provider_strategy", &["/capacityProviderStrategy"]),
            ("ordered_placement_strategy", &["/placementStrategy"]),
            ("placement_constraints", &["/placementConstraints"]),
            (
                "availability_zone_rebalancing",
                &["/availabilityZoneRebalancing"],
            ),
            (
                "deployment_maximum_percent",
                &["/deploymentConfiguration/maximumPercent"],
            ),
            (
                "deployment_minimum_healthy_percent",
                &["/deploymentConfiguration/minimumHealthyPercent"],
            ),
            (
                "deployment_circuit_breaker",
                &["/deploymentConfiguration/deploymentCircuitBreaker"],
            ),
            ("alarms", &["/deploymentConfiguration/alarms"]),
            (
                "deployment_configuration",
                &[
                    "/deploymentConfiguration/strategy",
                    "/deploymentConfiguration/bakeTimeInMinutes",
                    "/deploymentConfiguration/lifecycleHooks",
                ],
            ),
            ("deployment_controller", &["/deploymentController"]),
            ("tags", &["/tags"]),
            ("tags_all", &["/tags"]),
        ],
        not_compared: &[
            ("service_connect_configuration", PER_DEPLOYMENT),
            ("volume_configuration", PER_DEPLOYMENT),
            ("vpc_lattice_configurations", PER_DEPLOYMENT),
            ("force_delete", TERRAFORM_ONLY),
            ("force_new_deployment", TERRAFORM_ONLY),
            ("triggers", TERRAFORM_ONLY),
            ("wait_for_steady_state", TERRAFORM_ONLY),
            ("sigint_rollback", TERRAFORM_ONLY),
        ],
    },
    Schema {
        r#type: "aws_iam_role",
        mapped: &[
            ("name", &[]),
            ("path", &["/Path"]),
            ("description", &["/Description"]),
            ("max_session_duration", &["/MaxSessionDuration"]),
            ("permissions_boundary", &["/PermissionsBoundary"]),
            ("assume_role_policy", &["/AssumeRolePolicyDocument"]),
            ("inline_policy", &["/RolePolicyList"]),
            ("managed_policy_arns", &["/AttachedManagedPolicies"]),
            ("tags", &["/Tags"]),
            ("tags_all", &["/Tags"]),
        ],
        not_compared: &[
            ("unique_id", AWS_ASSIGNED),
            ("create_date", AWS_ASSIGNED),
            ("name_prefix", NAME_PREFIX),
            ("force_detach_policies", TERRAFORM_ONLY),
        ],
    },
    Schema {
        r#type: "aws_iam_policy",
        mapped: &[
            ("name", &[]),
            ("path", &["/Path"]),
            ("description", &["/Description"]),
            ("policy", &["/PolicyDocument"]),
            ("tags", &["/Tags"]),
            ("tags_all", &["/Tags"]),
        ],
        not_compared: &[
            ("policy_id", AWS_ASSIGNED),
            (
                "attachment_count",
                "observed, not set: attachments are compared on the roles",
            ),
            ("name_prefix", NAME_PREFIX),
            ("delay_after_policy_creation_in_ms", TERRAFORM_ONLY),
        ],
    },
    Schema {
        r#type: "aws_sqs_queue",
        mapped: &[
            ("name", &[]),
            ("visibility_timeout_seconds", &["/VisibilityTimeout"]),
            ("message_retention_seconds", &["/MessageRetentionPeriod"]),
            ("delay_seconds", &["/DelaySeconds"]),
            ("max_message_size", &["/MaximumMessageSize"]),
            (
                "receive_wait_time_seconds",
                &["/ReceiveMessageWaitTimeSeconds"],
            ),
            ("fifo_queue", &["/FifoQueue"]),
            (
                "content_based_deduplication",
                &["/ContentBasedDeduplication"],
            ),
            ("deduplication_scope", &["/DeduplicationScope"]),
            ("fifo_throughput_limit", &["/FifoThroughputLimit"]),
            ("kms_master_key_id", &["/KmsMasterKeyId"]),
            (
                "kms_data_key_reuse_period_seconds",
                &["/KmsDataKeyReusePeriodSeconds"],
            ),
            ("sqs_managed_sse_enabled", &["/SqsManagedSseEnabled"]),
            ("policy", &["/Policy"]),
            ("redrive_policy", &["/RedrivePolicy"]),
            ("redrive_allow_policy", &["/RedriveAllowPolicy"]),
            ("tags", &["/Tags"]),
            ("tags_all", &["/Tags"]),
        ],
        not_compared: &[("url", AWS_ASSIGNED), ("name_prefix", NAME_PREFIX)],
    },
    Schema {
        r#type: "aws_security_group",
        mapped: SECURITY_GROUP,
        not_compared: &[
            ("owner_id", AWS_ASSIGNED),
            ("name_prefix", NAME_PREFIX),
            ("revoke_rules_on_delete", TERRAFORM_ONLY),
        ],
    },
    Schema {
        r#type: "aws_default_security_group",
        mapped: SECURITY_GROUP,
        not_compared: &[
            ("owner_id", AWS_ASSIGNED),
            ("revoke_rules_on_delete", TERRAFORM_ONLY),
        ],
    },
    Schema {
        r#type: "aws_security_group_rule",
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
    },
    Schema {
        r#type: "aws_vpc_security_group_ingress_rule",
        mapped: VPC_RULE,
        not_compared: VPC_RULE_NOT_COMPARED,
    },
    Schema {
        r#type: "aws_vpc_security_group_egress_rule",
        mapped: VPC_RULE,
        not_compared: VPC_RULE_NOT_COMPARED,
    },
    Schema {
        r#type: "aws_iam_role_policy",
        mapped: &[("role", &[]), ("name", &[]), ("policy", &[])],
        not_compared: &[("name_prefix", NAME_PREFIX)],
    },
    Schema {
        r#type: "aws_iam_role_policy_attachment",
        mapped: &[("role", &[]), ("policy_arn", &[])],
        not_compared: &[],
    },
    Schema {
        r#type: "aws_iam_policy_attachment",
        mapped: &[("roles", &[]), ("policy_arn", &[])],
        not_compared: &[
            ("users", "IAM users are not a kind driftwatch checks"),
            ("groups", "IAM groups are not a kind driftwatch checks"),
            ("name", "Terraform's own name for the attachment"),
        ],
    },
    Schema {
        r#type: "aws_sqs_queue_policy",
        mapped: &[("queue_url", &[]), ("policy", &[])],
        not_compared: &[],
    },
    Schema {
        r#type: "aws_sqs_queue_redrive_policy",
        mapped: &[("queue_url", &[]), ("redrive_policy", &[])],
        not_compared: &[],
    },
    Schema {
        r#type: "aws_sqs_queue_redrive_allow_policy",
        mapped: &[("queue_url", &[]), ("redrive_allow_policy", &[])],
        not_compared: &[],
    },
];

const SECURITY_GROUP: &[(&str, &[&str])] = &[
    ("name", &["/GroupName"]),
    ("description", &["/Description"]),
    ("vpc_id", &["/VpcId"]),
    ("ingress", &["/IpPermissions"]),
    ("egress", &["/IpPermissionsEgress"]),
    ("tags", &["/Tags"]),
    ("tags_all", &["/Tags"]),
];

const VPC_RULE: &[(&str, &[&str])] = &[
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

const VPC_RULE_NOT_COMPARED: &[(&str, &str)] = &[
    ("security_group_rule_id", AWS_ASSIGNED),
    (
        "tags",
        "tags of the rule itself; driftwatch compares a group's rules, not their tags",
    ),
    (
        "tags_all",
        "tags of the rule itself; driftwatch compares a group's rules, not their tags",
    ),
];

/// The schema of a mapped type.
pub fn of(r#type: &str) -> Option<&'static Schema> {
    SCHEMAS.iter().find(|s| s.r#type == r#type)
}

/// Why an attribute of `type` is not compared, if it is not (common attributes included).
pub fn not_compared(r#type: &str, attribute: &str) -> Option<&'static str> {
    of(r#type)
        .into_iter()
        .flat_map(|s| s.not_compared)
        .chain(COMMON)
        .find(|(name, _)| *name == attribute)
        .map(|(_, why)| *why)
}

/// The canonical paths an instance of `type` cannot speak for: those whose every attribute is
/// absent from it. A provider schema from before an attribute existed (provider 3.x has no
/// `sqs_managed_sse_enabled`) says nothing about it, which is not "the AWS default".
pub fn unknown_paths(r#type: &str, attributes: &Value) -> Vec<String> {
    let Some(sources) = sources(r#type) else {
        return Vec::new();
    };
    // Which of the type's attributes the instance has: one walk along its sorted keys.
    let mut present = vec![false; sources.names.len()];
    if let Value::Object(m) = attributes {
        let mut keys = m.keys().peekable();
        for (name, present) in sources.names.iter().zip(present.iter_mut()) {
            while keys.next_if(|k| k.as_str() < *name).is_some() {}
            *present = keys.peek().is_some_and(|k| k.as_str() == *name);
        }
    }
    sources
        .paths
        .iter()
        .filter(|(_, names)| names.iter().all(|&i| !present[i]))
        .map(|(path, _)| path.to_string())
        .collect()
}

/// A type's canonical paths and the attributes each is mapped from.
struct Sources {
    /// The attributes that make some path, sorted, each once.
    names: Vec<&'static str>,
    /// Each path (sorted, each once) with its attributes, as indexes into `names`.
    paths: Vec<(&'static str, Vec<usize>)>,
}

/// The [`Sources`] of `type`: worked out once per type, not once per instance (a state can
/// hold 50,000 of one type).
fn sources(r#type: &str) -> Option<&'static Sources> {
    static TABLE: std::sync::OnceLock<Vec<(&'static str, Sources)>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        SCHEMAS
            .iter()
            .map(|schema| (schema.r#type, sources_of(schema)))
            .collect()
    });
    // `of` finds the first schema of a type; so does this.
    table.iter().find(|(t, _)| *t == r#type).map(|(_, s)| s)
}

fn sources_of(schema: &Schema) -> Sources {
    let mapped = schema.mapped.iter().filter(|(_, paths)| !paths.is_empty());
    let mut names: Vec<&str> = mapped.clone().map(|(name, _)| *name).collect();
    names.sort_unstable();
    names.dedup();
    let mut paths: Vec<&str> = mapped
        .clone()
        .flat_map(|(_, p)| p.iter().copied())
        .collect();
    paths.sort_unstable();
    paths.dedup();
    let paths = paths
        .into_iter()
        .map(|path| {
            let of_path = mapped
                .clone()
                .filter(|(_, p)| p.contains(&path))
                .filter_map(|(name, _)| names.iter().position(|n| n == name))
                .collect();
            (path, of_path)
        })
        .collect();
    Sources { names, paths }
}
