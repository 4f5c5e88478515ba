#!/usr/bin/env bash
# Training-stage speedup of the data-proxy study's proxy recipe (docs/benchmarks.md, "Data proxy").
# Interleaves, per cell and repetition, one full-data training (10,000 images, batch 64) with one
# 10 % training (1,000 images) at each proxy batch given, all single-threaded with the study's
# recipe (7x7, C = 8, N = 3, 4 epochs, test set 500 so evaluation is cheap; it is not timed), and
# prints the training seconds (the trainer's wall clock, fixed per-run costs included, evaluation
# excluded — what proxy.validate's speedup uses) and full / proxy ratios.
# Usage: bench/proxy-speed.sh [REPS] [PROXY_BATCH ...]     (default: 3 reps, batches 64 32 16)
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${1:-3}; shift || true
batches=("$@"); [[ ${#batches[@]} -gt 0 ]] || batches=(64 32 16)
NB=$(scripts/build-release 2>/dev/null | tail -1)
cells=('|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|nor_conv_1x1~0|nor_conv_3x3~1|avg_pool_3x3~2|'
       '|avg_pool_3x3~0|+|nor_conv_1x1~0|none~1|+|skip_connect~0|skip_connect~1|avg_pool_3x3~2|'
       '|none~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|')
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); reps $reps; proxy batches ${batches[*]}"
train() {  # SUBSET BATCH CELL -> training seconds
  "$NB" train --cell "$3" --subset "$1" --test-subset 500 --resolution 7 --channels 8 --cells-per-stage 3 \
    --epochs 4 --batch "$2" --threads 1 2>/dev/null | sed -n 's/.*| \([0-9.]*\) s training.*/\1/p'
}
declare -A sum
for ((r = 0; r < reps; r++)); do
  for cell in "${cells[@]}"; do
    t=$(train 10000 64 "$cell"); sum[full]=$(python3 -c "print(${sum[full]:-0} + $t)")
    line="full $t s"
    for b in "${batches[@]}"; do
      t=$(train 1000 "$b" "$cell"); sum[$b]=$(python3 -c "print(${sum[$b]:-0} + $t)")
      line="$line | 10% batch $b: $t s"
    done
    echo "rep $r: $line"
  done
done
for b in "${batches[@]}"; do
  python3 -c "print(f'10% at batch $b: mean {${sum[$b]}/($reps*3):.2f} s, full mean {${sum[full]}/($reps*3):.2f} s, speedup {${sum[full]}/${sum[$b]}:.1f}x')"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
