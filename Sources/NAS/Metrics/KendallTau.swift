/// Kendall's τ-b rank correlation, with ties in either variable.
///
/// τ-b = (n₀ − n₁ − n₂ + n₃ − 2·S) / √((n₀ − n₁)(n₀ − n₂)), with n₀ = n(n−1)/2
/// pairs, n₁ pairs tied in x, n₂ tied in y, n₃ tied in both, and S the number
/// of discordant pairs (swaps). Knight's algorithm: sort by (x, y), count ties,
/// then count swaps of a merge sort on y, O(n log n).
/// Returns nil when either variable is constant (τ-b undefined).
public func kendallTau(_ x: [Double], _ y: [Double]) throws -> Double? {
    try checkPaired(x, y)
    let n = x.count
    guard n >= 2 else { return nil }
    let order = (0..<n).sorted { x[$0] != x[$1] ? x[$0] < x[$1] : y[$0] < y[$1] }
    var ys = order.map { y[$0] }
    let xs = order.map { x[$0] }
    let pairs = n * (n - 1) / 2
    var tiedX = 0, tiedXY = 0
    var runX = 1, runXY = 1
    for i in 1..<n {
        if xs[i] == xs[i - 1] {
            runX += 1
            if ys[i] == ys[i - 1] { runXY += 1 } else { tiedXY += runXY * (runXY - 1) / 2; runXY = 1 }
        } else {
            tiedX += runX * (runX - 1) / 2
            tiedXY += runXY * (runXY - 1) / 2
            runX = 1
            runXY = 1
        }
    }
    tiedX += runX * (runX - 1) / 2
    tiedXY += runXY * (runXY - 1) / 2
    // Within an x-run ys is ascending, so x-ties add no swaps.
    var scratch = ys
    let swaps = mergeSortCountingSwaps(&ys, &scratch, 0, n)
    var tiedY = 0, runY = 1
    for i in 1..<n {
        if ys[i] == ys[i - 1] { runY += 1 } else { tiedY += runY * (runY - 1) / 2; runY = 1 }
    }
    tiedY += runY * (runY - 1) / 2
    let denominator = (Double(pairs - tiedX) * Double(pairs - tiedY)).squareRoot()
    guard denominator > 0 else { return nil }
    let numerator = Double(pairs - tiedX - tiedY + tiedXY - 2 * swaps)
    return numerator / denominator
}

/// Sorts `a[lo..<hi]` ascending and returns the number of inversions
/// (pairs i < j with a[i] > a[j]); equal values are not inversions.
private func mergeSortCountingSwaps(_ a: inout [Double], _ tmp: inout [Double], _ lo: Int, _ hi: Int) -> Int {
    guard hi - lo > 1 else { return 0 }
    let mid = (lo + hi) / 2
    var swaps = mergeSortCountingSwaps(&a, &tmp, lo, mid) + mergeSortCountingSwaps(&a, &tmp, mid, hi)
    var i = lo, j = mid, k = lo
    while i < mid && j < hi {
        if a[j] < a[i] {
            tmp[k] = a[j]
            swaps += mid - i
            j += 1
        } else {
            tmp[k] = a[i]
            i += 1
        }
        k += 1
    }
    while i < mid { tmp[k] = a[i]; i += 1; k += 1 }
    while j < hi { tmp[k] = a[j]; j += 1; k += 1 }
    for m in lo..<hi { a[m] = tmp[m] }
    return swaps
}

/// Throws unless `x` and `y` have the same length and no NaN.
func checkPaired(_ x: [Double], _ y: [Double]) throws {
    guard x.count == y.count else {
        throw NASError.invalidArgument(name: "y", reason: "\(y.count) values paired with \(x.count)")
    }
    guard !x.contains(where: \.isNaN), !y.contains(where: \.isNaN) else {
        throw NASError.invalidArgument(name: "x, y", reason: "NaN values cannot be ranked")
    }
}
