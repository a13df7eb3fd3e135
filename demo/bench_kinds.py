"""Benchmark: what each of the app-dependency and state-backend kinds costs to read, against a
local moto server.

Seeds COUNT (default 1000) tagged ECR repositories (each with a lifecycle policy), log groups,
secrets, SecureString parameters, S3 buckets (versioned, with a public access block), DynamoDB
tables, target groups, listener rules (COUNT/10 load balancers with two listeners of five rules
each), DB instances, and COUNT/10 Aurora clusters, DB parameter groups (three user parameters
each) and DB subnet groups (KINDS, comma-separated, picks some), then runs `driftwatch -v snapshot --kind KIND` REPEAT
(default 3) times per kind, and, when LATENCY_PROXY_URL names a proxy in front of the same
server (the shared kit's `latency_proxy.py --latency-ms 50`), as many times through it. Prints
one Markdown row per kind and endpoint: API calls (from `-v`), median and range of wall time.
Figures, not assertions.
"""

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import boto3

COUNT = int(os.environ.get("COUNT", "1000"))
REPEAT = int(os.environ.get("REPEAT", "3"))
KINDS = os.environ.get("KINDS", "aws_ecr_repository,aws_cloudwatch_log_group,aws_secretsmanager_secret,"
                       "aws_ssm_parameter,aws_s3_bucket,aws_dynamodb_table,aws_lb,aws_lb_target_group,"
                       "aws_lb_listener,aws_lb_listener_rule,aws_db_instance,aws_rds_cluster,"
                       "aws_db_parameter_group,aws_db_subnet_group").split(",")
