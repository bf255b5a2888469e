#!/usr/bin/env bash
# How many coded events have no date on web news without metadata (the
# training corpus's news/ TSVs: text in the first column, no publication
# date). Prints, per file: articles, events, events with a null date.
#
#   scripts/count-undated.sh [WARCODER] [NEWS_DIR]
#
# WARCODER defaults to target/release/warcoder, NEWS_DIR to
# ../shared/eval/train/news. Nothing is written outside a temporary folder.
set -euo pipefail
bin=${1:-target/release/warcoder}
news=${2:-../shared/eval/train/news}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in satp-dev.tsv satp-train.tsv bbc-dev.tsv; do
    # One JSONL record per row: its text, no published field.
    python3 - "$news/$f" > "$tmp/$f.jsonl" <<'EOF'
import csv, json, sys
csv.field_size_limit(1 << 30)
with open(sys.argv[1], newline="", encoding="utf-8") as fh:
    rows = list(csv.reader(fh, delimiter="\t"))
for i, row in enumerate(rows[1:] if rows and rows[0][0] == "text" else rows):
    if row and row[0].strip():
        print(json.dumps({"id": str(i), "text": row[0]}))
EOF
    "$bin" extract --format jsonl "$tmp/$f.jsonl" > "$tmp/$f.out" 2>/dev/null || true
    jq -rs --arg f "$f" '
        [.[].events[]] as $e
        | "\($f)\tarticles \(length)\tevents \($e | length)\tundated \([$e[] | select(.date == null)] | length)"
    ' "$tmp/$f.out"
done
