"""Benchmark: what each of the app-dependency and state-backend kinds costs to read, against a
local moto server.

Seeds COUNT (default 1000) tagged ECR repositories (each with a lifecycle policy), log groups,
secrets, SecureString parameters, S3 buckets (versioned, with a public access block) and
DynamoDB tables (KINDS, comma-separated, picks some), then runs `driftwatch -v snapshot --kind KIND` REPEAT
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
                       "aws_ssm_parameter,aws_s3_bucket,aws_dynamodb_table").split(",")
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

    seeders = {"aws_ecr_repository": repo, "aws_cloudwatch_log_group": group,
               "aws_secretsmanager_secret": secret, "aws_ssm_parameter": parameter,
               "aws_s3_bucket": bucket, "aws_dynamodb_table": table}
    # One writer a service: moto is not thread-safe for writes to one service.
    with ThreadPoolExecutor(6) as pool:
        for kind in KINDS:
            f = seeders[kind]
            pool.submit(lambda f=f: [f(i) for i in range(COUNT)])


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
            print(f"| `{kind}` | {name} | {COUNT:,} | {calls:,} {per_op} | "
                  f"{statistics.median(times):.1f} s | {min(times):.1f}–{max(times):.1f} s |", flush=True)


if __name__ == "__main__":
    main()