# How many of each kind the seeders make (load balancers carry two listeners of five rules each).
COUNTS = {"aws_lb": COUNT // 10, "aws_lb_listener": COUNT // 5, "aws_lb_listener_rule": COUNT,
          "aws_rds_cluster": COUNT // 10, "aws_db_parameter_group": COUNT // 10,
          "aws_db_subnet_group": COUNT // 10}
DRIFTWATCH = sys.argv[1]
REGION = "us-east-1"
TAGS = [{"Key": "app", "Value": "bench"}]
LIFECYCLE = json.dumps({"rules": [{"rulePriority": 1, "selection": {
    "tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 30}, "action": {"type": "expire"}}]})


def seed():
    ecr = boto3.client("ecr", region_name=REGION)
    logs = boto3.client("logs", region_name=REGION)
    secrets = boto3.client("secretsmanager", region_name=REGION)
    ssm = boto3.client("ssm", region_name=REGION)

    def repo(i):
        ecr.create_repository(repositoryName=f"bench/repo-{i:05}", tags=TAGS)
        ecr.put_lifecycle_policy(repositoryName=f"bench/repo-{i:05}", lifecyclePolicyText=LIFECYCLE)

    def group(i):
        logs.create_log_group(logGroupName=f"/ecs/bench-{i:05}", tags={"app": "bench"})
        logs.put_retention_policy(logGroupName=f"/ecs/bench-{i:05}", retentionInDays=30)

    def secret(i):
        secrets.create_secret(Name=f"bench/secret-{i:05}", SecretString="x", Tags=TAGS)

    def parameter(i):
        ssm.put_parameter(Name=f"/bench/param-{i:05}", Type="SecureString", Value="x", Tags=TAGS)

    s3 = boto3.client("s3", region_name=REGION)
    dynamodb = boto3.client("dynamodb", region_name=REGION)

    def bucket(i):
        name = f"bench-bucket-{i:05}"
        s3.create_bucket(Bucket=name)
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True})
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": TAGS})

    def table(i):
        dynamodb.create_table(TableName=f"bench-table-{i:05}", BillingMode="PAY_PER_REQUEST",
                              KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
                              Tags=TAGS)

    elbv2 = boto3.client("elbv2", region_name=REGION)
    rds = boto3.client("rds", region_name=REGION)
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=c, AvailabilityZone=a)["Subnet"]["SubnetId"]
               for c, a in [("10.30.1.0/24", "us-east-1a"), ("10.30.2.0/24", "us-east-1b")]]

    def target_groups():
        return [elbv2.create_target_group(Name=f"bench-tg-{i:05}", Protocol="HTTP", Port=8000, VpcId=vpc,
                                          TargetType="ip", Tags=TAGS)["TargetGroups"][0]["TargetGroupArn"]
                for i in range(COUNT)]

    def load_balancers():
        groups = target_groups()
        for i in range(COUNT // 10):
            lb = elbv2.create_load_balancer(Name=f"bench-lb-{i:05}", Subnets=subnets, Tags=TAGS)
            arn = lb["LoadBalancers"][0]["LoadBalancerArn"]
            for port in (80, 8080):
                listener = elbv2.create_listener(LoadBalancerArn=arn, Protocol="HTTP", Port=port, DefaultActions=[
                    {"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}])["Listeners"][0]
                for r in range(5):
                    tg = groups[(i * 10 + (port // 8080) * 5 + r) % len(groups)]
                    elbv2.create_rule(ListenerArn=listener["ListenerArn"], Priority=r + 1, Tags=TAGS,
                                      Conditions=[{"Field": "path-pattern", "Values": [f"/r{r}/*"]}],
                                      Actions=[{"Type": "forward", "TargetGroupArn": tg}])

    def databases():
        for i in range(COUNT // 10):
            rds.create_db_subnet_group(DBSubnetGroupName=f"bench-subnets-{i:05}", SubnetIds=subnets,
                                       DBSubnetGroupDescription="bench", Tags=TAGS)
            rds.create_db_parameter_group(DBParameterGroupName=f"bench-pg-{i:05}", DBParameterGroupFamily="postgres16",
                                          Description="bench", Tags=TAGS)
            rds.modify_db_parameter_group(DBParameterGroupName=f"bench-pg-{i:05}", Parameters=[
                {"ParameterName": n, "ParameterValue": v, "ApplyMethod": "immediate"}
                for n, v in [("log_min_duration_statement", "500"), ("work_mem", "8192"), ("log_connections", "1")]])
            rds.create_db_cluster(DBClusterIdentifier=f"bench-cluster-{i:05}", Engine="aurora-postgresql",
                                  MasterUsername="bench", MasterUserPassword="not-a-secret", Tags=TAGS)
        for i in range(COUNT):
            rds.create_db_instance(DBInstanceIdentifier=f"bench-db-{i:05}", Engine="postgres", DBInstanceClass="db.t4g.micro",
                                   AllocatedStorage=20, MasterUsername="bench", MasterUserPassword="not-a-secret", Tags=TAGS)

    seeders = {"aws_ecr_repository": repo, "aws_cloudwatch_log_group": group,
               "aws_secretsmanager_secret": secret, "aws_ssm_parameter": parameter,
               "aws_s3_bucket": bucket, "aws_dynamodb_table": table}
    # Kinds seeded together: one writer for all four load balancer kinds, one for the RDS ones.
    together = {"elbv2": (load_balancers, {"aws_lb", "aws_lb_target_group", "aws_lb_listener", "aws_lb_listener_rule"}),
                "rds": (databases, {"aws_db_instance", "aws_rds_cluster", "aws_db_parameter_group", "aws_db_subnet_group"})}
    # One writer a service: moto is not thread-safe for writes to one service.
    with ThreadPoolExecutor(6) as pool:
        jobs = [pool.submit(lambda f=seeders[kind]: [f(i) for i in range(COUNT)])
                for kind in KINDS if kind in seeders]
        jobs += [pool.submit(f) for f, kinds in together.values() if kinds & set(KINDS)]
    for job in jobs:
        job.result()  # a seeding failure stops the benchmark instead of timing a short account


def run(kind, endpoint):
    env = dict(os.environ, AWS_ENDPOINT_URL=endpoint)
    with tempfile.TemporaryDirectory() as out:
        start = time.monotonic()
        p = subprocess.run([DRIFTWATCH, "-v", "snapshot", "--kind", kind, "--out", out],
                           env=env, capture_output=True, text=True)
        seconds = time.monotonic() - start
    if p.returncode != 0:
        sys.exit(f"{kind}: exit {p.returncode}\n{p.stderr}")
    calls = re.search(r"(\d+) AWS API calls: (\{.*\})", p.stderr)
    return seconds, int(calls.group(1)), calls.group(2)


def main():
    seed()
    endpoints = [("moto", os.environ["AWS_ENDPOINT_URL"])]
    if os.environ.get("LATENCY_PROXY_URL"):
        endpoints.append(("moto + 50 ms a call", os.environ["LATENCY_PROXY_URL"]))
    print("| kind | endpoint | resources | API calls | median | range |")
    print("| --- | --- | ---: | --- | ---: | ---: |")
    for kind in KINDS:
        for name, endpoint in endpoints:
            runs = [run(kind, endpoint) for _ in range(REPEAT)]
            times = [r[0] for r in runs]
            _, calls, per_op = runs[-1]
            print(f"| `{kind}` | {name} | {COUNTS.get(kind, COUNT):,} | {calls:,} {per_op} | "
                  f"{statistics.median(times):.1f} s | {min(times):.1f}–{max(times):.1f} s |", flush=True)


if __name__ == "__main__":
    main()
