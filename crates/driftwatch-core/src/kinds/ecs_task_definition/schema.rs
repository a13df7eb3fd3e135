//! The tables of `aws_ecs_task_definition` (see `kinds::TerraformType`).

use crate::kinds::TerraformType;
use crate::terraform::map::schema::{AWS_ASSIGNED, TERRAFORM_ONLY};

pub(super) const TASK_DEFINITION: TerraformType = TerraformType {
    name: "aws_ecs_task_definition",
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
    numbers: &[
        "revision",
        "ephemeral_storage.size_in_gib",
        "volume.efs_volume_configuration.transit_encryption_port",
    ],
    bools: &[
        "skip_destroy",
        "track_latest",
        "enable_fault_injection",
        "volume.configure_at_launch",
        "volume.docker_volume_configuration.autoprovision",
    ],
};
