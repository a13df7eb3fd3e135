"""Writes demo/terraform.tfstate: the demo environment as Terraform (aws provider 5.x) would
record it, so `driftwatch check --state demo/terraform.tfstate` has a real reference to compare
with. Run by `scripts/demo --regenerate-golden` against a freshly seeded server (for the
generated ids of subnets and security groups); the definitions come from seed.py.
"""

import json
import os
import sys

import boto3

sys.path.insert(0, os.path.dirname(__file__))
import seed  # noqa: E402

ACCOUNT, REGION = seed.ACCOUNT, seed.REGION
PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]'


def resource(ty, name, attributes, module=None):
    r = {"mode": "managed", "type": ty, "name": name, "provider": PROVIDER,
         "instances": [{"schema_version": 0, "attributes": attributes}]}
    if module:
        r["module"] = module
    return r


def task_definition(td):
    return {
        "family": td["family"], "id": td["family"], "revision": 1,
        "arn": f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{td['family']}:1",
        "container_definitions": json.dumps(td["containerDefinitions"]),
        "cpu": td["cpu"], "memory": td["memory"], "network_mode": td["networkMode"],
        "requires_compatibilities": td["requiresCompatibilities"],
        "task_role_arn": td["taskRoleArn"], "execution_role_arn": td["executionRoleArn"],
        "ipc_mode": "", "pid_mode": "", "volume": [], "placement_constraints": [],
        "proxy_configuration": [], "ephemeral_storage": [], "runtime_platform": [],
        "tags": {t["key"]: t["value"] for t in td["tags"]},
    }


