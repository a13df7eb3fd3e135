"""Benchmark: an HTML report of about 10,000 findings, opened and filtered in headless Chromium.

Resets the moto server at AWS_ENDPOINT_URL (a plain one; the shared kit's latency proxy adds nothing
here) and seeds it with QUEUES (default 6000) queues and FAMILIES (default 400) task definitions
whose environment names one queue each, snapshots them into a scratch golden folder, then makes
drift: MODIFIED (default 4000) queues get a new visibility timeout, MISSING (default 1000) are
deleted (FAMILIES/4 of them named by a task definition: broken references), UNMANAGED (default 4500)
new queues appear, and every family gets a new revision with one changed variable. One `driftwatch
check --report html=… --report json=…` then finds about 10,000 findings of every drift status plus
broken references.

Prints the HTML file's size and, as medians of REPEAT (default 3) fresh page loads in Chromium
(tests/browser/bench.mjs, on Debian's chromium through playwright-core: run
scripts/setup-browser first): navigation start to first paint and to the load event; a filter
change through the page's status select until the page has painted the new list; a text search
typed into the search box (the first one reads every article's text); and where the main thread
spent the time (Chromium's own Performance metrics: layout, style, script). Figures, not
assertions; exits non-zero when a step fails. KEEP=DIR keeps the two reports.

scripts/bench runs it with a release build; alone, from the repository (bash):
  scripts/setup-moto && scripts/setup-browser && cargo build --locked
  . scripts/lib/moto.sh && moto_start && AWS_ENDPOINT_URL=$MOTO_URL AWS_ACCESS_KEY_ID=x \
    AWS_SECRET_ACCESS_KEY=x AWS_REGION=us-east-1 .venv/bin/python demo/bench_html.py target/debug/driftwatch
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import boto3

QUEUES = int(os.environ.get("QUEUES", "6000"))
FAMILIES = int(os.environ.get("FAMILIES", "400"))
MODIFIED = int(os.environ.get("MODIFIED", "4000"))
MISSING = int(os.environ.get("MISSING", "1000"))
UNMANAGED = int(os.environ.get("UNMANAGED", "4500"))
REPEAT = int(os.environ.get("REPEAT", "3"))
DRIFTWATCH = os.path.abspath(sys.argv[1])
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGION = "us-east-1"
ACCOUNT = "123456789012"


def queue_url(name):
    return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}"


def pool(fn, items):
    # moto serializes much of the work; a few threads still hide the HTTP round trips.
    with ThreadPoolExecutor(8) as ex:
        list(ex.map(fn, items))


def timed(what, fn):
    t = time.monotonic()
    fn()
    print(f"{what}: {time.monotonic() - t:.1f} s", file=sys.stderr)


def register(ecs, family, value):
    ecs.register_task_definition(
        family=family, networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256",
        memory="512", containerDefinitions=[{
            "name": "app", "image": "nginx:1", "essential": True,
            "environment": [{"name": "JOBS_QUEUE_URL", "value": queue_url(f"bench-q-{int(family[-4:]):05}")},
                            {"name": "RELEASE", "value": value}]}])


def seed():
    sqs = boto3.client("sqs", region_name=REGION)
    ecs = boto3.client("ecs", region_name=REGION)
    names = [f"bench-q-{i:05}" for i in range(QUEUES)]
    timed(f"{QUEUES} queues", lambda: pool(lambda n: sqs.create_queue(
        QueueName=n, tags={"app": "bench", "team": f"team-{hash(n) % 7}"}), names))
    # Family i names queue bench-q-0000i: the first FAMILIES/4 of those are deleted below.
    families = [f"bench-td-{i:04}" for i in range(FAMILIES)]
    timed(f"{FAMILIES} task definitions", lambda: pool(lambda f: register(ecs, f, "1.0.0"), families))
    return sqs, ecs, names, families


def drift(sqs, ecs, names, families):
    url = lambda n: f"{os.environ['AWS_ENDPOINT_URL']}/{ACCOUNT}/{n}"
    gone = names[:FAMILIES // 4] + names[QUEUES - (MISSING - FAMILIES // 4):]
    changed = names[FAMILIES // 4:FAMILIES // 4 + MODIFIED]
    timed(f"{len(changed)} queues changed", lambda: pool(lambda n: sqs.set_queue_attributes(
        QueueUrl=url(n), Attributes={"VisibilityTimeout": "45", "DelaySeconds": "2"}), changed))
    timed(f"{len(gone)} queues deleted", lambda: pool(lambda n: sqs.delete_queue(QueueUrl=url(n)), gone))
    fresh = [f"bench-new-{i:05}" for i in range(UNMANAGED)]
    timed(f"{UNMANAGED} unmanaged queues", lambda: pool(lambda n: sqs.create_queue(QueueName=n), fresh))
    timed(f"{FAMILIES} new revisions", lambda: pool(lambda f: register(ecs, f, "1.0.1"), families))


def driftwatch(args, cwd):
    t = time.monotonic()
    p = subprocess.run([DRIFTWATCH, *args], cwd=cwd, capture_output=True, text=True)
    return p, time.monotonic() - t


def main():
    kinds = ["--kind", "aws_sqs_queue", "--kind", "aws_ecs_task_definition"]
    # A server of its own contents: whatever an earlier benchmark seeded is gone.
    urllib.request.urlopen(urllib.request.Request(
        os.environ["AWS_ENDPOINT_URL"] + "/moto-api/reset", method="POST"), timeout=30)
    with tempfile.TemporaryDirectory() as work:
        sqs, ecs, names, families = seed()
        p, took = driftwatch(["snapshot", *kinds], work)
        if p.returncode != 0:
            sys.exit(f"snapshot failed ({p.returncode}):\n{p.stderr}")
        print(f"snapshot: {took:.1f} s", file=sys.stderr)
        drift(sqs, ecs, names, families)
        html, js = os.path.join(work, "report.html"), os.path.join(work, "report.json")
        p, took = driftwatch(["check", *kinds, "--report", f"html={html}", "--report", f"json={js}"], work)
        if p.returncode != 1:
            sys.exit(f"check should find drift (exit 1), exited {p.returncode}:\n{p.stderr}")
        print(f"check writing both reports: {took:.1f} s", file=sys.stderr)
        report = json.load(open(js))
        s = report["summary"]
        script = os.path.join(REPO, "tests/browser/bench.mjs")
        b = subprocess.run(["node", script, html, js, str(REPEAT)], capture_output=True, text=True)
        if b.returncode != 0:
            sys.exit(f"the browser bench failed:\n{b.stdout}\n{b.stderr}")
        m = json.loads(b.stdout)
        size = os.path.getsize(html)
        print(f"\n{m['findings']} findings ({s['modified']} modified, {s['missing']} missing, "
              f"{s['unmanaged']} unmanaged entries, {s.get('checks', 0)} check findings), "
              f"{s['in_sync']} in sync; Chromium {m['browser']}, medians of {REPEAT}\n")
        print("| what | median | runs |\n| --- | ---: | --- |")
        print(f"| HTML file | {size / 1e6:.2f} MB | {size / m['findings']:.0f} bytes a finding |")
        for key, label in [("first_paint", "navigation start → first paint"),
                           ("first_contentful_paint", "navigation start → first contentful paint"),
                           ("load", "navigation start → load event"),
                           ("filter", "status filter changed → new list painted"),
                           ("search", "search typed → new list painted"),
                           ("search_again", "second search (texts read) → painted")]:
            runs = m["times"].get(key)
            if runs:
                print(f"| {label} | {median(runs):.0f} ms | {', '.join(f'{r:.0f}' for r in runs)} |")
        print("\nWhere Chromium's main thread spent the time (its Performance metrics, medians; "
              "'tasks' is all of it, parsing and painting included):")
        for k, v in m["metrics"].items():
            print(f"- {k}: {v:.0f} ms")
        keep = os.environ.get("KEEP")
        if keep:
            os.makedirs(keep, exist_ok=True)
            for f in (html, js):
                shutil.copy(f, keep)
            print(f"\nreports kept in {keep}", file=sys.stderr)


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2


if __name__ == "__main__":
    main()
