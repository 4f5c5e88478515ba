/// Indices of the `k` largest `scores`, ties broken by lower index so the
/// result is deterministic.
func topIndices(_ scores: [Double], _ k: Int) -> [Int] {
    Array(scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }.prefix(k))
}

/// Precision@top-k: the fraction of the `k` truly best items (largest `truth`)
/// that are also among the `k` best by `predicted`.
public func precisionAtTopK(predicted: [Double], truth: [Double], k: Int) throws -> Double {
    try checkPaired(predicted, truth)
    guard (1...max(1, truth.count)).contains(k), k <= truth.count else {
        throw NASError.invalidArgument(name: "k", reason: "\(k) is outside 1...\(truth.count)")
    }
    let best = Set(topIndices(truth, k))
    return Double(topIndices(predicted, k).filter(best.contains).count) / Double(k)
}

/// N@K: the best true rank (1 = truly best, larger `truth` is better) among
/// the `k` items ranked highest by `predicted`. True ranks count strictly
/// better items, so tied items share the better rank.
public func bestTrueRankInTopK(predicted: [Double], truth: [Double], k: Int) throws -> Int {
    try checkPaired(predicted, truth)
    guard k >= 1, k <= truth.count else {
        throw NASError.invalidArgument(name: "k", reason: "\(k) is outside 1...\(truth.count)")
    }
    let sortedTruth = truth.sorted(by: >)
    return topIndices(predicted, k).map { i in
        // number of items strictly better than item i, plus one
        var lo = 0, hi = sortedTruth.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sortedTruth[mid] > truth[i] { lo = mid + 1 } else { hi = mid }
        }
        return lo + 1
    }.min()!  // k ≥ 1 so the list is not empty
}
