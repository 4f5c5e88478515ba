/// Ranks 1…n of `values`, ties sharing the average of the ranks they span.
public func averageRanks(_ values: [Double]) -> [Double] {
    let order = values.indices.sorted { values[$0] < values[$1] }
    var ranks = [Double](repeating: 0, count: values.count)
    var start = 0
    while start < order.count {
        var end = start + 1
        while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
        let rank = Double(start + end + 1) / 2  // mean of ranks start+1 … end
        for k in start..<end { ranks[order[k]] = rank }
        start = end
    }
    return ranks
}

/// Spearman's ρ: the Pearson correlation of the average ranks (exact with
/// ties). Returns nil when either variable is constant or n < 2.
public func spearmanRho(_ x: [Double], _ y: [Double]) throws -> Double? {
    try checkPaired(x, y)
    guard x.count >= 2 else { return nil }
    let rx = averageRanks(x), ry = averageRanks(y)
    let mean = Double(x.count + 1) / 2
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for i in rx.indices {
        let dx = rx[i] - mean, dy = ry[i] - mean
        sxy += dx * dy
        sxx += dx * dx
        syy += dy * dy
    }
    guard sxx > 0, syy > 0 else { return nil }
    return sxy / (sxx * syy).squareRoot()
}
