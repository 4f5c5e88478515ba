import Numerics

/// Random search: query distinct cells in a uniformly random order until the
/// budget. Its expected queries to a target have a closed form
/// (`SampleEfficiency.expectedRandomQueries`), which the gain is measured
/// against; running it is a check of that formula and a curve for the plots.
public struct RandomSearch: Hashable, Sendable {
    /// Total oracle queries.
    public var budget: Int

    /// A random search of `budget` queries.
    public init(budget: Int) { self.budget = budget }

    /// Runs one search with `seed`.
    public func run<O: Oracle>(space: SearchSpaceGraph<O.Cell>, oracle: O, seed: UInt64) throws -> SearchTrace {
        var state = try SearchState(space: space, oracle: oracle, budget: budget)
        var rng = SplitMix64(seed: seed)
        try state.queryRandom(budget, rng: &rng)
        return state.trace
    }
}
