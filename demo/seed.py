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

import boto3

ACCOUNT = "123456789012"
REGION = "us-east-1"
ECR = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com"
QUEUE_URL = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/prod-retainwise-predictions-queue"
DB_SECRET = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:retainwise/prod/database-url-Q1w2E3"
IMAGE_TAG = "3f2c1a9"


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
                "secrets": [{"name": "DATABASE_URL", "valueFrom": DB_SECRET}],
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


def deploy_policy(with_ec2_describe=True):
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
    return {"Version": "2012-10-17", "Statement": statements}


def seed_iam(iam):
    tags = [{"Key": "app", "Value": "retainwise"}]
    iam.create_role(RoleName="retainwise-ecs-execution", AssumeRolePolicyDocument=json.dumps(ECS_TASKS_TRUST),
                    Description="ECS agent: pull images, write logs, read secrets", Tags=tags)
    iam.attach_role_policy(RoleName="retainwise-ecs-execution",
                           PolicyArn="arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")
    iam.create_role(RoleName="retainwise-backend-task", AssumeRolePolicyDocument=json.dumps(ECS_TASKS_TRUST), Tags=tags)
    iam.put_role_policy(RoleName="retainwise-backend-task", PolicyName="publish-predictions", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:GetQueueAttributes"], "Resource": QUEUE_ARN}],
    }))
    iam.create_role(RoleName="retainwise-worker-task", AssumeRolePolicyDocument=json.dumps(ECS_TASKS_TRUST), Tags=tags)
    iam.put_role_policy(RoleName="retainwise-worker-task", PolicyName="consume-predictions", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": [
            "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes",
        ], "Resource": QUEUE_ARN}],
    }))
    iam.create_policy(PolicyName="retainwise-deploy", PolicyDocument=json.dumps(deploy_policy()),
                      Description="What the GitHub deploy role may do", Tags=tags)
    iam.create_role(RoleName="retainwise-github-deploy", AssumeRolePolicyDocument=json.dumps(GITHUB_TRUST),
                    MaxSessionDuration=3600, Tags=tags)
    iam.attach_role_policy(RoleName="retainwise-github-deploy",
                           PolicyArn=f"arn:aws:iam::{ACCOUNT}:policy/retainwise-deploy")


def drift_iam(iam):
    # 3. AdministratorAccess attached to the worker's task role "to debug".
    iam.attach_role_policy(RoleName="retainwise-worker-task",
                           PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
    # 7. A new default version of the deploy policy, without ec2:Describe*.
    iam.create_policy_version(PolicyArn=f"arn:aws:iam::{ACCOUNT}:policy/retainwise-deploy",
                              PolicyDocument=json.dumps(deploy_policy(with_ec2_describe=False)),
                              SetAsDefault=True)


def seed(ecs):
    ecs.create_cluster(clusterName="retainwise-prod")
    ecs.register_task_definition(**backend_task_definition())
    ecs.register_task_definition(**worker_task_definition())


def drift(ecs):
    # 1. The worker is re-registered by hand with SQS turned off "for a quick test".
    ecs.register_task_definition(**worker_task_definition(enable_sqs="false"))
    # 2. The backend is re-registered with a new image tag only (a deploy outside the pipeline).
    ecs.register_task_definition(**backend_task_definition(image_tag="9e8d7c6"))


def main():
    if not os.environ.get("AWS_ENDPOINT_URL"):
        sys.exit("seed.py: set AWS_ENDPOINT_URL to a local server; it never talks to real AWS")
    ecs = boto3.client("ecs", region_name=REGION)
    iam = boto3.client("iam", region_name=REGION)
    seed(ecs)
    seed_iam(iam)
    if "--drift" in sys.argv[1:]:
        drift(ecs)
        drift_iam(iam)


if __name__ == "__main__":
    main()
