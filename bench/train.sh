#!/usr/bin/env bash
# Training measurements for docs/benchmarks.md ("Training"):
#   accuracy  – NB201 all-conv3x3 on real Fashion-MNIST (C=16 28x28, and C=8 14x14), N=1, 5 epochs;
#   throughput – img/s for configs (b) C=8 N=1 1x28x28 b256, (c) C=16 N=1 1x28x28 b128,
#                (a) C=16 N=5 3x32x32 b256 on synthetic data, three cells each; the figure is the
#                median per-epoch img/s of the epochs after the first (warm-up), >= 3 epochs;
#   memory    – peak RSS (GNU time) of config (a);
#   peer      – the same configs in PyTorch (NCHW and channels_last) if a CPU torch installs.
# Usage: bench/train.sh [accuracy] [throughput] [torch]   (default: all three)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${*:-accuracy throughput torch}"
THREADS="${THREADS:-$(nproc)}"
scripts/build-release >/dev/null
NB=.build/release/nasbook
CONV='|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|'
MIXED='|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_1x1~1|skip_connect~2|'
POOL='|avg_pool_3x3~0|+|skip_connect~0|none~1|+|avg_pool_3x3~0|skip_connect~1|none~2|'
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), threads=$THREADS"

if [[ $what == *accuracy* ]]; then
  echo "== accuracy: Fashion-MNIST, all-conv3x3, N=1, 5 epochs, batch 256"
  $NB train --cell "$CONV" --dataset fashion-mnist --channels 16 --cells-per-stage 1 --epochs 5 --threads "$THREADS" | tail -3
  $NB train --cell "$CONV" --dataset fashion-mnist --resolution 14 --channels 8 --cells-per-stage 1 --epochs 5 --threads "$THREADS" | tail -3
fi

if [[ $what == *throughput* ]]; then
  echo "== throughput (synthetic data; median epoch img/s after a warm-up epoch)"
  run() {  # name C N side channels batch images cell
    local out
    out=$( { /usr/bin/time -f 'peakrss_kb %M' $NB train --dataset synthetic --cell "$8" --channels "$2" --cells-per-stage "$3" \
      --image-size "$4" --image-channels "$5" --batch "$6" --subset "$7" --test-subset 256 --epochs 4 --threads "$THREADS"; } 2>&1 )
    echo "$1 $(grep -o 'median after first epoch: [0-9]*' <<<"$out" | grep -o '[0-9]*$') img/s," \
      "$(grep -o '~[0-9.]* GFLOP/s' <<<"$out"), peak RSS $(( $(grep -o 'peakrss_kb [0-9]*' <<<"$out" | grep -o '[0-9]*$') / 1024 )) MiB"
  }
  for cell in CONV MIXED POOL; do
    run "(b) $cell" 8 1 28 1 256 1024 "${!cell}"
    run "(c) $cell" 16 1 28 1 128 1024 "${!cell}"
    run "(a) $cell" 16 5 32 3 256 512 "${!cell}"
  done
fi

if [[ $what == *torch* ]]; then
  echo "== PyTorch peer"
  if [[ ! -x bench/.venv-torch/bin/python ]]; then
    python3 -m venv bench/.venv-torch
    # CPU wheel from PyPI only; give up after 10 minutes (the default wheel pulls GiBs of CUDA).
    if ! timeout 600 bench/.venv-torch/bin/pip install -q torch; then
      echo "torch could not be installed in 10 minutes; nasbook figures only"; exit 0
    fi
  fi
  bench/.venv-torch/bin/python bench/train_torch.py --threads "$THREADS" ${TORCH_ARGS:-}
fi
