#!/bin/sh
# Rank-predictor measurements (docs/methods/renas.md, docs/benchmarks.md "Predictors"): release
# build, NB101 and NB201 tables. Optional argument: one test of PredictorBenchmarks, e.g.
#   bench/predictors.sh testNB101ReNASFitTiming
# (without it every benchmark runs, including the long pairwise-vs-MSE and ensemble experiments;
# run those under `nice -n 10` on a shared machine).
set -e
cd "$(dirname "$0")/.."
FILTER="NASTests.PredictorBenchmarks${1:+/$1}"
NASBOOK_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter "$FILTER" 2>&1 \
    | grep -E '^(##|\|)|error|failed'
