#!/usr/bin/env python3
"""Run every property test (the stable fuzz harness) for a CPU-time budget.

    python3 scripts/fuzz.py [--minutes 10] [--cases 2000] [--only SUBSTRING]

Each target is a proptest test in a module named `properties`. It is run
again and again, each run with a fresh random seed and `--cases` cases, until
the target has used `--minutes` of CPU time (user + system, all threads).
A failing run stops everything: its output is printed (proptest prints the
minimal failing input and stores it under proptest-regressions/, which makes
it a regression test once committed) and the exit status is 1.

Prints one line per target: runs, cases executed, CPU seconds, and the total.
The test binaries are built first (`cargo test --release --no-run`).
"""

import argparse
import atexit
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time


def test_binaries():
    """Paths of the workspace's release test binaries, built if needed."""
    out = subprocess.run(
        ["cargo", "test", "--release", "--workspace", "--no-run", "--message-format=json"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    bins = []
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("executable"):
            if msg.get("profile", {}).get("test"):
                bins.append(msg["executable"])
    return bins


def private_copies(bins):
    """Copies of the binaries, so that a rebuild during a long run neither
    fails on a busy executable nor swaps the code under test."""
    folder = tempfile.mkdtemp(prefix="warcoder-fuzz-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return [shutil.copy2(binary, folder) for binary in bins]


def targets(bins, only):
    """(binary, test name) for every property test."""
    found = []
    for binary in bins:
        listing = subprocess.run(
            [binary, "--list", "properties"], check=True, capture_output=True, text=True
        ).stdout
        for line in listing.splitlines():
            if line.endswith(": test") and "properties::" in line and (only is None or only in line):
                found.append((binary, line[: -len(": test")]))
    return found


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fuzz(binary, name, budget_s, cases):
    """Run one target until it has used `budget_s` CPU seconds."""
    env = dict(os.environ, PROPTEST_CASES=str(cases))
    start = children_cpu()
    runs = 0
    while children_cpu() - start < budget_s:
        done = subprocess.run(
            [binary, "--exact", name, "--test-threads", "1"],
            env=env,
            capture_output=True,
            text=True,
        )
        runs += 1
        if done.returncode != 0:
            sys.stdout.write(done.stdout + done.stderr)
            print(f"FAILED {name} on run {runs}", flush=True)
            sys.exit(1)
    return runs, children_cpu() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="CPU minutes per target")
    parser.add_argument("--cases", type=int, default=2000, help="cases per run")
    parser.add_argument("--only", help="run only targets whose name contains this")
    args = parser.parse_args()
    found = targets(private_copies(test_binaries()), args.only)
    if not found:
        sys.exit("no property test matched; run from the repository root")
    total_cases = 0
    wall = time.monotonic()
    for binary, name in found:
        runs, cpu = fuzz(binary, name, args.minutes * 60, args.cases)
        total_cases += runs * args.cases
        print(
            f"{name}: {runs} runs, {runs * args.cases} cases, {cpu:.0f} CPU s, no failure",
            flush=True,
        )
    print(
        f"{len(found)} targets, {total_cases} cases, "
        f"{time.monotonic() - wall:.0f} s wall, no failure"
    )


if __name__ == "__main__":
    main()
