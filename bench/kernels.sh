#!/usr/bin/env bash
# Numerics kernel timings for docs/numerics.md: SGEMM peak (1 and 2 OpenBLAS threads), a
# conv3x3 C=16 28x28 batch-128 layer forward+backward in NHWC (the library) vs NCHW (a
# bench-only im2col implementation), and NAS-Bench-201 edge costs at CIFAR scale.
# Release build; NASBOOK_BENCH=1 only un-skips the timing-only test class.
set -euo pipefail
cd "$(dirname "$0")/.."
NASBOOK_BENCH=1 swift test -c release --filter NumericsBenchmarks 2>&1 | grep '^BENCH' | sed 's/^BENCH //'
