"""Seeds a local AWS-compatible server with the demo environment.

The environment is a small SaaS backend (see the README): an API service that accepts CSV uploads
and publishes prediction jobs to SQS, and a worker that consumes them, on ECS Fargate.

    seed.py           the committed, expected state (what golden/ describes)
    seed.py --drift   the same, then the out-of-band changes a real team made by hand

Talks only to AWS_ENDPOINT_URL; refuses to run without it, so it can never touch a real account.
"""

import json
import os
import sys
import urllib.request

import boto3

ACCOUNT = "123456789012"
REGION = "us-east-1"
ECR = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com"
QUEUE_URL = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/prod-retainwise-predictions-queue"
DB_SECRET_NAME = "retainwise/prod/database-url"
DB_SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{DB_SECRET_NAME}-Q1w2E3"
SENTRY_PARAMETER = "/retainwise/prod/sentry-dsn"
IMAGE_TAG = "3f2c1a9"
LOG_RETENTION_DAYS = 30
# The Terraform S3 backend: the state bucket (the demo's state lives there) and the lock table.
STATE_BUCKET = "retainwise-terraform-state"
STATE_KEY = "prod/terraform.tfstate"
LOCK_TABLE = "retainwise-terraform-locks"
# The Postgres instance the backend reads and writes (and its migrations run against). The
# endpoint's middle label is the account's own on AWS; the local server always says aaaaaaaaaa.
DB_INSTANCE = "retainwise-prod"
DB_HOST = f"{DB_INSTANCE}.aaaaaaaaaa.{REGION}.rds.amazonaws.com"
LOAD_BALANCER = "retainwise-alb"
TARGET_GROUP = "retainwise-backend"


def role(name):
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def logs(family, prefix):
    return {
        "logDriver": "awslogs",
        "options": {
            "awslogs-group": f"/ecs/{family}",
            "awslogs-region": REGION,
            "awslogs-stream-prefix": prefix,
        },
    }


def backend_task_definition(image_tag=IMAGE_TAG):
    return dict(
        family="retainwise-backend",
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="512",
        memory="1024",
        taskRoleArn=role("retainwise-backend-task"),
        executionRoleArn=role("retainwise-ecs-execution"),
        containerDefinitions=[
            {
                "name": "backend",
                "image": f"{ECR}/retainwise-backend:{image_tag}",
                "essential": True,
                "portMappings": [{"containerPort": 8000, "protocol": "tcp"}],
                "environment": [
                    {"name": "ENABLE_SQS", "value": "true"},
                    {"name": "PREDICTIONS_QUEUE_URL", "value": QUEUE_URL},
                    {"name": "ENVIRONMENT", "value": "production"},
                    {"name": "DATABASE_HOST", "value": DB_HOST},
                ],
                "secrets": [{"name": "DATABASE_URL", "valueFrom": DB_SECRET}],
                "logConfiguration": logs("retainwise-backend", "backend"),
            }
        ],
        tags=[{"key": "app", "value": "retainwise"}, {"key": "env", "value": "production"}],
    )


def worker_task_definition(enable_sqs="true"):
    return dict(
        family="retainwise-worker",
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="512",
        memory="1024",
        taskRoleArn=role("retainwise-worker-task"),
        executionRoleArn=role("retainwise-ecs-execution"),
        containerDefinitions=[
            {
                "name": "worker",
                "image": f"{ECR}/retainwise-backend:{IMAGE_TAG}",
                "essential": True,
                "command": ["python", "-m", "app.worker"],
                "environment": [
                    {"name": "ENABLE_SQS", "value": enable_sqs},
                    {"name": "PREDICTIONS_QUEUE_URL", "value": QUEUE_URL},
                    {"name": "WORKER_CONCURRENCY", "value": "4"},
                ],
                "secrets": [
                    {"name": "DATABASE_URL", "valueFrom": DB_SECRET},
                    {"name": "SENTRY_DSN", "valueFrom": SENTRY_PARAMETER},
                ],
                "logConfiguration": logs("retainwise-worker", "worker"),
            }
        ],
        tags=[{"key": "app", "value": "retainwise"}, {"key": "env", "value": "production"}],
    )


