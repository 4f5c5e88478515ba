import Foundation
import Numerics

/// Turning preference orders into index lists of a given size.
public enum ProxySelection {
    /// Proxy size for `ratio` of `total` examples: ⌊ratio·total + ½⌋, at least 1.
    public static func size(ratio: Double, of total: Int) -> Int {
        max(1, min(total, Int((ratio * Double(total)).rounded())))
    }

    /// Indices by descending `scores`, ties by descending `tieBreak`, then by index.
    public static func descendingOrder(_ scores: [Double], tieBreak: [Double]) -> [Int] {
        scores.indices.sorted {
            if scores[$0] != scores[$1] { return scores[$0] > scores[$1] }
            if tieBreak[$0] != tieBreak[$1] { return tieBreak[$0] > tieBreak[$1] }
            return $0 < $1
        }
    }

    /// Na et al.'s sampling as an order: `logValues` go into `bins` equal-width
    /// bins between their minimum and maximum; example i gets weight
    /// w = 1 / (examples in its bin), so every non-empty bin carries the same
    /// total weight and rare (extreme-entropy) bins are favoured. The order is
    /// weighted sampling without replacement (Efraimidis–Spirakis: descending
    /// log(u)/w with u the example's uniform `noise`), so any prefix is a
    /// weighted sample of that size.
    public static func binnedSamplingOrder(logValues: [Double], bins: Int, noise: [Double]) -> [Int] {
        let lo = logValues.min() ?? 0, hi = logValues.max() ?? 0
        let width = (hi - lo) / Double(max(1, bins))
        let bin = logValues.map { width > 0 ? min(bins - 1, Int(($0 - lo) / width)) : 0 }
        var counts = [Int](repeating: 0, count: max(1, bins))
        for b in bin { counts[b] += 1 }
        let keys = logValues.indices.map { log(max(noise[$0], 1e-300)) * Double(counts[bin[$0]]) }
        return descendingOrder(keys, tieBreak: noise)
    }

    /// Stratified sampling over score quantiles as an order: examples sorted
    /// by ascending `scores` are cut into `bins` equal-count bins; example i in
    /// bin b (0 = lowest scores) gets weight b + 1, and the order is weighted
    /// sampling without replacement (Efraimidis–Spirakis keys log(u)/w, u the
    /// example's `noise`), so a prefix of size n draws about n·(b+1)/Σ(b'+1)
    /// examples from bin b while every bin is represented.
    public static func quantileSamplingOrder(_ scores: [Double], bins: Int, noise: [Double]) -> [Int] {
        let n = scores.count, b = max(1, bins)
        let ascending = descendingOrder(scores.map { -$0 }, tieBreak: noise.map { -$0 })
        var weight = [Double](repeating: 1, count: n)
        for (position, i) in ascending.enumerated() { weight[i] = Double(position * b / max(1, n) + 1) }
        let keys = (0..<n).map { log(max(noise[$0], 1e-300)) / weight[$0] }
        return descendingOrder(keys, tieBreak: noise)
    }

    /// The first `count` indices of `order`; when `labels` is given, class by
    /// class quotas (⌊count/classes⌋, the first count mod classes classes one
    /// more) are filled in preference order, and any quota a small class cannot
    /// fill is topped up from the remaining preference order. Sorted ascending.
    public static func take(_ count: Int, from order: [Int], labels: [Int]?, classes: Int) -> [Int] {
        guard let labels else { return Array(order.prefix(count)).sorted() }
        var quota = (0..<classes).map { count / classes + ($0 < count % classes ? 1 : 0) }
        var chosen: [Int] = [], skipped: [Int] = []
        for i in order {
            if quota[labels[i]] > 0, chosen.count < count {
                quota[labels[i]] -= 1
                chosen.append(i)
            } else {
                skipped.append(i)
            }
        }
        chosen += skipped.prefix(count - chosen.count)
        return chosen.sorted()
    }

    /// The proxy of `method` at `ratio`: a sorted list of training indices,
    /// from the method's `scores` (nil for the random methods), its `strata`
    /// (`ImportanceMethod.strata(_:)`, nil unless it is difficulty-stratified)
    /// and the training `labels`.
    public static func select(method: ImportanceMethod, ratio: Double, classBalanced: Bool, scores: [Double]?,
                              strata: [Double]? = nil, labels: [Int], classes: Int, seed: UInt64) throws -> [Int] {
        guard ratio > 0, ratio <= 1 else {
            throw NASError.invalidArgument(name: "ratio", reason: "\(ratio) is outside (0, 1]")
        }
        let count = size(ratio: ratio, of: labels.count)
        let order = try method.preferenceOrder(scores: scores, strata: strata, exampleCount: labels.count, count: count, seed: seed)
        let balanced = method.alwaysBalanced || (classBalanced && method.acceptsBalancing)
        return take(count, from: order, labels: balanced ? labels : nil, classes: classes)
    }

    /// A reduced test proxy: the `ratio` of test examples with the highest test
    /// ranking importance, class-balanced, ties drawn from `seed`.
    /// `scores` come from `ExampleScores.testRankingImportance`.
    public static func testProxy(ratio: Double, scores: [Double], labels: [Int], classes: Int,
                                 seed: UInt64) throws -> [Int] {
        guard labels.count == scores.count else {
            throw NASError.invalidArgument(name: "labels", reason: "\(labels.count) labels for \(scores.count) test examples")
        }
        var rng = SplitMix64(seed: seed)
        let noise = scores.map { _ in rng.nextDouble() }
        return take(size(ratio: ratio, of: scores.count), from: descendingOrder(scores, tieBreak: noise),
                    labels: labels, classes: classes)
    }
}
