#!/usr/bin/env bash
# Data-proxy study measurements for docs/benchmarks.md ("Data proxy").
# Runs pipelines/data-proxy-fashion.md (default, or the quick variant with `quick`) in a fresh
# store under /tmp, prints wall time, the held-out accuracy spread, the noise ceiling, and τ per
# method and ratio (mean ± std over selection seeds) with the speedup, from metrics.json.
# Usage: bench/proxy.sh [quick] [--set NAME=VALUE ...]
set -euo pipefail
cd "$(dirname "$0")/.."
variant=default
if [[ ${1:-} == quick ]]; then variant=quick; shift; fi
args=("$@")
if [[ $variant == quick ]]; then
  args=(--preset quick "${args[@]}")
fi
scripts/build-release >/dev/null
NB=$PWD/.build/release/nasbook
STORE=$(mktemp -d /tmp/proxy-bench-XXXXXX)
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); variant $variant ${args[*]}"
start=$(date +%s)
$NB run pipelines/data-proxy-fashion.md --store "$STORE" "${args[@]}"
echo "wall: $(( $(date +%s) - start )) s"
$NB export --store "$STORE" data-proxy-fashion:validate "$STORE/validate" >/dev/null
python3 - "$STORE/validate/metrics.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(f"held-out: {m['architectures']} cells x {m['reference_seeds']} seeds, spread {m['reference_spread_points']:.1f} points, "
      f"noise ceiling tau {m['noise_ceiling']:.3f}, tau(single run, seed mean) {m['full_run_tau']:.3f}")
tp = m['test_proxy']
print(f"test proxy ({tp['size']} examples): tau {tp['kendall_tau']:.3f} vs random {tp['random_kendall_tau']:.3f}")
print("method            ratio  tau mean +- std   rho    top5  speedup")
for method, by in m['methods'].items():
    for ratio in sorted(by, key=float):
        r = by[ratio]
        print(f"{method:17s} {float(ratio):5.2f}  {r['kendall_tau']['mean']:.3f} +- {r['kendall_tau']['std']:.3f}  "
              f"{r['spearman_rho']['mean']:.3f}  {r['top5_overlap']['mean']:.2f}  {r['speedup']:.1f}x")
if "random" in m["methods"]:
    print("difference to random, per selection seed (mean +- std):")
    for method in ("ranking", "ranking-mix"):
        for ratio in sorted(m["methods"].get(method, {}), key=float):
            a = m["methods"][method][ratio]["kendall_tau"]["per_seed"]
            b = m["methods"]["random"].get(ratio, {}).get("kendall_tau", {}).get("per_seed", [])
            if len(a) != len(b) or not a: continue
            d = [x - y for x, y in zip(a, b)]
            mean = sum(d) / len(d); std = (sum((x - mean) ** 2 for x in d) / max(1, len(d) - 1)) ** 0.5
            print(f"  {method:12s} {float(ratio):4.2f}  {mean:+.3f} +- {std:.3f}  {[round(x, 3) for x in d]}")
PY
echo "store: $STORE (remove when done)"
