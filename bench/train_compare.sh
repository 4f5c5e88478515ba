#!/usr/bin/env bash
# Interleaved training-throughput comparison for docs/benchmarks.md ("Training", throughput):
# for each config (b), (c), (a) and cell CONV, MIXED, POOL it runs, one after the other,
# nasbook (this checkout's release build), an optional earlier nasbook binary, and PyTorch in
# NCHW and channels_last (bench/train_torch.py, venv made by bench/train.sh), and prints img/s
# (median of the epochs after a warm-up epoch), peak RSS of the nasbook runs, the ratios
# new/before and new/best-PyTorch, and the load average before each group.
# Usage: bench/train_compare.sh [BEFORE_BINARY]    env: THREADS (default nproc), ROUNDS (default 1),
#        CELLS (default "CONV MIXED POOL"), CONFIGS (default "b c a")
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE="${1:-}"
THREADS="${THREADS:-$(nproc)}"; ROUNDS="${ROUNDS:-1}"
CELLS="${CELLS:-CONV MIXED POOL}"; CONFIGS="${CONFIGS:-b c a}"
scripts/build-release >/dev/null
NB=.build/release/nasbook
PY=bench/.venv-torch/bin/python
[[ -x $PY ]] || { echo "no PyTorch venv: run bench/train.sh torch first"; exit 1; }
CONV='|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|'
MIXED='|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|skip_connect~2|'
POOL='|avg_pool_3x3~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|skip_connect~1|none~2|'
declare -A ARGS=([b]="8 1 28 1 256 1024" [c]="16 1 28 1 128 1024" [a]="16 5 32 3 256 512")
echo "machine: $(nproc) cores, threads=$THREADS, rounds=$ROUNDS, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
nasbook() {  # binary cell C N side channels batch images -> "img/s rssMiB"
  local out
  out=$( { /usr/bin/time -f 'peakrss_kb %M' "$1" train --dataset synthetic --cell "$2" --channels "$3" --cells-per-stage "$4" \
    --image-size "$5" --image-channels "$6" --batch "$7" --subset "$8" --test-subset 256 --epochs 4 --threads "$THREADS"; } 2>&1 )
  echo "$(grep -o 'median after first epoch: [0-9]*' <<<"$out" | grep -o '[0-9]*$') $(( $(grep -o 'peakrss_kb [0-9]*' <<<"$out" | grep -o '[0-9]*$') / 1024 ))"
}
for round in $(seq "$ROUNDS"); do
  for cell in $CELLS; do
    for cfg in $CONFIGS; do
      load=$(cut -d' ' -f1 /proc/loadavg)
      read -r new rss <<<"$(nasbook $NB "${!cell}" ${ARGS[$cfg]})"
      old=""; [[ -n $BEFORE ]] && read -r old oldrss <<<"$(nasbook "$BEFORE" "${!cell}" ${ARGS[$cfg]})"
      torch=$($PY bench/train_torch.py --threads "$THREADS" --cells "$cell" --configs "($cfg)" 2>/dev/null | grep -o 'NCHW [0-9]* img/s, channels_last [0-9]*' | grep -o '[0-9]*' | tr '\n' ' ')
      read -r nchw last <<<"$torch"
      best=$(( nchw > last ? nchw : last ))
      printf '(%s) %-5s load %5s | nasbook %5s img/s (%4s MiB)%s | torch NCHW %5s, CL %5s | new/torch-best %s\n' "$cfg" "$cell" "$load" \
        "$new" "$rss" "${old:+ | before $old img/s ($oldrss MiB), new/before $(python3 -c "print(f'{$new/$old:.2f}')")}" \
        "$nchw" "$last" "$(python3 -c "print(f'{$new/$best:.2f}')")"
    done
  done
done
