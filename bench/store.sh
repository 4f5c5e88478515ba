#!/usr/bin/env bash
# Store benchmark: `nasbook store put` against `zstd -3 -T0` and `sha256sum` on
# a ~1 GiB partly compressible file, plus `nasbook verify` throughput and the
# peak RSS of storing a 2 GiB file. Prints a Markdown table and rewrites the
# "Store" section of docs/benchmarks.md. Scratch files live in bench/work/
# (git-ignored) and are deleted at the end.
#
# Usage: bench/store.sh            (about 3-5 minutes on 2 cores, plus the release build)
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=bench/work/store
CORPUS=$WORK/corpus.bin
STORE=$WORK/store
RUNS=5
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

say() { printf 'store-bench: %s\n' "$*" >&2; }

if [ ! -x /usr/bin/time ]; then
    say "installing GNU time (needed for peak RSS)"
    apt-get install -y -qq time >/dev/null
fi
command -v zstd >/dev/null || { say "zstd CLI missing (apt-get install zstd)"; exit 1; }
python3 -c 'import numpy' 2>/dev/null || { say "python3 with numpy is needed to generate the corpus"; exit 1; }

say "generating the corpus (1 GiB: CSV training logs, float32 weights, random bytes)"
python3 - "$CORPUS" <<'PY'
import io, sys
import numpy as np

SEGMENT = 16 << 20            # 64 segments of 16 MiB = 1 GiB
rng = np.random.default_rng(20261123)   # fixed seed: every run measures the same bytes