def main():
    ec2 = boto3.client("ec2", region_name=REGION)
    groups = {g["GroupName"]: g for g in ec2.describe_security_groups()["SecurityGroups"]}
    subnets = sorted(s["SubnetId"] for s in ec2.describe_subnets(
        Filters=[{"Name": "cidr-block", "Values": ["10.20.1.0/24", "10.20.2.0/24"]}])["Subnets"])
    gid = {n: groups[f"retainwise-{n}"]["GroupId"] for n in ["alb", "backend", "worker"]}
    vpc = groups["retainwise-backend"]["VpcId"]
    target_group = boto3.client("elbv2", region_name=REGION).describe_target_groups(
        Names=[seed.TARGET_GROUP])["TargetGroups"][0]["TargetGroupArn"]
    load_balancers = {"backend": [{"target_group_arn": target_group, "container_name": "backend",
                                   "container_port": 8000, "elb_name": ""}], "worker": []}
    url = lambda q: f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{q}"
    arn = lambda q: f"arn:aws:sqs:{REGION}:{ACCOUNT}:{q}"
    resources = []

    # ECS
    for td in [seed.backend_task_definition(), seed.worker_task_definition()]:
        name = td["family"].removeprefix("retainwise-")
        resources.append(resource("aws_ecs_task_definition", name, task_definition(td), "module.ecs"))
    for name, desired in [("backend", 2), ("worker", 1)]:
        resources.append(resource("aws_ecs_service", name, {
            "name": name, "cluster": f"arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/retainwise-prod",
            "task_definition": f"arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/retainwise-{name}:1",
            "desired_count": desired, "launch_type": "FARGATE", "platform_version": "LATEST",
            "scheduling_strategy": "REPLICA", "propagate_tags": "NONE",
            "deployment_maximum_percent": 200, "deployment_minimum_healthy_percent": 100,
            "network_configuration": [{"subnets": subnets, "security_groups": [gid[name]],
                                       "assign_public_ip": False}],
            "load_balancer": load_balancers[name], "tags": {"app": "retainwise"}}, "module.ecs"))

    # IAM
    tags = {"app": "retainwise"}
    trust = json.dumps(seed.ECS_TASKS_TRUST)
    read_secrets = json.dumps(seed.READ_APP_SECRETS)
    resources.append(resource("aws_iam_role", "execution", {
        "name": "retainwise-ecs-execution", "path": "/", "assume_role_policy": trust,
        "description": "ECS agent: pull images, write logs, read secrets", "max_session_duration": 3600,
        "tags": tags, "inline_policy": [{"name": "read-app-secrets", "policy": read_secrets}],
        "managed_policy_arns": [
            "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]}))
    resources.append(resource("aws_iam_role_policy", "execution_secrets", {
        "role": "retainwise-ecs-execution", "name": "read-app-secrets", "policy": read_secrets}))
    resources.append(resource("aws_iam_role_policy_attachment", "execution", {
        "role": "retainwise-ecs-execution",
        "policy_arn": "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"}))
    resources.append(resource("aws_iam_role", "backend_task", {
        "name": "retainwise-backend-task", "path": "/", "assume_role_policy": trust,
        "max_session_duration": 3600, "tags": tags, "managed_policy_arns": [],
        "inline_policy": [{"name": "publish-predictions", "policy": json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": ["sqs:SendMessage", "sqs:GetQueueAttributes"], "Resource": seed.QUEUE_ARN}]})}]}))
    consume = json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [
            "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
            "sqs:GetQueueAttributes"], "Resource": seed.QUEUE_ARN}]})
    # Provider 5.x records every role's inline and attached policies (computed on refresh), also
    # those managed by separate aws_iam_role_policy / _attachment resources.
    resources.append(resource("aws_iam_role", "worker_task", {
        "name": "retainwise-worker-task", "path": "/", "assume_role_policy": trust,
        "max_session_duration": 3600, "tags": tags, "managed_policy_arns": [],
        "inline_policy": [{"name": "consume-predictions", "policy": consume}]}))
    resources.append(resource("aws_iam_role_policy", "worker_task", {
        "role": "retainwise-worker-task", "name": "consume-predictions", "policy": consume}))
    resources.append(resource("aws_iam_policy", "deploy", {
        "name": "retainwise-deploy", "path": "/", "description": "What the GitHub deploy role may do",
        "policy": json.dumps(seed.deploy_policy()), "tags": tags}))
    resources.append(resource("aws_iam_role", "github_deploy", {
        "name": "retainwise-github-deploy", "path": "/", "assume_role_policy": json.dumps(seed.GITHUB_TRUST),
        "max_session_duration": 3600, "tags": tags, "inline_policy": [],
        "managed_policy_arns": [f"arn:aws:iam::{ACCOUNT}:policy/retainwise-deploy"]}))

    # SQS
    def queue(name, retention, extra=None):
        a = {"name": name, "id": url(name), "url": url(name), "visibility_timeout_seconds": 30,
             "message_retention_seconds": retention, "delay_seconds": 0, "max_message_size": 1048576,
             "receive_wait_time_seconds": 0, "fifo_queue": False, "content_based_deduplication": False,
             "kms_master_key_id": "", "kms_data_key_reuse_period_seconds": 300,
             "sqs_managed_sse_enabled": True, "policy": "", "redrive_policy": "",
             "redrive_allow_policy": "", "tags": {"app": "retainwise"}}
        a.update(extra or {})
        return a
    resources.append(resource("aws_sqs_queue", "dlq", queue("prod-retainwise-predictions-dlq", 1209600), "module.queues"))
    resources.append(resource("aws_sqs_queue", "predictions", queue("prod-retainwise-predictions-queue", 345600, {
        "visibility_timeout_seconds": 300, "receive_wait_time_seconds": 20}), "module.queues"))
    resources.append(resource("aws_sqs_queue_redrive_policy", "predictions", {
        "queue_url": url("prod-retainwise-predictions-queue"),
        "redrive_policy": json.dumps({"deadLetterTargetArn": arn("prod-retainwise-predictions-dlq"),
                                      "maxReceiveCount": 3})}, "module.queues"))

    # Security groups
    def group(key, description):
        return {"id": gid[key], "name": f"retainwise-{key}", "description": description, "vpc_id": vpc,
                "owner_id": ACCOUNT, "ingress": [], "tags": {"Name": f"retainwise-{key}", "app": "retainwise"},
                "egress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"],
                            "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": [],
                            "self": False, "description": ""}]}
    resources.append(resource("aws_security_group", "alb", group("alb", "Public load balancer")))
    resources.append(resource("aws_vpc_security_group_ingress_rule", "alb_https", {
        "security_group_id": gid["alb"], "ip_protocol": "tcp", "from_port": 443, "to_port": 443,
        "cidr_ipv4": "0.0.0.0/0", "description": "HTTPS from anywhere"}))
    resources.append(resource("aws_security_group", "backend", group("backend", "API tasks")))
    resources.append(resource("aws_security_group_rule", "backend_from_alb", {
        "security_group_id": gid["backend"], "type": "ingress", "protocol": "tcp", "from_port": 8000,
        "to_port": 8000, "source_security_group_id": gid["alb"], "self": False,
        "description": "from the load balancer"}))
    resources.append(resource("aws_security_group", "worker", group("worker", "Queue workers")))
    # The app's dependencies: its image repository, log groups, secret and parameter.
    repo_arn = f"arn:aws:ecr:{REGION}:{ACCOUNT}:repository/retainwise-backend"
    resources.append(resource("aws_ecr_repository", "backend", {
        "name": "retainwise-backend", "id": "retainwise-backend", "arn": repo_arn, "registry_id": ACCOUNT,
        "repository_url": f"{seed.ECR}/retainwise-backend", "image_tag_mutability": "IMMUTABLE",
        "image_scanning_configuration": [{"scan_on_push": True}],
        "encryption_configuration": [{"encryption_type": "AES256", "kms_key": ""}],
        "force_delete": False, "tags": tags, "tags_all": tags}, "module.ecr"))
    resources.append(resource("aws_ecr_lifecycle_policy", "backend", {
        "id": "retainwise-backend", "repository": "retainwise-backend", "registry_id": ACCOUNT,
        "policy": json.dumps(seed.LIFECYCLE_POLICY)}, "module.ecr"))
    for key in ["backend", "worker"]:
        name = f"/ecs/retainwise-{key}"
        resources.append(resource("aws_cloudwatch_log_group", key, {
            "name": name, "id": name, "arn": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{name}",
            "retention_in_days": seed.LOG_RETENTION_DAYS, "kms_key_id": "", "log_group_class": "STANDARD",
            "name_prefix": "", "skip_destroy": False, "tags": tags, "tags_all": tags}, "module.ecs"))
    secret_arn = boto3.client("secretsmanager", region_name=REGION).describe_secret(
        SecretId=seed.DB_SECRET_NAME)["ARN"]
    resources.append(resource("aws_secretsmanager_secret", "database_url", {
        "name": seed.DB_SECRET_NAME, "id": secret_arn, "arn": secret_arn,
        "description": "Postgres URL of the production database", "kms_key_id": "", "policy": "",
        "recovery_window_in_days": 30, "force_overwrite_replica_secret": False, "replica": [],
        "name_prefix": "", "tags": tags, "tags_all": tags}, "module.secrets"))
    # Terraform keeps the secret's value in the state; driftwatch drops it when reading.
    resources.append(resource("aws_secretsmanager_secret_version", "database_url", {
        "id": f"{secret_arn}|demo-version", "arn": secret_arn, "secret_id": secret_arn,
        "secret_string": "postgres://placeholder", "secret_binary": "", "version_id": "demo-version",
        "version_stages": ["AWSCURRENT"]}, "module.secrets"))
    resources.append(resource("aws_ssm_parameter", "sentry_dsn", {
        "name": seed.SENTRY_PARAMETER, "id": seed.SENTRY_PARAMETER,
        "arn": f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter{seed.SENTRY_PARAMETER}",
        "type": "SecureString", "tier": "Standard", "data_type": "text", "key_id": "alias/aws/ssm",
        "description": "Where the worker reports errors", "allowed_pattern": "", "overwrite": None,
        "value": "https://placeholder@sentry.invalid/1", "insecure_value": None, "version": 1,
        "tags": tags, "tags_all": tags}, "module.secrets"))

    # In front of and behind the API: the load balancer, its target group, listener and rule,
    # the database's group, subnet group and instance (live ARNs: Terraform keeps them).
    elbv2 = boto3.client("elbv2", region_name=REGION)
    lb = elbv2.describe_load_balancers(Names=[seed.LOAD_BALANCER])["LoadBalancers"][0]
    listener = elbv2.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"][0]
    rule = [r for r in elbv2.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"]
            if not r["IsDefault"]][0]
    none = {"forward": [], "redirect": [], "fixed_response": [], "authenticate_cognito": [],
            "authenticate_oidc": []}
    resources.append(resource("aws_lb", "api", {
        "arn": lb["LoadBalancerArn"], "id": lb["LoadBalancerArn"], "name": seed.LOAD_BALANCER,
        "name_prefix": "", "internal": False, "load_balancer_type": "application",
        "ip_address_type": "ipv4", "vpc_id": vpc, "subnets": subnets,
        "subnet_mapping": [{"subnet_id": s, "allocation_id": "", "ipv6_address": "", "outpost_id": "",
                            "private_ipv4_address": ""} for s in subnets],
        "security_groups": [gid["alb"]], "customer_owned_ipv4_pool": "", "dns_name": lb["DNSName"],
        "access_logs": [{"bucket": "", "enabled": False, "prefix": ""}],
        "connection_logs": [{"bucket": "", "enabled": False, "prefix": ""}],
        "client_keep_alive": 3600, "desync_mitigation_mode": "defensive",
        "drop_invalid_header_fields": False, "enable_cross_zone_load_balancing": True,
        "enable_deletion_protection": True, "enable_http2": True,
        "enable_tls_version_and_cipher_suite_headers": False, "enable_waf_fail_open": False,
        "enable_xff_client_port": False, "enable_zonal_shift": False, "idle_timeout": 120,
        "preserve_host_header": False, "xff_header_processing_mode": "append",
        "tags": tags, "tags_all": tags}, "module.edge"))
    resources.append(resource("aws_lb_target_group", "api", {
        "arn": target_group, "id": target_group, "name": seed.TARGET_GROUP, "name_prefix": "",
        "port": 8000, "protocol": "HTTP", "protocol_version": "HTTP1", "vpc_id": vpc, "target_type": "ip",
        "ip_address_type": "ipv4", "deregistration_delay": "30", "slow_start": 0,
        "load_balancing_algorithm_type": "round_robin", "load_balancing_anomaly_mitigation": "off",
        "load_balancing_cross_zone_enabled": "use_load_balancer_configuration",
        "lambda_multi_value_headers_enabled": False, "proxy_protocol_v2": False,
        "health_check": [{"enabled": True, "healthy_threshold": 5, "interval": 30, "matcher": "200",
                          "path": "/health", "port": "traffic-port", "protocol": "HTTP", "timeout": 5,
                          "unhealthy_threshold": 2}],
        "stickiness": [{"cookie_duration": 86400, "cookie_name": "", "enabled": False, "type": "lb_cookie"}],
        "load_balancer_arns": [lb["LoadBalancerArn"]], "tags": tags, "tags_all": tags}, "module.edge"))
    resources.append(resource("aws_lb_listener", "https", {
        "arn": listener["ListenerArn"], "id": listener["ListenerArn"],
        "load_balancer_arn": lb["LoadBalancerArn"], "port": 443, "protocol": "HTTPS",
        "ssl_policy": listener["SslPolicy"], "certificate_arn": listener["Certificates"][0]["CertificateArn"],
        "alpn_policy": None, "mutual_authentication": [],
        "default_action": [dict(none, type="fixed-response", order=1, target_group_arn="", fixed_response=[
            {"content_type": "text/plain", "message_body": "not found", "status_code": "404"}])],
        "tags": {}, "tags_all": {}}, "module.edge"))
    resources.append(resource("aws_lb_listener_rule", "api", {
        "arn": rule["RuleArn"], "id": rule["RuleArn"], "listener_arn": listener["ListenerArn"], "priority": 10,
        "condition": [{"host_header": [], "http_header": [], "http_request_method": [],
                       "path_pattern": [{"values": ["/api/*"]}], "query_string": [], "source_ip": []}],
        "action": [dict(none, type="forward", order=1, target_group_arn=target_group)],
        "tags": tags, "tags_all": tags}, "module.edge"))
    db_group = groups["retainwise-db"]["GroupId"]
    resources.append(resource("aws_security_group", "db", dict(
        group("backend", "Postgres"), id=db_group, name="retainwise-db",
        tags={"Name": "retainwise-db", "app": "retainwise"})))
    resources.append(resource("aws_security_group_rule", "db_from_backend", {
        "security_group_id": db_group, "type": "ingress", "protocol": "tcp", "from_port": 5432,
        "to_port": 5432, "source_security_group_id": gid["backend"], "self": False,
        "description": "from the API tasks"}))
    resources.append(resource("aws_db_subnet_group", "prod", {
        "arn": f"arn:aws:rds:{REGION}:{ACCOUNT}:subgrp:retainwise-prod", "id": "retainwise-prod",
        "name": "retainwise-prod", "name_prefix": "", "description": "Private subnets",
        "subnet_ids": subnets, "supported_network_types": ["IPV4"], "vpc_id": vpc,
        "tags": tags, "tags_all": tags}, "module.database"))
    db = boto3.client("rds", region_name=REGION).describe_db_instances(
        DBInstanceIdentifier=seed.DB_INSTANCE)["DBInstances"][0]
    resources.append(resource("aws_db_instance", "prod", {
        "arn": db["DBInstanceArn"], "id": db["DbiResourceId"], "identifier": seed.DB_INSTANCE,
        "identifier_prefix": "", "address": db["Endpoint"]["Address"], "port": 5432,
        "endpoint": f'{db["Endpoint"]["Address"]}:5432', "engine": "postgres", "engine_version": "16",
        "engine_version_actual": db["EngineVersion"], "instance_class": "db.t4g.micro",
        "allocated_storage": 20, "storage_type": "gp3", "iops": 0, "storage_encrypted": True,
        "kms_key_id": db.get("KmsKeyId", ""), "multi_az": False, "publicly_accessible": False,
        "db_subnet_group_name": "retainwise-prod", "vpc_security_group_ids": [db_group],
        "parameter_group_name": "default.postgres16", "backup_retention_period": 7,
        "backup_window": db["PreferredBackupWindow"], "maintenance_window": db["PreferredMaintenanceWindow"],
        "deletion_protection": True, "iam_database_authentication_enabled": False,
        "performance_insights_enabled": False, "monitoring_interval": 0,
        "ca_cert_identifier": db["CACertificateIdentifier"], "username": "retainwise",
        "password": "placeholder-not-a-secret", "manage_master_user_password": None,
        "master_user_secret": [], "skip_final_snapshot": True, "apply_immediately": False,
        "tags": tags, "tags_all": tags}, "module.database"))

    state = {"version": 4, "terraform_version": "1.9.5", "serial": 1,
             "lineage": "driftwatch-demo", "outputs": {}, "resources": resources}
    path = os.path.join(os.path.dirname(__file__), "terraform.tfstate")
    with open(path + ".tmp", "w") as f:
        json.dump(state, f, indent=2)
        f.write("\n")
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
