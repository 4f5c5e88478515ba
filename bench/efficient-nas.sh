#!/usr/bin/env bash
# End-to-end efficient NAS measurements for docs/benchmarks.md ("Efficient NAS (end to end)").
# Runs pipelines/efficient-nas.md (the quick setting, or the default with `default`) in a fresh
# store under /tmp under /usr/bin/time, then prints wall and CPU time, the load average before and
# after, the stage timings the CLI printed, and the final stage's cost table (cost.json, final.csv).
# Usage: bench/efficient-nas.sh [default] [--set NAME=VALUE ...]
set -euo pipefail
cd "$(dirname "$0")/.."
setting=quick
if [[ ${1:-} == default ]]; then setting=default; shift; fi
args=("$@")
if [[ $setting == quick ]]; then
  # The quick preset of pipelines/efficient-nas.md's front matter.
  args=(--preset quick "${args[@]}")
fi
scripts/build-release >/dev/null
NB=$PWD/.build/release/nasbook
STORE=$(mktemp -d /tmp/e2e-bench-XXXXXX)
echo "machine: $(nproc) cores, load before $(cut -d' ' -f1-3 /proc/loadavg); setting $setting ${args[*]}"
/usr/bin/time -f "wall %e s, user %U s, sys %S s, max RSS %M KB" \
  "$NB" run pipelines/efficient-nas.md --store "$STORE" "${args[@]}" 2>&1 | grep -v "^\s*$" | tail -n 30
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$NB" export --store "$STORE" efficient-nas:final "$STORE/final" >/dev/null
"$NB" export --store "$STORE" efficient-nas:search "$STORE/search" >/dev/null
cat "$STORE/final/final.csv"
python3 - "$STORE/final/cost.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
print(f"population: {c['populationRuns']} runs {c['populationSeconds']:.1f} s | search: {c['searchQueries']} queries "
      f"{c['searchSeconds']:.1f} s | final: {c['finalRuns']} runs {c['finalSeconds']:.1f} s")
print(f"full-data cost per cell {c['fullSecondsPerCell']:.2f} s; same search on full data {c['fullSearchEstimate']:.1f} s; "
      f"speed-up search {c['searchSpeedup']:.1f}x, incl. proxy generation {c['totalSpeedup']:.1f}x")
PY
echo "store: $STORE (remove when done)"
