import Numerics

/// Regularized (aging) evolution, Real et al., AAAI 2019: a population of
/// the `populationSize` most recently queried cells; each step samples
/// `sampleSize` members uniformly without replacement, mutates the one with
/// the best validation accuracy and queries the child, which replaces the
/// oldest member.
///
/// On a table a child already queried would cost nothing and teach nothing,
/// so the mutation takes the first not-yet-queried neighbour of the parent
/// in a random order, and a random unqueried cell when all neighbours have
/// been queried; every step therefore spends exactly one query.
public struct RegularizedEvolution: Hashable, Sendable {
    /// Total oracle queries.
    public var budget: Int
    /// Population size P (also the number of random initial queries).
    public var populationSize: Int
    /// Tournament sample size S.
    public var sampleSize: Int

    /// A configuration; Real et al. use larger P and S, these suit budgets of hundreds.
    public init(budget: Int, populationSize: Int = 20, sampleSize: Int = 5) {
        self.budget = budget
        self.populationSize = populationSize
        self.sampleSize = sampleSize
    }

    /// Runs one search with `seed`.
    public func run<O: Oracle>(space: SearchSpaceGraph<O.Cell>, oracle: O, seed: UInt64) throws -> SearchTrace {
        guard populationSize >= 1, sampleSize >= 1, sampleSize <= populationSize else {
            throw NASError.invalidArgument(name: "evolution", reason: "P = \(populationSize), S = \(sampleSize): need 1 ≤ S ≤ P")
        }
        var state = try SearchState(space: space, oracle: oracle, budget: budget)
        var rng = SplitMix64(seed: seed)
        try state.queryRandom(min(populationSize, budget), rng: &rng)
        // Population as (index, validation) in age order, oldest first.
        var population = zip(state.trace.queried, state.trace.validation).map { (index: $0, accuracy: $1) }
        while state.remaining > 0 {
            var members = Array(population.indices)
            rng.shuffle(&members)
            let parent = members.prefix(sampleSize).map { population[$0] }
                .max { $0.accuracy < $1.accuracy || ($0.accuracy == $1.accuracy && $0.index > $1.index) }!  // S ≥ 1
            let options = state.unqueriedNeighbours(of: parent.index, rng: &rng)
            guard let child = options.first ?? state.randomUnqueried(1, excluding: [], rng: &rng).first else { break }
            let accuracy = try state.query(child)
            population.append((child, accuracy))
            if population.count > populationSize { population.removeFirst() }
        }
        return state.trace
    }
}
