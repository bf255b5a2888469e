#!/usr/bin/env bash
# Documents per second of `warcoder work` with several workers sharing one
# store, beside a plain `warcoder ingest` of the same corpus: 2,000 JSONL
# records made from the example and test articles (each copy unique).
# Needs a NATS server: `scripts/services.sh run scripts/bench-queue.sh`.
#
#   scripts/bench-queue.sh                         1 and 2 workers, SQLite
#   scripts/bench-queue.sh --db postgres://U@H/DB  1, 2 and 4 workers, each
#        count into a new database made on that server (DB is only connected
#        to, to make them; they are dropped at the end)
#   --workers "1 2 4"   the worker counts; --docs N   the corpus size
#
# Each worker codes with max(1, cores / workers) threads. Per worker it
# prints the CPU seconds and peak memory (`/usr/bin/time`), the cost a
# worker adds whatever the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
W=${W:-target/release/warcoder}
N=2000
DB=""
WORKERS=""
while [ $# -gt 0 ]; do
    case "$1" in
        --db) DB=$2; shift 2 ;;
        --workers) WORKERS=$2; shift 2 ;;
        --docs) N=$2; shift 2 ;;
        *) echo "usage: $0 [--db postgres://...] [--workers \"1 2 4\"] [--docs N]" >&2; exit 2 ;;
    esac
done
case "$DB" in
    postgres://* | postgresql://*) PG=PostgreSQL; WORKERS=${WORKERS:-1 2 4} ;;
    "") PG=""; WORKERS=${WORKERS:-1 2} ;;
    *) echo "--db takes a postgres:// URL (SQLite files are made here)" >&2; exit 2 ;;
esac
CORES=$(nproc)
DIR=$(mktemp -d /tmp/warcoder-bench-queue.XXXXXX)
MADE=()
cleanup() {
    local db
    for db in ${MADE[@]+"${MADE[@]}"}; do psql -q "$DB" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; done
    rm -rf "$DIR"
}
trap cleanup EXIT
export WARCODER_OVERLAY=none
# psql: no NOTICE that a database to drop is absent.
export PGOPTIONS="--client-min-messages=warning"
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
# A store for one run in $STORE: a SQLite file, or a new database on the
# server (not in a subshell: MADE must remember it). Its schema is made
# before the workers start: workers opening a new SQLite file at once
# race for its lock.
mkdir "$DIR/empty"
store() {
    if [ -z "$PG" ]; then
        STORE="$DIR/$1.db"
    else
        local name="warcoder_bench_${1}_$$"
        psql -q "$DB" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
        MADE+=("$name")
        STORE="${DB%/*}/$name"
    fi
    $W ingest "$DIR/empty" --db "$STORE" >/dev/null 2>&1
}
echo "$N documents, $CORES cores, store: ${PG:-SQLite}"
store plain
start=$(date +%s.%N)
$W ingest "$DIR/corpus.jsonl" --db "$STORE" --threads "$CORES" >/dev/null
echo "plain ingest --threads $CORES: $(rate "$start") documents/s"
for n in $WORKERS; do
    stream="BENCH_${n}_$$"
    threads=$(( CORES / n > 0 ? CORES / n : 1 ))
    store "work$n"
    $W enqueue --queue "$WARCODER_TEST_NATS" --stream "$stream" "$DIR/corpus.jsonl" >/dev/null
    start=$(date +%s.%N)
    for i in $(seq "$n"); do
        /usr/bin/time -o "$DIR/time-$n-$i" -f "%U %S %M" \
            "$W" work --queue "$WARCODER_TEST_NATS" --stream "$stream" --db "$STORE" \
            --concurrency "$threads" --until-empty >/dev/null &
    done
    wait
    echo "$n worker(s), --concurrency $threads each: $(rate "$start") documents/s"
    for i in $(seq "$n"); do
        # The last line: before it, time says when a worker failed.
        read -r user sys kb < <(tail -n 1 "$DIR/time-$n-$i")
        echo "  worker $i: $(python3 -c "print(round($user + $sys, 1))") CPU s, peak RSS $((kb / 1024)) MB"
    done
done
