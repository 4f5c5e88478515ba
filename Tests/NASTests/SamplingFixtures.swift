import Numerics
@testable import NAS

/// A tiny synthetic search space for the sampler tests: all `bits`-bit
/// strings, features = the bits, neighbours = strings one bit flip away,
/// validation accuracy = a fixed weighted sum of the bits plus one pairwise
/// interaction, so the optimum is unique and known (all bits set).
enum SyntheticSpace {
    /// Per-bit weights (the first `bits` are used), all positive.
    static let weights: [Double] = [3.0, 2.5, 2.0, 1.7, 1.4, 1.2, 1.0, 0.8, 0.6, 0.5]

    static func accuracy(_ cell: Int, bits: Int) -> Double {
        var total = 50.0
        for b in 0..<bits where cell & (1 << b) != 0 { total += weights[b] }
        if cell & 0b11 == 0b11 { total += 0.5 }  // an interaction a linear model cannot see
        return total
    }

    static func space(bits: Int) throws -> SearchSpaceGraph<Int> {
        let cells = Array(0..<(1 << bits))
        let features = try FeatureMatrix(cells.map { c in (0..<bits).map { Double((c >> $0) & 1) } })
        let neighbours = cells.map { c in (0..<bits).map { c ^ (1 << $0) } }
        return try SearchSpaceGraph(name: "bits\(bits)", cells: cells, features: features, neighbours: neighbours)
    }

    /// Test accuracy is validation minus a constant: reports differ from what searches see.
    static func oracle(bits: Int) throws -> TableOracle<Int> {
        var entries: [Int: TableOracle<Int>.Entry] = [:]
        for c in 0..<(1 << bits) {
            let a = accuracy(c, bits: bits)
            entries[c] = .init(validation: a, test: a - 1)
        }
        return try TableOracle(name: "bits\(bits)", entries: entries)
    }

    /// The optimum's index.
    static func optimum(bits: Int) -> Int { (1 << bits) - 1 }

    /// Every method under test, small settings.
    static func methods(budget: Int, subset: Int) -> [SearchMethod] {
        let make: @Sendable () -> any RankPredictor = { RidgeRegression(penalty: .fixed(0.01)) }
        func guided(_ s: CandidateStrategy) -> SearchMethod {
            .predictorGuided(PredictorGuidedSearch(budget: budget, initialSize: 8, batchSize: 4, strategy: s, makePredictor: make))
        }
        return [guided(.fullAccess), guided(.randomSubset(size: subset)),
                guided(.smartSubset(SmartSubset(size: subset, parents: 2, randomShare: 0.25))),
                .evolution(RegularizedEvolution(budget: budget, populationSize: 8, sampleSize: 3))]
    }
}

/// Records every call an oracle receives (repeats included), to check what a
/// search asks; a class so the record survives the search's copy of the oracle.
final class CallLog {
    var calls: [Int] = []
}

/// A `TableOracle` wrapper that logs calls.
struct LoggingOracle: Oracle {
    var inner: TableOracle<Int>
    let log: CallLog

    var queryCount: Int { inner.queryCount }

    mutating func validationAccuracy(of cell: Int) throws -> Double {
        log.calls.append(cell)
        return try inner.validationAccuracy(of: cell)
    }

    func reportedTestAccuracy(of cell: Int) -> Double? { inner.reportedTestAccuracy(of: cell) }
}
