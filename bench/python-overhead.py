#!/usr/bin/env python3
"""Per-document overhead of the Python package against the command line,
over the same texts, in one run on one machine.

    python bench/python-overhead.py [PATH ...]

Run with the Python that has the package installed (`pip install
./crates/python`). The corpus is `warcoder bench --dump-corpus` of PATH
(default: `warcoder bench`'s own corpus: examples/, tests/articles/ and the
gold texts under ../shared/eval/ when present), as JSONL `{"id", "text"}`.

Both sides code the same records and produce dicts / JSON for every one:
the command line `warcoder extract --format jsonl FILE > /dev/null`, one
process per pass (its start-up, measured on a one-line input, is reported
and taken off); the package `extract_many` over the records and `extract`
one by one, after one call has built its resources. The corpus is
repeated COPIES times (default 20) so that a pass is long enough to time.
Each figure is the median of REPEAT passes (default 3), with 1 thread and
with all cores.

Environment: WARCODER (the binary; default target/release/warcoder),
REPEAT, COPIES.
"""

import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

import warcoder

ROOT = pathlib.Path(__file__).resolve().parents[1]
BINARY = os.environ.get("WARCODER", str(ROOT / "target" / "release" / "warcoder"))
REPEAT = int(os.environ.get("REPEAT", "3"))
COPIES = int(os.environ.get("COPIES", "20"))


def median_seconds(run):
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli_pass(corpus, threads):
    env = {**os.environ, "RAYON_NUM_THREADS": str(threads), "WARCODER_OVERLAY": "none"}
    with open(os.devnull, "w") as null:
        subprocess.run(
            [BINARY, "extract", "--format", "jsonl", str(corpus)], stdout=null, env=env, check=True
        )


def main():
    os.environ["WARCODER_OVERLAY"] = "none"
    work = pathlib.Path(tempfile.mkdtemp(prefix="warcoder-pybench-"))
    corpus = work / "corpus.jsonl"
    subprocess.run([BINARY, "bench", "--dump-corpus", str(corpus), *sys.argv[1:]], check=True)
    lines = corpus.read_text(encoding="utf-8").splitlines() * COPIES
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = [json.loads(line) for line in lines]
    texts = [r["text"] for r in records]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    tiny = work / "tiny.jsonl"
    tiny.write_text(json.dumps({"id": "t", "text": "Gunmen killed 3 in Kano."}) + "\n")
    warcoder.extract(texts[0])
    cores = os.cpu_count() or 1
    print(f"corpus: {len(texts)} documents ({COPIES} copies), {megabytes:.1f} MB; {cores} cores; median of {REPEAT}")
    print(f"{'threads':>7} {'CLI s':>7} {'start s':>7} {'many s':>7} {'one s':>7} {'many-CLI ms/doc':>15} {'one-CLI ms/doc':>14}")
    for threads in sorted({1, cores}):
        start_up = median_seconds(lambda: cli_pass(tiny, threads))
        cli = median_seconds(lambda: cli_pass(corpus, threads)) - start_up
        many = median_seconds(lambda: list(warcoder.extract_many(records, threads=threads)))
        one = median_seconds(lambda: [warcoder.extract(t) for t in texts]) if threads == 1 else float("nan")
        per_doc = lambda seconds: (seconds - cli) / len(texts) * 1000
        print(
            f"{threads:>7} {cli:>7.2f} {start_up:>7.2f} {many:>7.2f} {one:>7.2f} "
            f"{per_doc(many):>15.3f} {per_doc(one):>14.3f}"
        )


if __name__ == "__main__":
    main()
