"""Benchmark: the calls of a first check (cold revision cache) and of a second check of the same,
unchanged account (warm cache), against a local moto server.

Seeds FAMILIES task-definition families with REVISIONS revisions each, QUEUES tagged queues,
POLICIES customer-managed policies and ROLES roles, then runs `driftwatch -v check` three times
with a cache folder of its own: `--no-cache` (every call first-hand), cold cache, warm cache;
and prints each run's wall time and calls per service (the `-v` lines). Figures, not
assertions: what a second run cannot save is one GetQueueAttributes per queue and one
ListPolicyTags per customer-managed policy (no API serves them in pages).
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3

FAMILIES = int(os.environ.get("FAMILIES", "200"))
REVISIONS = int(os.environ.get("REVISIONS", "3"))
QUEUES = int(os.environ.get("QUEUES", "200"))
POLICIES = int(os.environ.get("POLICIES", "50"))
ROLES = int(os.environ.get("ROLES", "50"))
DRIFTWATCH = sys.argv[1]
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
    "Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def seed():
    ecs, sqs, iam = (boto3.client(n, region_name="us-east-1") for n in ("ecs", "sqs", "iam"))
    for f in range(FAMILIES):
        for r in range(REVISIONS):
            ecs.register_task_definition(
                family=f"svc-{f:04d}", networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
                cpu="256", memory="512", tags=[{"key": "team", "value": f"t{f % 7}"}],
                containerDefinitions=[{
                    "name": "app", "image": f"example/app:{r}", "essential": True,
                    "environment": [{"name": f"VAR_{i}", "value": str(i)} for i in range(10)],
                }])
    for q in range(QUEUES):
        sqs.create_queue(QueueName=f"queue-{q:04d}", tags={"team": f"t{q % 7}"})
    for p in range(POLICIES):
        iam.create_policy(PolicyName=f"policy-{p:03d}", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]}))
    for r in range(ROLES):
        iam.create_role(RoleName=f"role-{r:03d}", AssumeRolePolicyDocument=TRUST)


def check(cache, *flags):
    """One `-v check` of the golden folder: exit code, seconds, calls, calls per service."""
    env = dict(os.environ, DRIFTWATCH_CACHE_DIR=os.path.join(cache, "revisions"))
    # moto is a custom endpoint: the cache is used there only when the file says `cache = true`
    # (the folder is this benchmark's own, so a reset server cannot leave stale entries in it).
    config = os.path.join(cache, "driftwatch.toml")
    with open(config, "w") as f:
        f.write("cache = true\n")
    t = time.monotonic()
    out = subprocess.run(
        [DRIFTWATCH, "-v", *flags, "--config", config, "check",
         "--golden", os.path.join(cache, "golden")],
        capture_output=True, text=True, env=env)
    wall = time.monotonic() - t
    total = re.search(r"(\d+) AWS API calls", out.stderr)
    services = re.findall(r"\b([a-z0-9]+: \d+ calls(?:, .*)?)$", out.stderr, re.M)
    return out.returncode, wall, int(total.group(1)) if total else None, services


def main():
    # A server of its own contents: whatever an earlier benchmark seeded is gone.
    urllib.request.urlopen(urllib.request.Request(
        os.environ["AWS_ENDPOINT_URL"] + "/moto-api/reset", method="POST"), timeout=30)
    t = time.monotonic()
    seed()
    print(f"seeded {FAMILIES} families x {REVISIONS} revisions, {QUEUES} queues, "
          f"{POLICIES} customer policies, {ROLES} roles in {time.monotonic() - t:.1f} s")
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, DRIFTWATCH_CACHE_DIR=os.path.join(cache, "unused"))
        subprocess.run([DRIFTWATCH, "-q", "--no-cache", "snapshot", "--out",
                        os.path.join(cache, "golden")], check=True, env=env)
        runs = [("--no-cache", ["--no-cache"]), ("cold cache", []), ("warm cache", [])]
        totals = {}
        for name, flags in runs:
            code, wall, total, services = check(cache, *flags)
            totals[name] = total
            print(f"check, {name:10}  exit {code}  {wall:5.2f} s  {total} calls")
            for line in services:
                print(f"    {line}")
        if totals.get("cold cache") and totals.get("warm cache") is not None:
            print(f"warm / cold: {totals['warm cache'] / totals['cold cache']:.0%} of the calls")


if __name__ == "__main__":
    main()
