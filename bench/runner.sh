#!/usr/bin/env bash
# Runner benchmark: nasbook against DVC on identical pipelines, in one go.
#
#   bench/runner.sh      # needs the release build (scripts/setup) and python3
#
# Pipelines (bench/runner_gen.py writes each as pipelines/KIND.md and dvc.yaml):
#   diamond  10 shell stages: src (10 MB seeded CSV log) -> two branches of 4 stages,
#            each a 5 MB byte rotation of its input (up on one
#            branch, down on the other) -> join (5 MB); 55 MB written (the join equals r3, so 50 MB distinct).
#   wide     200 independent trivial stages (echo): per-stage overhead.
#   cpu      src -> two branches of 2 CPU-bound stages (awk loops) -> join:
#            nasbook --jobs 1 vs --jobs 2 (DVC repro has no parallel mode).
# DVC goes into bench/.venv-dvc (pip install dvc) on first use; both tools run
# without git (dvc init --no-scm). Prints a Markdown table for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NASBOOK=${NASBOOK:-$ROOT/.build/release/nasbook}
[ -x "$NASBOOK" ] || { echo "runner.sh: build first: scripts/build-release" >&2; exit 1; }
VENV=$ROOT/bench/.venv-dvc
[ -x "$VENV/bin/dvc" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q dvc; }
DVC="$VENV/bin/dvc"
WORK=$ROOT/bench/work/runner
rm -rf "$WORK" && mkdir -p "$WORK"

# Wall seconds of one command (output discarded; failure aborts).
timeit() {
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "runner.sh: failed: $*" >&2; exit 1; }
    t1=$(date +%s.%N)
    python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$t0" "$t1"
}
# Best of 3 (for the quick, noise-sensitive measurements).
best3() { for _ in 1 2 3; do timeit "$@"; done | sort -n | head -1; }
per() { python3 -c "import sys; print(f'{1000 * float(sys.argv[1]) / float(sys.argv[2]):.1f}')" "$1" "$2"; }
mb() { python3 -c "import sys; print(f'{int(sys.argv[1]) / 1e6:.1f}')" "$(du -sb "$1" | cut -f1)"; }

setup() {  # KIND -> prints the directory
    local dir=$WORK/$1
    mkdir -p "$dir"
    python3 "$ROOT/bench/runner_gen.py" "$1" "$dir"
    (cd "$dir" && "$DVC" init --no-scm -q && "$DVC" config core.analytics false)
    echo "$dir"
}

nb() { (cd "$DIR" && "$NASBOOK" "$@"); }
dv() { (cd "$DIR" && "$DVC" "$@"); }

echo "runner.sh: diamond" >&2
DIR=$(setup diamond)
nb_first=$(timeit nb run diamond --jobs 2)
dv_first=$(timeit dv repro)
nb_noop=$(best3 nb run diamond)
dv_noop=$(best3 dv repro)
nb_status=$(best3 nb status diamond)
dv_status=$(best3 dv status)
nb_store=$(mb "$DIR/artifacts/objects")
dv_store=$(mb "$DIR/.dvc/cache")

echo "runner.sh: wide" >&2
DIR=$(setup wide)
nb_wide=$(timeit nb run wide --jobs 1)
dv_wide=$(timeit dv repro)
nb_wide_noop=$(best3 nb run wide)
dv_wide_noop=$(best3 dv repro)

echo "runner.sh: cpu" >&2
DIR=$(setup cpu)
nb_j1=$(timeit nb run cpu --jobs 1 --store "$DIR/store-j1")
nb_j2=$(timeit nb run cpu --jobs 2 --store "$DIR/store-j2")
dv_cpu=$(timeit dv repro)

cat <<MD
| measurement | nasbook | DVC $("$DVC" --version) |
|---|---|---|
| diamond (10 stages, ~55 MB), first run | ${nb_first} s (--jobs 2) | ${dv_first} s |
| diamond, no-op re-run (best of 3) | ${nb_noop} s | ${dv_noop} s |
| diamond, status (best of 3) | ${nb_status} s | ${dv_status} s |
| diamond, store / cache size on disk | ${nb_store} MB | ${dv_store} MB |
| 200 trivial stages, first run | ${nb_wide} s ($(per "$nb_wide" 200) ms/stage, --jobs 1) | ${dv_wide} s ($(per "$dv_wide" 200) ms/stage) |
| 200 trivial stages, no-op re-run (best of 3) | ${nb_wide_noop} s | ${dv_wide_noop} s |
| cpu (2 branches × 2 CPU-bound stages) | ${nb_j1} s --jobs 1, ${nb_j2} s --jobs 2 | ${dv_cpu} s (sequential) |
MD