QUEUE_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:prod-retainwise-predictions-queue"
ECS_TASKS_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"Service": "ecs-tasks.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }],
}
GITHUB_OIDC = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
GITHUB_TRUST = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": GITHUB_OIDC},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
            "StringLike": {"token.actions.githubusercontent.com:sub": "repo:retainwise/retainwise:ref:refs/heads/main"},
        },
    }],
}


def deploy_policy(with_ec2_describe=True, pass_backend_role=True):
    statements = [
        {
            "Sid": "Deploy",
            "Effect": "Allow",
            "Action": ["ecs:RegisterTaskDefinition", "ecs:UpdateService", "ecs:Describe*", "ecs:RunTask"],
            "Resource": "*",
        },
        {
            "Sid": "PassTaskRoles",
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": [role("retainwise-backend-task"), role("retainwise-worker-task"), role("retainwise-ecs-execution")],
        },
        {
            "Sid": "ReadForTerraform",
            "Effect": "Allow",
            "Action": ["ec2:Describe*", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"],
            "Resource": "*",
        },
    ]
    if not with_ec2_describe:
        statements[2]["Action"] = ["sqs:GetQueueUrl", "sqs:GetQueueAttributes"]
    if not pass_backend_role:
        statements[1]["Resource"] = [role("retainwise-worker-task"), role("retainwise-ecs-execution")]
    return {"Version": "2012-10-17", "Statement": statements}


def worker_policy(receive=True):
    actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"]
    if not receive:
        actions.remove("sqs:ReceiveMessage")
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": QUEUE_ARN}]}


# What the ECS agent needs besides AmazonECSTaskExecutionRolePolicy (images and logs): the
# secrets the task definitions hand their containers.
READ_APP_SECRETS = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
         "Resource": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{DB_SECRET_NAME}-*"},
        {"Effect": "Allow", "Action": "ssm:GetParameters",
         "Resource": f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter{SENTRY_PARAMETER}"},
    ],
}
# Keep the last 30 images; the rollback target of a deploy is always among them.
LIFECYCLE_POLICY = {"rules": [{
    "rulePriority": 1, "description": "keep the last 30 images",
    "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 30},
    "action": {"type": "expire"},
}]}


def seed_iam(iam):
    tags = [{"Key": "app", "Value": "retainwise"}]
    iam.create_role(RoleName="retainwise-ecs-execution", AssumeRolePolicyDocument=json.dumps(ECS_TASKS_TRUST),
                    Description="ECS agent: pull images, write logs, read secrets", Tags=tags)
    iam.attach_role_policy(RoleName="retainwise-ecs-execution",
                           PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")
    iam.put_role_policy(RoleName="retainwise-ecs-execution", PolicyName="read-app-secrets",
                        PolicyDocument=json.dumps(READ_APP_SECRETS))
    iam.create_role(RoleName="retainwise-backend-task", AssumeRolePolicyDocument=json.dumps(ECS_TASKS_TRUST), Tags=tags)
    iam.put_role_policy(RoleName="retainwise-backend-task", PolicyName="publish-predictions", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:GetQueueAttributes"], "Resource": QUEUE_ARN}],
    }))
    iam.create_role(RoleName="retainwise-worker-task", AssumeRolePolicyDocument=json.dumps(ECS_TASKS_TRUST), Tags=tags)
    iam.put_role_policy(RoleName="retainwise-worker-task", PolicyName="consume-predictions",
                        PolicyDocument=json.dumps(worker_policy()))
    iam.create_policy(PolicyName="retainwise-deploy", PolicyDocument=json.dumps(deploy_policy()),
                      Description="What the GitHub deploy role may do", Tags=tags)
    iam.create_role(RoleName="retainwise-github-deploy", AssumeRolePolicyDocument=json.dumps(GITHUB_TRUST),
                    MaxSessionDuration=3600, Tags=tags)
    iam.attach_role_policy(RoleName="retainwise-github-deploy",
                           PolicyArn=f"arn:aws:iam::{ACCOUNT}:policy/retainwise-deploy")