def csv_log(step0):
    # Training-log style rows: step, epoch, loss, accuracy, learning rate.
    out, step = io.BytesIO(), step0
    while out.tell() < SEGMENT:
        n = 100_000
        steps = np.arange(step, step + n)
        cols = np.column_stack([steps, steps // 5000, 2.3 * np.exp(-steps / 4e5) + rng.normal(0, 0.05, n),
                                rng.random(n), np.full(n, 0.1) * 0.5 ** (steps // 100_000)])
        np.savetxt(out, cols, fmt=["%d", "%d", "%.6f", "%.6f", "%.3e"], delimiter=",")
        step += n
    return out.getvalue()[:SEGMENT]

def weights():
    # float32 tensors: Gaussian weights with per-row scales, as a checkpoint would hold.
    rows = SEGMENT // 4 // 1024
    scale = rng.uniform(0.01, 0.2, (rows, 1)).astype(np.float32)
    return (rng.standard_normal((rows, 1024), dtype=np.float32) * scale).tobytes()

def random_bytes():
    # Already-compressed payloads (images, archives): incompressible.
    return rng.bytes(SEGMENT)

kinds = ["csv", "weights", "csv", "random", "weights", "csv", "weights", "csv", "random", "csv"]
with open(sys.argv[1], "wb") as f:
    for i in range(64):
        kind = kinds[i % len(kinds)]
        f.write(csv_log(i * 10**6) if kind == "csv" else weights() if kind == "weights" else random_bytes())
PY
SIZE=$(stat -c %s "$CORPUS")

say "building nasbook (release)"
BIN=$(scripts/build-release)

# measure CMD... -> sets WALL (s), CPU (user+sys s) and RSS (MiB) from GNU time.
measure() {
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.txt" "$@" >/dev/null
    read -r WALL USER SYS RSS_KB < "$WORK/time.txt"
    CPU=$(awk -v u="$USER" -v s="$SYS" 'BEGIN { printf "%.2f", u + s }')
    RSS=$((RSS_KB / 1024))
}
min() { printf '%s\n' "$@" | sort -g | head -1; }

cat "$CORPUS" > /dev/null   # warm the page cache so every tool reads from memory

sha_w=(); zstd_w=(); put_w=(); sha_c=(); zstd_c=(); put_c=(); zstd_rss=0; put_rss=0; sha_rss=0
for run in $(seq "$RUNS"); do
    say "run $run/$RUNS"
    measure sha256sum "$CORPUS"; sha_w+=("$WALL"); sha_c+=("$CPU"); sha_rss=$RSS
    measure zstd -q -3 -T0 -f "$CORPUS" -o "$WORK/corpus.zst"; zstd_w+=("$WALL"); zstd_c+=("$CPU"); zstd_rss=$RSS
    rm -rf "$STORE"
    measure "$BIN" store put --store "$STORE" "$CORPUS"; put_w+=("$WALL"); put_c+=("$CPU"); put_rss=$RSS
done
DIGEST=$("$BIN" store put --store "$STORE" "$CORPUS")
OBJECT=$(find "$STORE/objects" -type f | head -1)
OBJ_SIZE=$(stat -c %s "$OBJECT")
ZSTD_SIZE=$(stat -c %s "$WORK/corpus.zst")

verify_w=(); verify_c=()
for run in $(seq "$RUNS"); do
    measure "$BIN" verify --store "$STORE"; verify_w+=("$WALL"); verify_c+=("$CPU"); verify_rss=$RSS
done

say "2 GiB put (peak RSS check)"
cat "$CORPUS" "$CORPUS" > "$WORK/corpus2.bin"
rm -f "$WORK/corpus.zst"
measure "$BIN" store put --store "$STORE" "$WORK/corpus2.bin"; big_w=$WALL; big_c=$CPU; big_rss=$RSS
rm -f "$WORK/corpus2.bin"

SHA=$(min "${sha_w[@]}"); ZSTD=$(min "${zstd_w[@]}"); PUT=$(min "${put_w[@]}"); VERIFY=$(min "${verify_w[@]}")
SHA_C=$(min "${sha_c[@]}"); ZSTD_C=$(min "${zstd_c[@]}"); PUT_C=$(min "${put_c[@]}"); VERIFY_C=$(min "${verify_c[@]}")
MB=$(awk -v s="$SIZE" 'BEGIN { printf "%.0f", s / 1e6 }')
rate() { awk -v s="$SIZE" -v t="$1" 'BEGIN { printf "%.0f", s / 1e6 / t }'; }
RATIO_PUT=$(awk -v a="$SIZE" -v b="$OBJ_SIZE" 'BEGIN { printf "%.3f", a / b }')
RATIO_ZSTD=$(awk -v a="$SIZE" -v b="$ZSTD_SIZE" 'BEGIN { printf "%.3f", a / b }')
SLOWDOWN=$(awk -v a="$PUT" -v b="$ZSTD" 'BEGIN { printf "%.2f", a / b }')
CPU_RATIO=$(awk -v a="$PUT_C" -v b="$ZSTD_C" 'BEGIN { printf "%.2f", a / b }')
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
CPU_MODEL=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')

TABLE=$(cat <<MD
| operation (${MB} MB corpus, best of ${RUNS}) | wall s | MB/s | CPU s (user+sys) | peak RSS MiB | ratio |
|---|---:|---:|---:|---:|---:|
| \`sha256sum\` | ${SHA} | $(rate "$SHA") | ${SHA_C} | ${sha_rss} | |
| \`zstd -3 -T0\` | ${ZSTD} | $(rate "$ZSTD") | ${ZSTD_C} | ${zstd_rss} | ${RATIO_ZSTD} |
| \`nasbook store put\` (hash + zstd -3 + fsync + rename) | ${PUT} | $(rate "$PUT") | ${PUT_C} | ${put_rss} | ${RATIO_PUT} |
| \`nasbook verify\` (decompress + re-hash) | ${VERIFY} | $(rate "$VERIFY") | ${VERIFY_C} | ${verify_rss} | |
| \`nasbook store put\`, 2 GiB file | ${big_w} | | ${big_c} | ${big_rss} | |

\`store put\` / \`zstd -3 -T0\`: wall-time ratio **${SLOWDOWN}x**, CPU-time ratio **${CPU_RATIO}x**
(load average at the end: ${LOAD}).
MD
)

SECTION=$(cat <<MD
## Store

Command: \`bench/store.sh\` (run $(date -u +%Y-%m-%d)). Machine: $(nproc) cores, ${CPU_MODEL}, shared with other work,
so wall times are noisy; each figure is the best of ${RUNS} interleaved runs from a warm page cache.
Corpus: 1 GiB generated with a fixed seed — 50% CSV training-log text, 30% float32 Gaussian weights,
20% random bytes — 16 MiB segments. Ratio = uncompressed / compressed bytes. \`store put\` also
fsyncs the object and its directory, which \`zstd\` does not. Digest: \`${DIGEST}\`.

${TABLE}
MD
)

printf '%s\n' "$TABLE"

DOC=docs/benchmarks.md
[ -f "$DOC" ] || printf '# Benchmarks\n\nFigures produced by the scripts in bench/; each section names its command.\n' > "$DOC"
python3 - "$DOC" "$SECTION" <<'PY'
import re, sys
path, section = sys.argv[1], sys.argv[2].rstrip() + "\n"
text = open(path).read()
pattern = re.compile(r"^## Store\n.*?(?=^## |\Z)", re.S | re.M)
if pattern.search(text):
    text = pattern.sub(lambda _: section + "\n", text, count=1)
else:
    text = text.rstrip() + "\n\n" + section
open(path, "w").write(text.rstrip() + "\n")
PY
say "updated $DOC"
