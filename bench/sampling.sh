#!/bin/sh
# Sampling measurements (docs/methods/sampling.md, docs/benchmarks.md § Sampling):
# release CLI, the 20-seed NB201 study one strategy at a time (wall time and
# CPU time of each, with the load average before it), then the NB101 study.
# Each study runs against a fresh store so nothing is restored from cache.
#   bench/sampling.sh            # everything (about 20–30 minutes on 2 idle cores)
#   bench/sampling.sh nb201      # only the NB201 strategies
#   bench/sampling.sh nb101      # only the NB101 study
set -e
cd "$(dirname "$0")/.."
scripts/build-release >/dev/null
NB=.build/release/nasbook
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
summary() {
    $NB show "$1:study/metrics.json" --store "$2" | python3 -c '
import json, sys
m = json.load(sys.stdin)
print("  target: %s; random search E = %.1f, median = %d" % (m["target_definition"], m["expected_random_queries"], m["median_random_queries"]))
for name, s in m["strategies"].items():
    med = "> budget" if s["median_queries"] is None else "%.1f" % s["median_queries"]
    frac = "-" if s["fraction_of_full_gain"] is None else "%.0f%%" % (100 * s["fraction_of_full_gain"])
    print("  %-14s reached %2d/%d  median %-8s gain %6.1f  CI [%.1f, %.1f]  vs-median %5.1f  of-full %s  scored/iter %d  final %.2f"
          % (name, s["reached"], len(s["queries_to_target"]), med, s["gain"], s["gain_ci95"][0], s["gain_ci95"][1],
             s["gain_vs_random_median"], frac, s["max_scored_per_iteration"], s["mean_final_best"]))
    print("    queries: %s" % s["queries_to_target"])'
}
study() {  # pipeline strategy
    store="$WORK/store-$1-$2"
    echo "## $1 $2   loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/time -f "  wall %e s, user %U s, sys %S s" $NB run "$1" --store "$store" --set only="$2" >/dev/null
    summary "$1" "$store"
}
if [ "${1:-all}" != nb101 ]; then
    for s in full smart-subset random-subset evolution random-search; do study sampling-nb201 "$s"; done
fi
if [ "${1:-all}" != nb201 ]; then
    for s in full smart-subset random-subset evolution random-search; do study sampling-nb101 "$s"; done
fi