def drift_iam(iam):
    # 3. AdministratorAccess attached to the backend's task role "to debug".
    iam.attach_role_policy(RoleName="retainwise-backend-task",
                           PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    # 7. A new default version of the deploy policy, without ec2:Describe*, and whose
    #    iam:PassRole no longer covers the backend's task role (a broken reference: the next
    #    backend deploy fails).
    iam.create_policy_version(PolicyArn=f"arn:aws:iam::{ACCOUNT}:policy/retainwise-deploy",
                              PolicyDocument=json.dumps(deploy_policy(with_ec2_describe=False,
                                                                       pass_backend_role=False)),
                              SetAsDefault=True)
    # 8. The worker's task role loses sqs:ReceiveMessage on the predictions queue (a broken
    #    reference: the worker can no longer consume the queue its task definition names).
    iam.put_role_policy(RoleName="retainwise-worker-task", PolicyName="consume-predictions",
                        PolicyDocument=json.dumps(worker_policy(receive=False)))


def seed_network(ec2):
    """A VPC with two private subnets and the security groups; returns (subnets, groups)."""
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az)["Subnet"]["SubnetId"]
        for cidr, az in [("10.20.1.0/24", "us-east-1a"), ("10.20.2.0/24", "us-east-1b")]
    ]

    def group(name, description):
        return ec2.create_security_group(
            GroupName=name, Description=description, VpcId=vpc,
            TagSpecifications=[{"ResourceType": "security-group",
                                "Tags": [{"Key": "Name", "Value": name}, {"Key": "app", "Value": "retainwise"}]}],
        )["GroupId"]

    alb = group("retainwise-alb", "Public load balancer")
    ec2.authorize_security_group_ingress(GroupId=alb, IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
        "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "HTTPS from anywhere"}]}])
    backend = group("retainwise-backend", "API tasks")
    ec2.authorize_security_group_ingress(GroupId=backend, IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8000,
        "UserIdGroupPairs": [{"GroupId": alb, "Description": "from the load balancer"}]}])
    worker = group("retainwise-worker", "Queue workers")
    return subnets, {"alb": alb, "backend": backend, "worker": worker}


def seed_queues(sqs):
    dlq = sqs.create_queue(QueueName="prod-retainwise-predictions-dlq",
                           Attributes={"MessageRetentionPeriod": "1209600"},
                           tags={"app": "retainwise"})["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.create_queue(QueueName="prod-retainwise-predictions-queue", Attributes={
        "VisibilityTimeout": "300",
        "MessageRetentionPeriod": "345600",
        "ReceiveMessageWaitTimeSeconds": "20",
        "SqsManagedSseEnabled": "true",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3}),
    }, tags={"app": "retainwise"})
    return dlq_arn


def seed_services(ecs, subnets, groups):
    for name, desired in [("backend", 2), ("worker", 1)]:
        ecs.create_service(
            cluster="retainwise-prod", serviceName=name, taskDefinition=f"retainwise-{name}",
            desiredCount=desired, launchType="FARGATE",
            networkConfiguration={"awsvpcConfiguration": {
                "subnets": subnets, "securityGroups": [groups[name]], "assignPublicIp": "DISABLED"}},
            tags=[{"key": "app", "value": "retainwise"}],
        )


