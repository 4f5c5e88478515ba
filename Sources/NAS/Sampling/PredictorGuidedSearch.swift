import Numerics

/// Predictor-guided search: query `initialSize` random cells, fit the
/// predictor on everything queried, then repeat — build the candidate set
/// (`strategy`), score it, query the `batchSize` best-scored, refit — until
/// `budget` queries have been made.
///
/// The predictor is refitted from scratch every iteration on all queried
/// cells (labels: validation accuracy), so it must be cheap to fit; it is made
/// fresh by `makePredictor`. Given the seed, a run is deterministic.
public struct PredictorGuidedSearch: Sendable {
    /// Total oracle queries.
    public var budget: Int
    /// Random queries before the first fit (n₀).
    public var initialSize: Int
    /// Cells queried per iteration (k).
    public var batchSize: Int
    /// How candidates are chosen.
    public var strategy: CandidateStrategy
    /// A fresh, unfitted predictor.
    public var makePredictor: @Sendable () -> any RankPredictor
    /// Labels the predictor is fitted on.
    public var labels: LabelTransform

    /// A search configuration.
    public init(budget: Int, initialSize: Int, batchSize: Int, strategy: CandidateStrategy,
                labels: LabelTransform = .identity, makePredictor: @escaping @Sendable () -> any RankPredictor) {
        self.budget = budget
        self.initialSize = initialSize
        self.batchSize = batchSize
        self.strategy = strategy
        self.makePredictor = makePredictor
        self.labels = labels
    }

    /// Runs one search of `space` against `oracle` with `seed`.
    public func run<O: Oracle>(space: SearchSpaceGraph<O.Cell>, oracle: O, seed: UInt64) throws -> SearchTrace {
        guard initialSize >= 2, batchSize >= 1 else {
            throw NASError.invalidArgument(name: "search", reason: "n0 = \(initialSize), k = \(batchSize): need n0 ≥ 2, k ≥ 1")
        }
        switch strategy {
        case let .randomSubset(size) where size < 1:
            throw NASError.invalidArgument(name: "subset", reason: "random subset of \(size) cells")
        case let .smartSubset(options): try options.validate()
        default: break
        }
        var state = try SearchState(space: space, oracle: oracle, budget: budget)
        var rng = SplitMix64(seed: seed)
        try state.queryRandom(min(initialSize, budget), rng: &rng)
        var iteration: UInt64 = 0
        while state.remaining > 0 {
            iteration += 1
            var predictor = makePredictor()
            let labels = self.labels.apply(state.trace.validation)
            try predictor.fit(features: space.features.selecting(rows: state.trace.queried), labels: labels,
                              seed: seed &+ iteration &* 0x9E37_79B9)
            let candidates = try strategy.candidates(state, predictor: predictor, rng: &rng)
            state.trace.scoredPerIteration.append(candidates.scored)
            let picked = candidates.top(min(batchSize, state.remaining))
            try state.queryBatch(picked)
            // A candidate set with nothing new (tiny spaces) must not stall the loop.
            if picked.isEmpty { try state.queryRandom(min(batchSize, state.remaining), rng: &rng) }
        }
        return state.trace
    }
}
