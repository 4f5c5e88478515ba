"""Summarise calibration runs (runs.json of a population.train stage with >= 2 seeds).

Prints per cell the seed accuracies, per strength level the mean, the spread of
the seed-mean accuracies, the mean |seed0 - seed1|, the noise ceiling (Kendall
tau-b between seed 0 and seed 1) and tau(seed 0, seed mean), on the whole test
set and on random test subsets (to size test_size without retraining). With three
or more seeds it also prints the mean pairwise tau over all seed pairs (the
steadier ceiling estimate that proxy.validate reports) and the mean tau between
one seed and the mean of the others.
Usage: python3 proxy_calibration.py runs.json [runs.json ...]  (several files are pooled)
"""
import json, random, sys
from collections import defaultdict

def tau_b(x, y):
    n, conc, disc, tx, ty = len(x), 0, 0, 0, 0
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0 and dy == 0: continue
            if dx == 0: tx += 1
            elif dy == 0: ty += 1
            elif dx * dy > 0: conc += 1
            else: disc += 1
    denom = ((conc + disc + tx) * (conc + disc + ty)) ** 0.5
    return (conc - disc) / denom if denom else 0.0

OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
EDGES = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)]  # NB201 string order: node1 <- 0; node2 <- 0,1; node3 <- 0,1,2

def parse(cell):
    ops = [tok.split("~")[0] for part in cell.split("+") for tok in part.strip("|").split("|")]
    return ops

def on_path(ops):
    live = [o != "none" for o in ops]
    reach = {0}
    for k, (a, b) in sorted(enumerate(EDGES), key=lambda e: e[1][1]):
        if live[k] and a in reach: reach.add(b)
    back = {3}
    for k, (a, b) in sorted(enumerate(EDGES), key=lambda e: -e[1][0]):
        if live[k] and b in back: back.add(a)
    return [live[k] and a in reach and b in back for k, (a, b) in enumerate(EDGES)]

def strength(ops):
    p = on_path(ops)
    return sum((2 if o == "nor_conv_3x3" else 1 if o == "nor_conv_1x1" else 0) for o, q in zip(ops, p) if q)

def main():
    runs = []
    for path in sys.argv[1:]:
        runs += json.load(open(path))
    by = defaultdict(dict)
    for r in runs: by[r["cell"]][r["seed"]] = r
    cells = [c for c in by if 0 in by[c] and 1 in by[c]]
    def acc(r, idx=None):
        tc = r["testCorrect"]
        if idx is None: return 100.0 * sum(tc) / len(tc)
        return 100.0 * sum(tc[i] for i in idx) / len(idx)
    def summary(idx, label):
        a0 = [acc(by[c][0], idx) for c in cells]; a1 = [acc(by[c][1], idx) for c in cells]
        m = [(x + y) / 2 for x, y in zip(a0, a1)]
        diff = sum(abs(x - y) for x, y in zip(a0, a1)) / len(cells)
        return (f"{label:>14s}: spread {max(m) - min(m):5.2f} pts ({min(m):.2f}-{max(m):.2f}), mean |s0-s1| {diff:.2f}, "
                f"ceiling tau(s0,s1) {tau_b(a0, a1):.3f}, tau(s0,mean) {tau_b(a0, m):.3f}, sigma/R {diff / 1.128 / (max(m) - min(m)):.3f}")
    print(f"{len(cells)} cells x 2 seeds; mean train seconds {sum(r['trainSeconds'] for r in runs) / len(runs):.1f}")
    rows = sorted(cells, key=lambda c: (acc(by[c][0]) + acc(by[c][1])) / 2)
    for c in rows:
        ops = parse(c); p = on_path(ops)
        kinds = "".join({"none": "-", "skip_connect": "s", "nor_conv_1x1": "1", "nor_conv_3x3": "3", "avg_pool_3x3": "p"}[o] if q else "." for o, q in zip(ops, p))
        print(f"  {c:70s} str {strength(ops):2d} path {kinds}  {acc(by[c][0]):6.2f} {acc(by[c][1]):6.2f}")
    lv = defaultdict(list)
    for c in cells: lv[strength(parse(c))].append((acc(by[c][0]) + acc(by[c][1])) / 2)
    print("per strength: " + ", ".join(f"{k}: {sum(v) / len(v):.1f} (n={len(v)})" for k, v in sorted(lv.items())))
    seeds = sorted({s for c in cells for s in by[c]})
    full = [c for c in cells if all(s in by[c] for s in seeds)]
    if len(seeds) >= 3 and full:
        accs = {s: [acc(by[c][s]) for c in full] for s in seeds}
        pairs = [tau_b(accs[a], accs[b]) for i, a in enumerate(seeds) for b in seeds[i + 1:]]
        rest = [tau_b(accs[s], [sum(accs[o][k] for o in seeds if o != s) / (len(seeds) - 1) for k in range(len(full))]) for s in seeds]
        means = [sum(accs[s][k] for s in seeds) / len(seeds) for k in range(len(full))]
        sd = (sum((accs[s][k] - means[k]) ** 2 for s in seeds for k in range(len(full))) / (len(full) * (len(seeds) - 1))) ** 0.5
        print(f"{len(seeds)} seeds on {len(full)} cells: mean pairwise tau {sum(pairs) / len(pairs):.3f} "
              f"({', '.join(f'{t:.3f}' for t in pairs)}), tau(seed, mean of others) {sum(rest) / len(rest):.3f}, "
              f"seed sd {sd:.2f} pts, spread {max(means) - min(means):.2f} pts")
    n_test = len(runs[0]["testCorrect"])
    print(summary(None, f"test {n_test}"))
    rng = random.Random(0)
    for size in (2000, 5000):
        if size < n_test:
            for rep in range(2):
                print(summary(rng.sample(range(n_test), size), f"test {size} #{rep}"))


if __name__ == "__main__":
    main()