def drift_network_and_queues(ec2, sqs, groups, dlq_arn):
    # 4. The predictions queue: maxReceiveCount raised to 10, visibility timeout back to 30.
    url = sqs.get_queue_url(QueueName="prod-retainwise-predictions-queue")["QueueUrl"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={
        "VisibilityTimeout": "30",
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 10}),
    })
    # 5. SSH from anywhere on the backend's group.
    ec2.authorize_security_group_ingress(GroupId=groups["backend"], IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    # 6. A queue made by hand to debug something, never cleaned up.
    sqs.create_queue(QueueName="tmp-debug-queue")


def seed_app_dependencies(ecr, logs_client, secrets, ssm):
    """The ECR repository with the image the task definitions run, their log groups, the
    database URL secret and the Sentry DSN parameter."""
    ecr.create_repository(repositoryName="retainwise-backend", imageTagMutability="IMMUTABLE",
                          imageScanningConfiguration={"scanOnPush": True},
                          tags=[{"Key": "app", "Value": "retainwise"}])
    ecr.put_lifecycle_policy(repositoryName="retainwise-backend",
                             lifecyclePolicyText=json.dumps(LIFECYCLE_POLICY))
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 7023,
                           "digest": "sha256:" + "b" * 64},
                "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 32654,
                            "digest": "sha256:" + "c" * 64}]}
    ecr.put_image(repositoryName="retainwise-backend", imageManifest=json.dumps(manifest), imageTag=IMAGE_TAG)
    for family in ["retainwise-backend", "retainwise-worker"]:
        logs_client.create_log_group(logGroupName=f"/ecs/{family}", tags={"app": "retainwise"})
        logs_client.put_retention_policy(logGroupName=f"/ecs/{family}", retentionInDays=LOG_RETENTION_DAYS)
    # The value is a placeholder: driftwatch never reads secret values.
    secrets.create_secret(Name=DB_SECRET_NAME, Description="Postgres URL of the production database",
                          SecretString="postgres://placeholder", Tags=[{"Key": "app", "Value": "retainwise"}])
    ssm.put_parameter(Name=SENTRY_PARAMETER, Type="SecureString", Value="https://placeholder@sentry.invalid/1",
                      Description="Where the worker reports errors", Tags=[{"Key": "app", "Value": "retainwise"}])


def seed_backend(s3, dynamodb, kms):
    """The S3 backend as its documentation recommends: a versioned, private, KMS-encrypted
    bucket that refuses plain HTTP, holding the demo's state; and the lock table."""
    key = kms.create_key(Description="Terraform state")["KeyMetadata"]["Arn"]
    s3.create_bucket(Bucket=STATE_BUCKET)
    s3.put_bucket_versioning(Bucket=STATE_BUCKET, VersioningConfiguration={"Status": "Enabled"})
    s3.put_public_access_block(Bucket=STATE_BUCKET, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True})
    s3.put_bucket_encryption(Bucket=STATE_BUCKET, ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key},
        "BucketKeyEnabled": True}]})
    s3.put_bucket_tagging(Bucket=STATE_BUCKET, Tagging={"TagSet": [{"Key": "app", "Value": "retainwise"}]})
    with open(os.path.join(os.path.dirname(__file__), "terraform.tfstate"), "rb") as f:
        s3.put_object(Bucket=STATE_BUCKET, Key=STATE_KEY, Body=f.read())
    # The local server speaks plain HTTP, which a deny of every plain-HTTP request would refuse
    # to driftwatch too: the demo refuses plain-HTTP writes only.
    s3.put_bucket_policy(Bucket=STATE_BUCKET, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "DenyPlainHttpWrites", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
        "Resource": f"arn:aws:s3:::{STATE_BUCKET}/*",
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
    dynamodb.create_table(
        TableName=LOCK_TABLE, BillingMode="PAY_PER_REQUEST", DeletionProtectionEnabled=True,
        KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
        Tags=[{"Key": "app", "Value": "retainwise"}])
    dynamodb.update_continuous_backups(
        TableName=LOCK_TABLE, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})


