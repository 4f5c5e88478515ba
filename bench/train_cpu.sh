#!/usr/bin/env bash
# CPU time (user + sys) of whole `nasbook train` runs, interleaved between binaries, for
# docs/benchmarks.md ("Training", session 3). CPU time is far less sensitive to other load than
# img/s, so it compares two builds on a shared machine; it does not compare against PyTorch.
# Usage: bench/train_cpu.sh CONFIG CELL ROUNDS BINARY...   (CONFIG b|c|a, CELL CONV|MIXED|POOL)
#        env: THREADS (default 2), EPOCHS (default 4)
# Prints per run: config, cell, binary, CPU seconds, img/s (median after the first epoch), load.
set -euo pipefail
CONV='|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|'
MIXED='|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|skip_connect~2|'
POOL='|avg_pool_3x3~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|skip_connect~1|none~2|'
declare -A ARGS=([b]="8 1 28 1 256 1024" [c]="16 1 28 1 128 1024" [a]="16 5 32 3 256 512")
cfg=$1; cell=$2; rounds=$3; shift 3
read -r C N S IC B SUB <<<"${ARGS[$cfg]}"
for _ in $(seq "$rounds"); do
  for bin in "$@"; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    out=$( { /usr/bin/time -f 'cpu %U %S rss %M' "$bin" train --dataset synthetic --cell "${!cell}" --channels "$C" \
      --cells-per-stage "$N" --image-size "$S" --image-channels "$IC" --batch "$B" --subset "$SUB" --test-subset 256 \
      --epochs "${EPOCHS:-4}" --threads "${THREADS:-2}"; } 2>&1 )
    cpu=$(grep -o 'cpu [0-9.]* [0-9.]*' <<<"$out" | awk '{print $2 + $3}')
    rss=$(( $(grep -o 'rss [0-9]*' <<<"$out" | grep -o '[0-9]*$') / 1024 ))
    ips=$(grep -o 'median after first epoch: [0-9]*' <<<"$out" | grep -o '[0-9]*$')
    printf '(%s) %-5s %-45s cpu %6.2f s  %5s img/s  %5s MiB  load %s\n' "$cfg" "$cell" "$bin" "$cpu" "$ips" "$rss" "$load"
  done
done
