"""Benchmark: an organization of ACCOUNTS (default 300) member accounts, each with two SQS queues
and a task role, against a local moto server; then `driftwatch plan`, one shard checking every
account, four shards at once on this machine, and four shards one after another (the slowest
of them: the wall time of a scheduler running them on four machines), each REPEAT (default 3)
times, through LATENCY_PROXY_URL when set (the shared kit's `latency_proxy.py --latency-ms 50`),
else on bare moto. SEEDED=1 skips seeding (a server seeded by an earlier run). Prints a
Markdown table: wall time (median and range) and AWS calls. Figures, not assertions.

    AWS_ENDPOINT_URL=http://127.0.0.1:PORT [LATENCY_PROXY_URL=…] python demo/bench_org.py target/release/driftwatch
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

ACCOUNTS = int(os.environ.get("ACCOUNTS", "300"))
REPEAT = int(os.environ.get("REPEAT", "3"))
DRIFTWATCH = os.path.abspath(sys.argv[1])
REGION = "us-east-1"
ROLE = "OrganizationAccountAccessRole"  # moto makes it in every member account
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                    "Principal": {"Service": "ecs-tasks.amazonaws.com"}}]})
CONFIG = f"""kinds = ["aws_sqs_queue", "aws_iam_role"]

[org]
role_name = "{ROLE}"
regions = ["{REGION}"]
"""


def seed():
    org = boto3.client("organizations", region_name=REGION)
    org.create_organization(FeatureSet="ALL")
    ids = [org.create_account(Email=f"bench{i}@example.com", AccountName=f"bench-{i:03}")
           ["CreateAccountStatus"]["AccountId"] for i in range(ACCOUNTS)]
    sts = boto3.client("sts", region_name=REGION)

    def member(account):
        c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="seed")["Credentials"]
        keys = dict(aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                    aws_session_token=c["SessionToken"], region_name=REGION)
        sqs = boto3.client("sqs", **keys)
        for q in ("jobs", "jobs-dlq"):
            sqs.create_queue(QueueName=q)
        boto3.client("iam", **keys).create_role(RoleName="app-task", AssumeRolePolicyDocument=TRUST)

    with ThreadPoolExecutor(4) as pool:
        for job in [pool.submit(member, a) for a in ids]:
            job.result()  # a seeding failure stops the benchmark


def run(args, endpoint, cwd):
    env = dict(os.environ, AWS_ENDPOINT_URL=endpoint)
    return subprocess.Popen([DRIFTWATCH, "-v", *args], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def calls(stderr):
    found = re.findall(r"(\d+) AWS API calls", stderr)
    return sum(int(n) for n in found)


def timed(procs):
    """Waits for every process; (seconds from now, total calls). A failure stops the bench,
    except exit 1 (drift: none of the accounts has a golden folder)."""
    start = time.monotonic()
    total = 0
    for p in procs:
        _, err = p.communicate()
        if p.returncode not in (0, 1):
            sys.exit(f"exit {p.returncode}\n{err}")
        total += calls(err)
    return time.monotonic() - start, total


def main():
    if os.environ.get("SEEDED") != "1":
        seed()
    endpoint = os.environ.get("LATENCY_PROXY_URL") or os.environ["AWS_ENDPOINT_URL"]
    where = "moto + 50 ms a call" if os.environ.get("LATENCY_PROXY_URL") else "moto"
    rows = {"plan": [], "1 shard": [], "4 shards at once, this machine": [],
            "4 shards, the slowest run alone": []}
    counts = {}
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "driftwatch.toml"), "w") as f:
            f.write(CONFIG)
        for _ in range(REPEAT):
            start = time.monotonic()
            seconds, n = timed([run(["plan", "-o", "plan.json"], endpoint, d)])
            rows["plan"].append(time.monotonic() - start)
            counts["plan"] = n
            base = ["check", "--plan", "plan.json", "--no-checks", "--format", "json"]
            seconds, n = timed([run([*base, "--shard", "1/1"], endpoint, d)])
            rows["1 shard"].append(seconds)
            counts["1 shard"] = n
            seconds, n = timed([run([*base, "--shard", f"{k}/4"], endpoint, d) for k in range(1, 5)])
            rows["4 shards at once, this machine"].append(seconds)
            counts["4 shards at once, this machine"] = n
            alone = [timed([run([*base, "--shard", f"{k}/4"], endpoint, d)]) for k in range(1, 5)]
            rows["4 shards, the slowest run alone"].append(max(t for t, _ in alone))
            counts["4 shards, the slowest run alone"] = sum(n for _, n in alone)
    print(f"| step ({ACCOUNTS} accounts, {where}) | AWS calls | median | range |")
    print("| --- | ---: | ---: | ---: |")
    for step, times in rows.items():
        print(f"| {step} | {counts[step]:,} | {statistics.median(times):.1f} s | "
              f"{min(times):.1f}–{max(times):.1f} s |", flush=True)


if __name__ == "__main__":
    main()
