"""Benchmark: snapshot and check of many task-definition families against a local moto server.

Seeds FAMILIES families with REVISIONS ACTIVE revisions each (a busy account registers one per
deploy), then times `driftwatch snapshot` and `driftwatch check` and prints wall time, API calls
and peak memory. Figures, not assertions: shared machines are noisy.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time

import boto3

FAMILIES = int(os.environ.get("FAMILIES", "200"))
REVISIONS = int(os.environ.get("REVISIONS", "5"))
DRIFTWATCH = sys.argv[1]


def main():
    ecs = boto3.client("ecs", region_name="us-east-1")
    t = time.monotonic()
    for f in range(FAMILIES):
        for r in range(REVISIONS):
            ecs.register_task_definition(
                family=f"svc-{f:04d}",
                networkMode="awsvpc",
                requiresCompatibilities=["FARGATE"],
                cpu="256",
                memory="512",
                containerDefinitions=[{
                    "name": "app",
                    "image": f"example/app:{r}",
                    "portMappings": [{"containerPort": 8080}],
                    "environment": [{"name": f"VAR_{i}", "value": str(i)} for i in range(20)],
                }],
            )
    print(f"seeded {FAMILIES} families x {REVISIONS} revisions in {time.monotonic() - t:.1f} s")
    with tempfile.TemporaryDirectory() as d:
        for name, args in [
            ("snapshot", ["snapshot", "--out", d]),
            ("check", ["check", "--golden", d]),
        ]:
            t = time.monotonic()
            # First-hand calls, as a first run (demo/bench_cache.py measures the cache).
            out = subprocess.run([DRIFTWATCH, "-v", "--no-cache", *args], capture_output=True,
                                 text=True)
            wall = time.monotonic() - t
            calls = [l for l in out.stderr.splitlines() if "API calls" in l]
            rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"{name:8} exit {out.returncode}  {wall:5.2f} s  peak RSS {rss:.0f} MiB  "
                  f"{calls[0].strip() if calls else ''}")


if __name__ == "__main__":
    main()
