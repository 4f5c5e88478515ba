/// One search method of a study: predictor-guided search with a candidate
/// strategy, or one of the two baselines.
public enum SearchMethod: Sendable {
    /// `PredictorGuidedSearch`.
    case predictorGuided(PredictorGuidedSearch)
    /// `RandomSearch`.
    case random(RandomSearch)
    /// `RegularizedEvolution`.
    case evolution(RegularizedEvolution)

    /// `full`, `random-subset`, `smart-subset`, `random-search` or `evolution`.
    public var name: String {
        switch self {
        case let .predictorGuided(search): return search.strategy.name
        case .random: return "random-search"
        case .evolution: return "evolution"
        }
    }

    /// One run with `seed`.
    public func run<O: Oracle>(space: SearchSpaceGraph<O.Cell>, oracle: O, seed: UInt64) throws -> SearchTrace {
        switch self {
        case let .predictorGuided(search): return try search.run(space: space, oracle: oracle, seed: seed)
        case let .random(search): return try search.run(space: space, oracle: oracle, seed: seed)
        case let .evolution(search): return try search.run(space: space, oracle: oracle, seed: seed)
        }
    }
}

/// The runs of one method over several seeds, and what a report needs from them.
public struct MethodStudy: Sendable {
    /// The method's name.
    public let method: String
    /// Seeds, one per run.
    public let seeds: [UInt64]
    /// The runs, in seed order.
    public let traces: [SearchTrace]

    /// Runs `method` once per seed, each against a fresh copy of `oracle`;
    /// `progress` is called after every run with the number done.
    public init<O: Oracle>(method: SearchMethod, space: SearchSpaceGraph<O.Cell>, oracle: O, seeds: [UInt64],
                           progress: (Int) throws -> Void = { _ in }) throws {
        var traces: [SearchTrace] = []
        for seed in seeds {
            traces.append(try method.run(space: space, oracle: oracle, seed: seed))
            try progress(traces.count)
        }
        self.method = method.name
        self.seeds = seeds
        self.traces = traces
    }

    /// Queries each run needed to reach `target` (nil: not within its budget).
    public func queriesToReach(_ target: SearchTarget) -> [Int?] { traces.map { $0.queriesToReach(target.cells) } }

    /// Mean over runs of the best-so-far true accuracy after each query,
    /// up to the shortest run.
    public var meanBestSoFar: [Double] {
        let curves = traces.map(\.bestSoFar)
        let length = curves.map(\.count).min() ?? 0
        return (0..<length).map { q in curves.reduce(0) { $0 + $1[q] } / Double(curves.count) }
    }

    /// Largest number of cells scored in one iteration over all runs.
    public var maxScoredPerIteration: Int { traces.map(\.maxScoredPerIteration).max() ?? 0 }
}
