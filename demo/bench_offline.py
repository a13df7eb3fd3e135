"""Offline benchmark: `diff` of two golden folders and `check --state` of a large state.

Generates, in a temp folder: two golden folders of N_GOLDEN (default 10,000) queues each, one
percent of them changed; and a Terraform state of N_STATE (default 50,000) queues with a golden
folder of the same queues as the "actual" side. Runs each command REPEAT times (default 3) and
prints the best and median wall time and the peak memory (resident set) of the largest run.
Figures, not assertions: shared machines are noisy. With BENCH_DIR set, the inputs are generated
there once and reused by later runs (to compare two binaries on the same files).
"""

import json
import os
import subprocess
import sys
import tempfile
import time

DRIFTWATCH = sys.argv[1]
N_GOLDEN = int(os.environ.get("N_GOLDEN", "10000"))
N_STATE = int(os.environ.get("N_STATE", "50000"))
REPEAT = int(os.environ.get("REPEAT", "3"))


def queue_doc(i, changed=False):
    return {
        "QueueName": f"q-{i:05d}",
        "VisibilityTimeout": 60 if changed else 30,
        "MessageRetentionPeriod": 345600,
        "Tags": {"team": f"t{i % 7}", "env": "prod"},
    }


def golden_folder(root, n, changed_every=None, record=True):
    d = os.path.join(root, "aws_sqs_queue")
    os.makedirs(d, exist_ok=True)
    for i in range(n):
        changed = changed_every is not None and i % changed_every == 0
        with open(os.path.join(d, f"q-{i:05d}.json"), "w") as f:
            json.dump(queue_doc(i, changed), f, indent=2, sort_keys=True)
            f.write("\n")
    if record:
        with open(os.path.join(root, "source.json"), "w") as f:
            f.write('{\n  "account": "123456789012",\n  "partition": "aws",\n'
                    '  "region": "us-east-1"\n}\n')


def state_file(path, n):
    instances = []
    for i in range(n):
        url = f"https://sqs.us-east-1.amazonaws.com/123456789012/q-{i:05d}"
        instances.append({"index_key": i, "schema_version": 0, "attributes": {
            "arn": f"arn:aws:sqs:us-east-1:123456789012:q-{i:05d}", "id": url, "url": url,
            "name": f"q-{i:05d}", "visibility_timeout_seconds": 30,
            "message_retention_seconds": 345600, "delay_seconds": 0,
            "max_message_size": 262144, "receive_wait_time_seconds": 0, "fifo_queue": False,
            "content_based_deduplication": False, "kms_data_key_reuse_period_seconds": 300,
            "sqs_managed_sse_enabled": True, "policy": "", "redrive_policy": "",
            "tags": {"team": f"t{i % 7}", "env": "prod"},
            "tags_all": {"team": f"t{i % 7}", "env": "prod"}}})
    state = {"version": 4, "terraform_version": "1.9.5", "serial": 1, "lineage": "bench",
             "outputs": {}, "resources": [{"mode": "managed", "type": "aws_sqs_queue",
                                           "name": "q", "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
                                           "instances": instances}]}
    with open(path, "w") as f:
        json.dump(state, f)


def run_once(args, cwd):
    """(exit code, wall seconds, peak RSS in MiB, stderr) of one run."""
    t = time.monotonic()
    p = subprocess.Popen([DRIFTWATCH, "-q", *args], cwd=cwd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - t
    return os.waitstatus_to_exitcode(status), wall, usage.ru_maxrss / 1024, err


def timed(label, args, cwd):
    runs = [run_once(args, cwd) for _ in range(REPEAT)]
    walls = sorted(r[1] for r in runs)
    code, err = runs[-1][0], runs[-1][3]
    print(f"{label:44} exit {code}  best {walls[0]:5.2f} s, median {walls[len(walls) // 2]:5.2f} s "
          f"of {REPEAT}  peak RSS {max(r[2] for r in runs):.0f} MiB")
    if code == 2:
        print(err, file=sys.stderr)


def generate(d):
    """The inputs, in `d`; kept ones (BENCH_DIR) of the same sizes are reused."""
    done = os.path.join(d, f"generated-{N_GOLDEN}-{N_STATE}")
    if os.path.exists(done):
        print(f"reusing the inputs in {d}")
        return
    t = time.monotonic()
    golden_folder(os.path.join(d, "a"), N_GOLDEN)
    golden_folder(os.path.join(d, "b"), N_GOLDEN, changed_every=100)
    golden_folder(os.path.join(d, "live"), N_STATE)
    state_file(os.path.join(d, "big.tfstate"), N_STATE)
    open(done, "w").close()
    print(f"generated in {time.monotonic() - t:.1f} s "
          f"({N_GOLDEN:,} + {N_GOLDEN:,} golden files, a state of {N_STATE:,} queues)")


def run_all(d):
    generate(d)
    timed(f"diff a b ({N_GOLDEN:,} resources each)", ["diff", "a", "b", "--format", "json"], d)
    timed(f"check --state ({N_STATE:,} resources)",
          ["check", "--state", "big.tfstate", "--actual", "live", "--format", "json"], d)


def main():
    kept = os.environ.get("BENCH_DIR")
    if kept:
        os.makedirs(kept, exist_ok=True)
        run_all(kept)
        return
    with tempfile.TemporaryDirectory() as d:
        run_all(d)


if __name__ == "__main__":
    main()
