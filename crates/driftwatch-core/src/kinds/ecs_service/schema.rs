//! The tables of `aws_ecs_service` (see `kinds::TerraformType`).

use crate::kinds::TerraformType;
use crate::terraform::map::schema::TERRAFORM_ONLY;

const PER_DEPLOYMENT: &str =
    "DescribeServices reports it per deployment only, and deployments are not compared";

pub(super) const SERVICE: TerraformType = TerraformType {
    name: "aws_ecs_service",
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
    numbers: &[
        "desired_count",
        "deployment_maximum_percent",
        "deployment_minimum_healthy_percent",
        "health_check_grace_period_seconds",
        "load_balancer.container_port",
        "capacity_provider_strategy.base",
        "capacity_provider_strategy.weight",
        "service_registries.port",
        "service_registries.container_port",
        "service_connect_configuration.service.ingress_port_override",
        "service_connect_configuration.service.client_alias.port",
        "service_connect_configuration.service.timeout.idle_timeout_seconds",
        "service_connect_configuration.service.timeout.per_request_timeout_seconds",
        "volume_configuration.managed_ebs_volume.size_in_gb",
        "volume_configuration.managed_ebs_volume.iops",
        "volume_configuration.managed_ebs_volume.throughput",
    ],
    bools: &[
        "enable_ecs_managed_tags",
        "enable_execute_command",
        "force_new_deployment",
        "force_delete",
        "wait_for_steady_state",
        "sigint_rollback",
        "network_configuration.assign_public_ip",
        "deployment_circuit_breaker.enable",
        "deployment_circuit_breaker.rollback",
        "alarms.enable",
        "alarms.rollback",
        "service_connect_configuration.enabled",
        "volume_configuration.managed_ebs_volume.encrypted",
    ],
};