def drift_backend(s3):
    # 10. The state bucket's versioning suspended "to save costs": an overwritten state can no
    #     longer be recovered.
    s3.put_bucket_versioning(Bucket=STATE_BUCKET, VersioningConfiguration={"Status": "Suspended"})


def drift_app_dependencies(logs_client):
    # 9. The backend's log retention cut to a day "to save on storage".
    logs_client.put_retention_policy(logGroupName="/ecs/retainwise-backend", retentionInDays=1)


def seed_edge_and_database(ec2, elbv2, rds, ecs, acm, subnets, groups):
    """The public load balancer in front of the backend (an HTTPS listener, a rule sending /api/*
    to the backend's target group) and the Postgres instance behind it, reachable from the
    backend's tasks only."""
    vpc = ec2.describe_security_groups(GroupIds=[groups["backend"]])["SecurityGroups"][0]["VpcId"]
    db = ec2.create_security_group(
        GroupName="retainwise-db", Description="Postgres", VpcId=vpc,
        TagSpecifications=[{"ResourceType": "security-group",
                            "Tags": [{"Key": "Name", "Value": "retainwise-db"}, {"Key": "app", "Value": "retainwise"}]}],
    )["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=db, IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
        "UserIdGroupPairs": [{"GroupId": groups["backend"], "Description": "from the API tasks"}]}])
    groups["db"] = db
    tags = [{"Key": "app", "Value": "retainwise"}]
    lb = elbv2.create_load_balancer(Name=LOAD_BALANCER, Subnets=subnets, SecurityGroups=[groups["alb"]],
                                    Scheme="internet-facing", Type="application", Tags=tags)["LoadBalancers"][0]
    elbv2.modify_load_balancer_attributes(LoadBalancerArn=lb["LoadBalancerArn"], Attributes=[
        {"Key": "idle_timeout.timeout_seconds", "Value": "120"},
        {"Key": "deletion_protection.enabled", "Value": "true"}])
    tg = elbv2.create_target_group(Name=TARGET_GROUP, Protocol="HTTP", Port=8000, VpcId=vpc, TargetType="ip",
                                   HealthCheckPath="/health", Matcher={"HttpCode": "200"}, Tags=tags)["TargetGroups"][0]
    elbv2.modify_target_group_attributes(TargetGroupArn=tg["TargetGroupArn"], Attributes=[
        {"Key": "deregistration_delay.timeout_seconds", "Value": "30"}])
    certificate = acm.request_certificate(DomainName="api.retainwise.example")["CertificateArn"]
    listener = elbv2.create_listener(
        LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTPS", Port=443,
        SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06", Certificates=[{"CertificateArn": certificate}],
        DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {
            "StatusCode": "404", "ContentType": "text/plain", "MessageBody": "not found"}}])["Listeners"][0]
    elbv2.create_rule(ListenerArn=listener["ListenerArn"], Priority=10,
                      Conditions=[{"Field": "path-pattern", "Values": ["/api/*"]}],
                      Actions=[{"Type": "forward", "TargetGroupArn": tg["TargetGroupArn"]}], Tags=tags)
    ecs.update_service(cluster="retainwise-prod", service="backend", loadBalancers=[{
        "targetGroupArn": tg["TargetGroupArn"], "containerName": "backend", "containerPort": 8000}])
    rds.create_db_subnet_group(DBSubnetGroupName="retainwise-prod", DBSubnetGroupDescription="Private subnets",
                               SubnetIds=subnets, Tags=tags)
    rds.create_db_instance(
        DBInstanceIdentifier=DB_INSTANCE, Engine="postgres", EngineVersion="16.3",
        DBInstanceClass="db.t4g.micro", AllocatedStorage=20, StorageType="gp3", StorageEncrypted=True,
        # A placeholder: driftwatch never reads it (nor does a state read keep it). The local
        # server names a managed master secret by a fresh random id every run, which would
        # make the demo's golden file differ from its account each time.
        MasterUsername="retainwise", MasterUserPassword="placeholder-not-a-secret",
        DBSubnetGroupName="retainwise-prod",
        VpcSecurityGroupIds=[db], PubliclyAccessible=False, DeletionProtection=True,
        BackupRetentionPeriod=7, Port=5432, Tags=tags)


