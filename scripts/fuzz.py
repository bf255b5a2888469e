#!/usr/bin/env python3
"""Run every property test (the stable fuzz harness) for a CPU-time budget.

    python3 scripts/fuzz.py [--minutes 10] [--cases 2000] [--only SUBSTRING]

Each target is a proptest test in a module named `properties`. It is run
again and again, each run with a fresh random seed and `--cases` cases, until
the target has used `--minutes` of CPU time (user + system of its runs);
`--jobs` targets run at once.
A failing run stops everything: its output is printed (proptest prints the
minimal failing input and stores it under proptest-regressions/, which makes
it a regression test once committed) and the exit status is 1.

Prints one line per target: runs, cases executed, CPU seconds, and the total.
The test binaries are built first (`cargo test --release --no-run`).
"""

import argparse
import atexit
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
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


def run_once(cmd, env):
    """Run one test binary; its exit code, output and CPU seconds."""
    child = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, output, usage.ru_utime + usage.ru_stime


def fuzz(binary, name, budget_s, cases, failed):
    """Run one target until it has used `budget_s` CPU seconds (or another
    target failed); (runs, CPU seconds, failure output or None)."""
    env = dict(os.environ, PROPTEST_CASES=str(cases))
    cpu = 0.0
    runs = 0
    while cpu < budget_s and not failed.is_set():
        code, output, used = run_once([binary, "--exact", name, "--test-threads", "1"], env)
        runs += 1
        cpu += used
        if code != 0:
            failed.set()
            return runs, cpu, output
    return runs, cpu, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="CPU minutes per target")
    parser.add_argument("--cases", type=int, default=2000, help="cases per run")
    parser.add_argument("--only", help="run only targets whose name contains this")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count(), help="targets run at once (default: cores)"
    )
    args = parser.parse_args()
    found = targets(private_copies(test_binaries()), args.only)
    if not found:
        sys.exit("no property test matched; run from the repository root")
    failed = threading.Event()
    wall = time.monotonic()

    def one(target):
        binary, name = target
        runs, cpu, failure = fuzz(binary, name, args.minutes * 60, args.cases, failed)
        if failure is None:
            print(f"{name}: {runs} runs, {runs * args.cases} cases, {cpu:.0f} CPU s, no failure",
                  flush=True)
        else:
            print(f"{failure}\nFAILED {name} on run {runs} ({cpu:.0f} CPU s)", flush=True)
        return runs

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        total_runs = sum(pool.map(one, found))
    if failed.is_set():
        sys.exit(1)
    print(
        f"{len(found)} targets, {total_runs * args.cases} cases, "
        f"{time.monotonic() - wall:.0f} s wall, no failure"
    )


if __name__ == "__main__":
    main()
