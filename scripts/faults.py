#!/usr/bin/env python3
"""Reliability figures: does driftwatch give the clean report under throttling and 5xx bursts?

Seeds a local moto server with an account of FAMILIES task-definition families, ROLES roles (an
inline policy each), QUEUES tagged queues and GROUPS security groups, takes a clean
`check --format json` report, then runs RUNS checks per fault through tests/fault_proxy.py and
prints a Markdown table: runs, reports identical to the clean one (byte for byte), exit 0 count,
median seconds, median retries (from `-v`) and median faults injected.

Usage: scripts/faults.py DRIFTWATCH_BINARY [--runs 3] [--families 200] [--roles 100]
                         [--queues 100] [--groups 50]
(normally through scripts/faults, which builds the binary and finds the pinned moto).
"""
import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parent.parent
PROXY = ROOT / "tests" / "fault_proxy.py"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
    "Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]})

# (name, proxy flags, driftwatch flags)
SCENARIOS = [
    ("none, through the proxy", [], []),
    ("20 % of calls throttled", ["--throttle-rate", "0.2"], []),
    ("30 % of calls throttled", ["--throttle-rate", "0.3"], []),
    ("10 consecutive 503s", ["--burst-5xx", "10"], []),
    # For comparison: the AWS SDK's default of 3 attempts.
    ("20 % throttled, `--max-attempts 3`", ["--throttle-rate", "0.2"], ["--max-attempts", "3"]),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url):
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.1)
    sys.exit(f"nothing answers at {url}")


def seed(url, a):
    kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="testing",
              aws_secret_access_key="testing")
    ecs, iam, sqs, ec2 = (boto3.client(n, **kw) for n in ("ecs", "iam", "sqs", "ec2"))
    for i in range(a.families):
        ecs.register_task_definition(
            family=f"svc-{i:03d}", networkMode="awsvpc", requiresCompatibilities=["FARGATE"],
            cpu="256", memory="512",
            containerDefinitions=[{"name": "app", "image": f"example/app:{i}", "essential": True,
                                   "environment": [{"name": "APP_ENV", "value": "prod"}]}])
    for i in range(a.roles):
        iam.create_role(RoleName=f"role-{i:03d}", AssumeRolePolicyDocument=TRUST)
        iam.put_role_policy(RoleName=f"role-{i:03d}", PolicyName="read", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:ReceiveMessage",
                                                     "Resource": f"arn:aws:sqs:us-east-1:123456789012:queue-{i:03d}"}]}))
    for i in range(a.queues):
        sqs.create_queue(QueueName=f"queue-{i:03d}", tags={"team": "t%d" % (i % 5)})
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    for i in range(a.groups):
        g = ec2.create_security_group(GroupName=f"group-{i:03d}", Description="bench", VpcId=vpc)
        ec2.authorize_security_group_ingress(GroupId=g["GroupId"], IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
             "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])


def run_check(binary, endpoint, cwd, extra=()):
    env = dict(os.environ, AWS_ENDPOINT_URL=endpoint, NO_COLOR="1")
    started = time.monotonic()
    p = subprocess.run([binary, "check", "--format", "json", "-v", *extra], cwd=cwd, env=env,
                       capture_output=True)
    seconds = time.monotonic() - started
    m = re.search(rb"retried (\d+) throttled or failed calls", p.stderr)
    return p.returncode, p.stdout, seconds, int(m.group(1)) if m else None


def proxy_stats(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__faults__/stats", timeout=10) as r:
        return json.load(r)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--families", type=int, default=200)
    ap.add_argument("--roles", type=int, default=100)
    ap.add_argument("--queues", type=int, default=100)
    ap.add_argument("--groups", type=int, default=50)
    a = ap.parse_args()
    a.binary = str(Path(a.binary).resolve())
    python = sys.executable
    moto_server = str(Path(python).with_name("moto_server"))
    port = free_port()
    moto = subprocess.Popen([moto_server, "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs = [moto]
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url + "/moto-api/")
        t = time.monotonic()
        seed(url, a)
        print(f"seeded {a.families} families, {a.roles} roles, {a.queues} queues, "
              f"{a.groups} groups in {time.monotonic() - t:.1f} s", file=sys.stderr)
        work = tempfile.mkdtemp(prefix="driftwatch-faults-")
        env = dict(os.environ, AWS_ENDPOINT_URL=url)
        subprocess.run([a.binary, "-q", "snapshot"], cwd=work, env=env, check=True)
        code, clean, _, _ = run_check(a.binary, url, work)
        if code != 0:
            sys.exit(f"the clean check exited {code}")
        rows = []
        for name, flags, extra in SCENARIOS:
            same = ok = 0
            times, retries, injected = [], [], []
            for r in range(a.runs):
                pport = free_port()
                proxy = subprocess.Popen([python, str(PROXY), "--port", str(pport), "--target", url,
                                          "--seed", str(r + 1)] + flags)
                procs.append(proxy)
                wait_until_up(f"http://127.0.0.1:{pport}/__faults__/stats")
                code, out, secs, n = run_check(a.binary, f"http://127.0.0.1:{pport}", work, extra)
                stats = proxy_stats(pport)
                proxy.terminate()
                proxy.wait()
                same += out == clean
                ok += code == 0
                times.append(secs)
                retries.append(n or 0)
                injected.append(stats["throttled"] + stats["burst_5xx"])
                print(f"  {name} run {r + 1}: exit {code}, {'same' if out == clean else 'DIFFERENT'}, "
                      f"{secs:.1f} s, {n} retries, {injected[-1]} injected of {stats['requests']} "
                      f"requests", file=sys.stderr)
            rows.append((name, a.runs, same, ok, statistics.median(times),
                         statistics.median(retries), statistics.median(injected)))
        print("| faults | runs | identical to clean | exit 0 | median s | median retries "
              "| median faults injected |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for name, runs, same, ok, secs, n, inj in rows:
            print(f"| {name} | {runs} | {same} | {ok} | {secs:.1f} | {n:g} | {inj:g} |")
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
                p.wait()


if __name__ == "__main__":
    main()
