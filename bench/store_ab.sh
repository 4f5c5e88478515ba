#!/usr/bin/env bash
# Interleaved A/B of `store put` builds against `zstd -3 -T0` on one file:
#   bench/store_ab.sh FILE OLD_NASBOOK [NEW_NASBOOK] [ROUNDS]
# NEW_NASBOOK defaults to .build/release/nasbook, ROUNDS to 4. Each round runs
# zstd, OLD and NEW once (fresh store each time, warm page cache) and prints
# wall, CPU (user+sys), peak RSS and the compressed size; then per-tool means,
# the CPU and wall ratios to zstd, and the load average. Use bench/store.sh's
# corpus for comparable figures (it writes bench/work/store/corpus.bin while it runs).
set -euo pipefail
FILE=$1; OLD=$2; NEW=${3:-.build/release/nasbook}; ROUNDS=${4:-4}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/store-ab.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
one() {  # LABEL CMD... -> "LABEL wall cpu rss_kb size"
    local label=$1; shift
    rm -rf "$WORK/st" "$WORK/out.zst"
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/t" "$@" >/dev/null
    read -r w u s m < "$WORK/t"
    local size
    size=$(find "$WORK" -name out.zst -o -path "$WORK/st/objects/*" -type f -size +1M | xargs stat -c %s | head -1)
    awk -v l="$label" -v w="$w" -v u="$u" -v s="$s" -v m="$m" -v z="$size" \
        'BEGIN { printf "%-5s wall %6.2f  cpu %6.2f  rss %4d MiB  size %d\n", l, w, u + s, m / 1024, z }'
}
cat "$FILE" > /dev/null
for _ in $(seq "$ROUNDS"); do
    one zstd zstd -q -3 -T0 -f "$FILE" -o "$WORK/out.zst"
    one old "$OLD" store put --store "$WORK/st" "$FILE"
    one new "$NEW" store put --store "$WORK/st" "$FILE"
done | tee "$WORK/runs"
awk '{ w[$1] += $3; c[$1] += $5; n[$1]++ }
     END { for (k in w) printf "mean %-5s wall %6.2f  cpu %6.2f  (wall / zstd %.3f, cpu / zstd %.3f)\n",
                                k, w[k] / n[k], c[k] / n[k], w[k] / w["zstd"], c[k] / c["zstd"] }' "$WORK/runs"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
