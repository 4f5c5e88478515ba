"""Split a proxy's τ shortfall into training noise and bias (docs/benchmarks.md, "Session 8").

Reads a proxy.validate output's proxy_runs.csv and the reference runs (runs.json of the
population.train stage the validation ranked against, >= 2 seeds). Per method and ratio it prints:
  single     mean over selection seeds of τ(one proxy ranking, reference) — what proxy.validate reports;
  mean-of-2  mean over seed pairs of τ(mean of the pair's proxy accuracies, reference): what twice
             the proxy compute per architecture would give (half the speedup);
  mean-of-S  τ(mean proxy accuracy over the S selection seeds, reference): the ranking a proxy would
             give with its seed-to-seed noise averaged away, so what is left below the ceiling is bias;
  pairwise   mean τ between the rankings of two selection seeds (how much proxies agree with each other);
  range, sd  the proxies' mean test accuracy range over cells and the median per-cell sd over seeds.
Then, per ratio, the bias each method shares with random selection: the Pearson correlation, over
cells, between two methods' rank residuals (rank of the mean-of-S proxy accuracy minus rank of the
reference). Random proxies share no examples' choice with an informed method, so a high correlation
means the cells are misranked by the short proxy training itself, whatever the examples.
Usage: python3 bench/proxy_decompose.py proxy_runs.csv runs.json
"""
import csv, json, os, statistics, sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from proxy_calibration import tau_b  # noqa: E402  (one τ-b for every bench script)

rows = list(csv.DictReader(open(sys.argv[1])))
reference = defaultdict(list)
for run in json.load(open(sys.argv[2])):
    reference[run["cell"]].append(100 * sum(run["testCorrect"]) / len(run["testCorrect"]))
cells = sorted(reference)
ref = [statistics.mean(reference[c]) for c in cells]
groups = defaultdict(lambda: defaultdict(dict))
for row in rows:
    groups[(row["method"], row["ratio"])][row["seed"]][row["cell"]] = 100 * float(row["test_accuracy"])
residuals = defaultdict(dict)  # ratio -> method -> rank residual per cell


def rank_positions(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0] * len(values)
    for position, i in enumerate(order):
        out[i] = position + 1
    return out


for (method, ratio), by_seed in sorted(groups.items()):
    seeds = sorted(s for s in by_seed if all(c in by_seed[s] for c in cells))
    if not seeds:
        continue
    ranks = [[by_seed[s][c] for c in cells] for s in seeds]
    mean = [statistics.mean(r[i] for r in ranks) for i in range(len(cells))]
    pairs = [tau_b(a, b) for i, a in enumerate(ranks) for b in ranks[i + 1:]]
    twos = [tau_b([(x + y) / 2 for x, y in zip(a, b)], ref) for i, a in enumerate(ranks) for b in ranks[i + 1:]]
    sds = [statistics.stdev(r[i] for r in ranks) for i in range(len(cells))] if len(ranks) > 1 else [0]
    print(f"  {method:15s} {float(ratio):4.0%}  single {statistics.mean(tau_b(r, ref) for r in ranks):.3f}"
          f"  mean-of-2 {statistics.mean(twos) if twos else float('nan'):.3f}  mean-of-{len(seeds)} {tau_b(mean, ref):.3f}  pairwise {statistics.mean(pairs) if pairs else float('nan'):.3f}"
          f"  accuracy {min(mean):.1f}-{max(mean):.1f}  per-cell sd {statistics.median(sds):.2f}")
    residuals[ratio][method] = [p - r for p, r in zip(rank_positions(mean), rank_positions(ref))]
for ratio, by_method in sorted(residuals.items()):
    if "random" not in by_method:
        continue
    shared = ", ".join(f"{m} {statistics.correlation(res, by_method['random']):.2f}" for m, res in sorted(by_method.items()) if m != "random")
    print(f"  {float(ratio):4.0%} rank residuals shared with random (Pearson over cells): {shared}")
