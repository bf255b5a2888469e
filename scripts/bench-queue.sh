#!/usr/bin/env bash
# Documents per second of `warcoder work` with 1 and 2 workers sharing one
# SQLite store, beside a plain `warcoder ingest` of the same corpus: 2,000
# JSONL records made from the example and test articles (each copy unique).
# Needs a NATS server: `scripts/services.sh run scripts/bench-queue.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${W:-target/release/warcoder}
N=2000
DIR=$(mktemp -d /tmp/warcoder-bench-queue.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
export WARCODER_OVERLAY=none
python3 - "$DIR/corpus.jsonl" "$N" <<'PY'
import glob, json, sys
texts = [open(f).read() for f in sorted(glob.glob("examples/*.txt") + glob.glob("tests/articles/*.txt"))]
with open(sys.argv[1], "w") as out:
    for i in range(int(sys.argv[2])):
        k = i % len(texts)
        out.write(json.dumps({"text": texts[k] + f"\n\nFiled as copy {i}.\n",
                              "published": f"2025-01-{1 + k % 28:02d}",
                              "url": f"https://corpus.example/{k}/{i}"}) + "\n")
PY
rate() { python3 -c "import sys; print(round($N / (float(sys.argv[2]) - float(sys.argv[1])), 1))" "$1" "$(date +%s.%N)"; }
start=$(date +%s.%N)
$W ingest "$DIR/corpus.jsonl" --db "$DIR/plain.db" --threads 2 >/dev/null
echo "plain ingest --threads 2: $(rate "$start") documents/s"
for n in 1 2; do
    stream="BENCH_${n}_$$"
    $W enqueue --queue "$WARCODER_TEST_NATS" --stream "$stream" "$DIR/corpus.jsonl" >/dev/null
    start=$(date +%s.%N)
    for _ in $(seq "$n"); do
        $W work --queue "$WARCODER_TEST_NATS" --stream "$stream" --db "$DIR/work$n.db" \
            --concurrency $((2 / n)) --until-empty >/dev/null &
    done
    wait
    echo "$n worker(s), --concurrency $((2 / n)) each: $(rate "$start") documents/s"
done
