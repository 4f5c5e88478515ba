#!/usr/bin/env bash
# Recipe calibration for the data-proxy study (docs/benchmarks.md, "Data proxy").
# Trains the pipeline's *calibration* cells (a stratified set disjoint from the population and the
# held-out cells) on the full data with the reference seeds, under the recipe given by --set
# overrides, and prints what the study design needs: the accuracy spread, per-strength means, the
# seed noise (mean |seed0 - seed1|), the noise ceiling (Kendall tau seed 0 vs seed 1) and
# tau(seed 0, seed mean); also the same on random subsets of the test set, to size test_size.
# The held-out cells are never trained here.
# Usage: bench/proxy-calibrate.sh [--store DIR] [--set NAME=VALUE ...]   (default 26 cells; env CALIBRATION=N for N)
set -euo pipefail
cd "$(dirname "$0")/.."
STORE=""
if [[ ${1:-} == --store ]]; then STORE=$2; shift 2; fi
[[ -n $STORE ]] || STORE=$(mktemp -d /tmp/proxy-calib-XXXXXX)
scripts/build-release >/dev/null
NB=$PWD/.build/release/nasbook
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); overrides: --set calibration=${CALIBRATION:-26} $*"
start=$(date +%s)
$NB run pipelines/data-proxy-fashion.md --store "$STORE" --until calibration --set calibration=${CALIBRATION:-26} "$@"
echo "wall: $(( $(date +%s) - start )) s"
rm -rf "$STORE/calibration-out"
$NB export --store "$STORE" data-proxy-fashion:calibration "$STORE/calibration-out" >/dev/null
python3 bench/proxy_calibration.py "$STORE/calibration-out/runs.json"
echo "store: $STORE (remove when done)"
