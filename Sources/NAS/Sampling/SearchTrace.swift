/// The record of one search run: every oracle query in order.
///
/// Query positions are 1-based in the API (`queriesToReach` returns 5 when
/// the 5th query hit the target), matching "number of queries needed".
public struct SearchTrace: Hashable, Sendable {
    /// Space indices of the queried cells, in query order (distinct).
    public var queried: [Int] = []
    /// Validation accuracy (%) the oracle returned for each query.
    public var validation: [Double] = []
    /// Test accuracy (%) of each queried cell, nil when the oracle has none (reported only).
    public var test: [Double?] = []
    /// Cells scored by the predictor in each search iteration (empty for searches without a predictor).
    public var scoredPerIteration: [Int] = []

    /// An empty trace.
    public init() {}

    /// Number of queries made.
    public var count: Int { queried.count }

    /// 1-based position of the first query that hit a cell of `target`, nil if none did.
    public func queriesToReach(_ target: Set<Int>) -> Int? {
        queried.firstIndex(where: target.contains).map { $0 + 1 }
    }

    /// After each query, the "true" accuracy of the incumbent: the test
    /// accuracy (validation where unknown) of the best-validation cell so far,
    /// the quantity best-so-far curves plot. The incumbent is chosen on
    /// validation only, so test accuracy never feeds back into the choice.
    public var bestSoFar: [Double] {
        var out: [Double] = []
        out.reserveCapacity(count)
        var best = -Double.infinity, reported = -Double.infinity
        for i in queried.indices {
            if validation[i] > best {
                best = validation[i]
                reported = test[i] ?? validation[i]
            }
            out.append(reported)
        }
        return out
    }

    /// Largest number of cells the predictor scored in one iteration (0 without a predictor).
    public var maxScoredPerIteration: Int { scoredPerIteration.max() ?? 0 }
}
