#!/bin/sh
# Rank-predictor measurements (docs/methods/renas.md): release build, NB101 and NB201 tables.
set -e
cd "$(dirname "$0")/.."
NASBOOK_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter "NASTests.PredictorBenchmarks" 2>&1 \
    | grep -E '^(##|\|)|error|failed'
