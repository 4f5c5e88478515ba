import Foundation

/// Selection inside difficulty strata: the training examples are grouped by
/// how easily the population learns them, each stratum gets a quota of the
/// proxy, and inside a stratum the highest-scoring examples come first.
///
/// Why: a top-k proxy by ranking importance is made of the hardest
/// discriminative examples; networks trained on it for a few hundred steps end
/// far below full-data accuracy, with a large seed-to-seed spread, and some
/// architectures (e.g. parameter-free cells) suffer more than others
/// (docs/benchmarks.md, "Session 8"). Stratifying by difficulty keeps the
/// proxy's range of difficulty, as coverage-centric coreset selection does at
/// high pruning rates (Zheng et al., "Coverage-centric Coreset Selection for
/// High Pruning Rates", ICLR 2023), while the score still decides which
/// examples of each difficulty are kept.
public enum DifficultyStrata {
    /// How strata are cut and how the budget is split over them.
    public enum Scheme: Sendable {
        /// `bins` equal-count strata by ease, equal quotas: the proxy's
        /// difficulty histogram matches the full training set's.
        case quantiles(bins: Int)
        /// `bins` equal-width strata of ease over [0, 1], the budget split
        /// evenly over the non-empty strata, a stratum smaller than its share
        /// taken whole and the rest redistributed (Zheng et al.'s allocation).
        case coverage(bins: Int)

        /// Number of strata (at least 1).
        public var bins: Int {
            switch self {
            case .quantiles(let b), .coverage(let b): return max(1, b)
            }
        }
    }

    /// Stratum of every example (0 = hardest) under `scheme`; `ease` is in
    /// [0, 1] for `.coverage` (values outside are clamped), any order for
    /// `.quantiles`, whose ties are cut by `noise`.
    public static func strata(ease: [Double], scheme: Scheme, noise: [Double]) -> [Int] {
        let b = scheme.bins
        switch scheme {
        case .quantiles:
            let n = max(1, ease.count)
            var out = [Int](repeating: 0, count: ease.count)
            let ascending = ProxySelection.descendingOrder(ease.map { -$0 }, tieBreak: noise.map { -$0 })
            for (position, i) in ascending.enumerated() { out[i] = position * b / n }
            return out
        case .coverage:
            return ease.map { min(b - 1, max(0, Int(($0 * Double(b)).rounded(.down)))) }
        }
    }

    /// Quotas per stratum summing to `count` (at most the examples available):
    /// for `.quantiles` an equal split (the first `count mod bins` strata one
    /// more), for `.coverage` Zheng et al.'s allocation (strata visited from the
    /// smallest; each takes min(size, remaining budget / remaining strata)).
    public static func quotas(sizes: [Int], count: Int, scheme: Scheme) -> [Int] {
        var quota = [Int](repeating: 0, count: sizes.count)
        var budget = min(count, sizes.reduce(0, +))
        switch scheme {
        case .quantiles:
            // Equal-count strata: an even split fits every stratum (sizes differ by at most one).
            let k = sizes.count
            for s in 0..<k { quota[s] = min(sizes[s], budget / k + (s < budget % k ? 1 : 0)) }
            budget -= quota.reduce(0, +)
        case .coverage:
            let bySize = sizes.indices.filter { sizes[$0] > 0 }.sorted { (sizes[$0], $0) < (sizes[$1], $1) }
            for (visited, s) in bySize.enumerated() {
                let share = budget / (bySize.count - visited)
                quota[s] = min(sizes[s], share)
                budget -= quota[s]
            }
        }
        // Rounding left-overs (only when a stratum was capped) go to the largest strata with room.
        for s in sizes.indices.sorted(by: { (sizes[$0], $1) > (sizes[$1], $0) }) where budget > 0 {
            let extra = min(budget, sizes[s] - quota[s])
            quota[s] += extra
            budget -= extra
        }
        return quota
    }

    /// The preference order: inside each stratum by descending `scores` (ties
    /// by `noise`); across strata by the fraction of the stratum's quota an
    /// example's position uses, so any prefix of the first Σ quota entries
    /// draws from the strata in proportion to their quotas and the first
    /// Σ quota entries are exactly each stratum's top `quota` examples. Strata
    /// with no quota follow, by position. Class-balanced selection walks this
    /// order, so its substitutes come from the right strata as well.
    public static func order(scores: [Double], ease: [Double], scheme: Scheme, count: Int, noise: [Double]) -> [Int] {
        let stratum = strata(ease: ease, scheme: scheme, noise: noise)
        var members = [[Int]](repeating: [], count: scheme.bins)
        for i in ProxySelection.descendingOrder(scores, tieBreak: noise) { members[stratum[i]].append(i) }
        let quota = quotas(sizes: members.map(\.count), count: count, scheme: scheme)
        var key = [Double](repeating: 0, count: scores.count)
        for (s, list) in members.enumerated() {
            for (position, i) in list.enumerated() {
                key[i] = quota[s] > 0 ? Double(position) / Double(quota[s]) : 1e12 + Double(position)
            }
        }
        // Ascending key; equal keys (same relative position in different strata) by score, then noise.
        return scores.indices.sorted {
            if key[$0] != key[$1] { return key[$0] < key[$1] }
            if scores[$0] != scores[$1] { return scores[$0] > scores[$1] }
            if noise[$0] != noise[$1] { return noise[$0] > noise[$1] }
            return $0 < $1
        }
    }
}