def drift_edge_and_database(ec2, elbv2, groups):
    # 11. The load balancer's idle timeout cut to 30 seconds by hand while chasing a hung upload.
    lb = elbv2.describe_load_balancers(Names=[LOAD_BALANCER])["LoadBalancers"][0]["LoadBalancerArn"]
    elbv2.modify_load_balancer_attributes(LoadBalancerArn=lb, Attributes=[
        {"Key": "idle_timeout.timeout_seconds", "Value": "30"}])
    # 12. The database's group loses the backend's ingress rule, "tidying up" unnamed rules: the
    #     API can no longer reach its database (a broken reference).
    rules = ec2.describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [groups["db"]]}])["SecurityGroupRules"]
    ingress = [r["SecurityGroupRuleId"] for r in rules if not r["IsEgress"]]
    ec2.revoke_security_group_ingress(GroupId=groups["db"], SecurityGroupRuleIds=ingress)


def seed_random_ids():
    """Makes the local server's generated ids (sg-…, subnet-…) the same on every run, so the
    committed golden files name the same security groups."""
    endpoint = os.environ["AWS_ENDPOINT_URL"].rstrip("/")
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/seed?a=42", method="POST"))


def seed(ecs):
    ecs.create_cluster(clusterName="retainwise-prod")
    ecs.register_task_definition(**backend_task_definition())
    ecs.register_task_definition(**worker_task_definition())


def drift(ecs):
    # 1. The worker is re-registered by hand with SQS turned off "for a quick test".
    ecs.register_task_definition(**worker_task_definition(enable_sqs="false"))
    # 2. The backend is re-registered with a new image tag only (a deploy outside the pipeline),
    #    of an image that was never pushed: the next task cannot start (a broken reference).
    ecs.register_task_definition(**backend_task_definition(image_tag="9e8d7c6"))


def main():
    if not os.environ.get("AWS_ENDPOINT_URL"):
        sys.exit("seed.py: set AWS_ENDPOINT_URL to a local server; it never talks to real AWS")
    seed_random_ids()
    ecs = boto3.client("ecs", region_name=REGION)
    iam = boto3.client("iam", region_name=REGION)
    ec2 = boto3.client("ec2", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    logs_client = boto3.client("logs", region_name=REGION)
    seed(ecs)
    seed_iam(iam)
    subnets, groups = seed_network(ec2)
    dlq_arn = seed_queues(sqs)
    seed_services(ecs, subnets, groups)
    # Last, so the generated ids above (security groups) stay those golden/ names.
    seed_app_dependencies(boto3.client("ecr", region_name=REGION), logs_client,
                          boto3.client("secretsmanager", region_name=REGION),
                          boto3.client("ssm", region_name=REGION))
    seed_backend(boto3.client("s3", region_name=REGION), boto3.client("dynamodb", region_name=REGION),
                 boto3.client("kms", region_name=REGION))
    elbv2 = boto3.client("elbv2", region_name=REGION)
    seed_edge_and_database(ec2, elbv2, boto3.client("rds", region_name=REGION), ecs,
                           boto3.client("acm", region_name=REGION), subnets, groups)
    if "--drift" in sys.argv[1:]:
        drift(ecs)
        drift_iam(iam)
        drift_network_and_queues(ec2, sqs, groups, dlq_arn)
        drift_app_dependencies(logs_client)
        drift_backend(boto3.client("s3", region_name=REGION))
        drift_edge_and_database(ec2, elbv2, groups)


if __name__ == "__main__":
    main()
