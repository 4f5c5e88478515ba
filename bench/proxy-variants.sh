#!/usr/bin/env bash
# Choosing the ranking-importance variant WITHOUT the held-out cells (docs/benchmarks.md, "Data proxy").
# Runs a copy of pipelines/data-proxy-fashion.md whose validation stage trains the *calibration*
# cells (disjoint from population and held-out, trained on the full data with the reference
# seeds) instead of the held-out cells, on proxies scored from the study's own population:
# by default ranking, ranking-mix and random at 10 %, 3 selection seeds (--methods a,b,c picks others;
# random is always added). Also prints the calibration summary (spread, seed noise, noise ceiling)
# of the recipe given by --set overrides (e.g. --set proxy_batch=32 changes the proxy recipe).
# Reusing --store DIR re-trains only what changed (population and calibration runs are cached).
# Usage: bench/proxy-variants.sh [--store DIR] [--methods a,b,c] [--set NAME=VALUE ...]
#        env CALIBRATION=N (cells, default 26), RATIO_COUNT=K (the first K of the document's ratios
#        [0.1, 0.05, 0.2]; default 1, i.e. 10 % only), NB=BINARY (a nasbook binary to use instead of
#        building this checkout's release build), CALSET_POPULATION=N (draw the calibration cells as
#        if the population had N cells: the calibration draw excludes the population, so without
#        this a --set population=… probe would also change every calibration cell and the
#        comparison would not be paired)
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=""
METHODS=ranking,ranking-mix,random
if [[ ${1:-} == --store ]]; then STORE=$2; shift 2; fi
if [[ ${1:-} == --methods ]]; then METHODS=$2; shift 2; fi
[[ ,$METHODS, == *,random,* ]] || METHODS=$METHODS,random
[[ -n $STORE ]] || STORE=$(mktemp -d /tmp/proxy-variants-XXXXXX)
mkdir -p bench/work
DOC=bench/work/data-proxy-variants.md
# Validation on the calibration cells; only the ranking variants and random.
python3 - pipelines/data-proxy-fashion.md "$DOC" "$METHODS" "${CALSET_POPULATION:-}" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
if sys.argv[4]:
    # A second sample stage, identical but for the population size, feeds only the calibration stage.
    start = text.index("```stage sample"); end = text.index("```", start + 3) + 3
    copy = text[start:end].replace("```stage sample", "```stage calsample", 1)
    copy = copy.replace("population: ${population}", "population: " + sys.argv[4], 1)
    text = text[:end] + "\n\n" + copy + text[end:]
    cal = text.index("```stage calibration"); cal_end = text.index("```", cal + 3)
    text = text[:cal] + text[cal:cal_end].replace("cells: sample", "cells: calsample", 1) + text[cal_end:]
text = re.sub(r"methods: \[[^\]]*\]", "methods: [" + ", ".join(sys.argv[3].split(",")) + "]", text, count=1)
start = text.index("```stage validate")
text = text[:start] + text[start:].replace("heldout: heldout", "heldout: calibration", 1)
open(sys.argv[2], "w").write(text)
PY
if [[ -z ${NB:-} ]]; then scripts/build-release >/dev/null; NB=$PWD/.build/release/nasbook; fi
CAL=${CALIBRATION:-26}; RC=${RATIO_COUNT:-1}
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); overrides: --set calibration=$CAL --set ratio_count=$RC $*"
start=$(date +%s)
$NB run "$DOC" --store "$STORE" --until validate --set calibration=$CAL --set ratio_count=$RC "$@"
echo "wall: $(( $(date +%s) - start )) s"
for stage in calibration validate; do
  rm -rf "$STORE/$stage-out"
  $NB export --store "$STORE" "data-proxy-variants:$stage" "$STORE/$stage-out" >/dev/null
done
python3 bench/proxy_calibration.py "$STORE/calibration-out/runs.json"
python3 - "$STORE/validate-out/metrics.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(f"validation on calibration cells: noise ceiling {m['noise_ceiling']:.3f}, tau(single run, seed mean) {m['full_run_tau']:.3f}")
for ratio in sorted(next(iter(m["methods"].values())).keys(), key=float):
    rnd = m["methods"]["random"][ratio]["kendall_tau"]["per_seed"]
    for method, by in m["methods"].items():
        t = by[ratio]["kendall_tau"]
        d = [a - b for a, b in zip(t["per_seed"], rnd)]
        mean = sum(d) / len(d); std = (sum((x - mean) ** 2 for x in d) / max(1, len(d) - 1)) ** 0.5
        print(f"  {method:15s} tau@{float(ratio):.0%} {t['mean']:.3f} +- {t['std']:.3f}  per seed {[round(x, 3) for x in t['per_seed']]}  "
              f"minus random {mean:+.3f} +- {std:.3f}  speedup {by[ratio]['speedup']:.1f}x")
PY
echo "noise or bias (bench/proxy_decompose.py):"
python3 bench/proxy_decompose.py "$STORE/validate-out/proxy_runs.csv" "$STORE/calibration-out/runs.json"
echo "store: $STORE (remove when done)"
