#!/usr/bin/env bash
# Speed of `warcoder serve` on a large store: builds a store of N incidents
# (default 100,000) from the coded demo articles, repeated with dates shifted
# back a week per copy and places moved by up to two degrees, serves it, and
# measures the page in headless Chromium (web/tests/bench.mjs) and each API
# call with curl. Needs chromium and `npm ci` in web/tests.
#
#     scripts/bench-serve.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/warcoder-bench-serve}
port=${PORT:-18080}
mkdir -p "$dir"
# One build for both, so that features unify as in the workspace build.
cargo build --release -p warcoder -p warcoder-store --bin warcoder --example big_store
./target/release/warcoder demo --db "$dir/demo.db" > /dev/null
./target/release/examples/big_store "$dir/demo.db" "$dir/big.db" "$n"
./target/release/warcoder serve --db "$dir/big.db" --addr "127.0.0.1:$port" --read-only > "$dir/serve.log" &
server=$!
trap 'kill $server' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/stats" > /dev/null && break; sleep 0.2; done
echo "API calls of the first view (server time, curl):"
for path in "api/facets" "api/timeline" "api/map?cell=1.406" "api/events?offset=0&limit=50" \
            "api/events?country=PK&limit=50" "api/map?country=PK&cell=1.406" "api/events?q=police&limit=50" \
            "vendor/world-atlas/countries-50m.json"; do
  curl -s -o /dev/null -H 'Accept-Encoding: gzip' -w "  %{time_total}s  %{size_download} bytes  /$path\n" "http://127.0.0.1:$port/$path"
done
WARCODER_URL="http://127.0.0.1:$port/" node web/tests/bench.mjs
