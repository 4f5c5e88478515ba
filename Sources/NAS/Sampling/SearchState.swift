import Numerics

/// What a search knows at any moment: the queried cells and their
/// validation accuracies, plus the oracle bookkeeping every sampler shares
/// (ask once per cell, record the trace, stop at the budget).
struct SearchState<O: Oracle> {
    let space: SearchSpaceGraph<O.Cell>
    var oracle: O
    let budget: Int
    var trace = SearchTrace()
    var evaluated: Set<Int> = []

    init(space: SearchSpaceGraph<O.Cell>, oracle: O, budget: Int) throws {
        guard budget >= 1, budget <= space.count else {
            throw NASError.invalidArgument(name: "budget", reason: "\(budget) queries in a space of \(space.count) cells")
        }
        self.space = space
        self.oracle = oracle
        self.budget = budget
    }

    /// Queries left before the budget.
    var remaining: Int { budget - trace.count }

    /// Queries cell `index` (a no-op for a cell already queried) and returns its validation accuracy.
    @discardableResult
    mutating func query(_ index: Int) throws -> Double {
        if evaluated.contains(index), let known = trace.queried.firstIndex(of: index) { return trace.validation[known] }
        let cell = space.cells[index]
        let accuracy = try oracle.validationAccuracy(of: cell)
        evaluated.insert(index)
        trace.queried.append(index)
        trace.validation.append(accuracy)
        trace.test.append(oracle.reportedTestAccuracy(of: cell))
        return accuracy
    }

    /// Queries `count` distinct random unqueried cells (fewer if the space runs out).
    mutating func queryRandom(_ count: Int, rng: inout SplitMix64) throws {
        try queryBatch(randomUnqueried(count, excluding: [], rng: &rng))
    }

    /// Queries `indices` in order, after letting the oracle prepare the new ones together.
    mutating func queryBatch(_ indices: [Int]) throws {
        try oracle.prepare(indices.filter { !evaluated.contains($0) }.map { space.cells[$0] })
        for index in indices { try query(index) }
    }

    /// The mutation neighbours of `cell` that are neither queried nor in
    /// `excluding`, in a random order: the children evolution-style searches
    /// (regularized evolution, the smart subset) may still learn from.
    func unqueriedNeighbours(of cell: Int, excluding: Set<Int> = [], rng: inout SplitMix64) -> [Int] {
        var options = space.neighbours[cell].filter { !evaluated.contains($0) && !excluding.contains($0) }
        rng.shuffle(&options)
        return options
    }

    /// Up to `count` distinct random cells that are neither queried nor in `excluding`.
    func randomUnqueried(_ count: Int, excluding: Set<Int>, rng: inout SplitMix64) -> [Int] {
        let free = space.count - evaluated.count - excluding.subtracting(evaluated).count
        let wanted = min(count, free)
        guard wanted > 0 else { return [] }
        // Rejection is cheap while most of the space is free; otherwise list the free cells.
        if wanted * 4 < free {
            var picked: [Int] = [], seen = excluding
            while picked.count < wanted {
                let i = rng.index(below: space.count)
                if !evaluated.contains(i), seen.insert(i).inserted { picked.append(i) }
            }
            return picked
        }
        var pool = (0..<space.count).filter { !evaluated.contains($0) && !excluding.contains($0) }
        rng.shuffle(&pool)
        return Array(pool.prefix(wanted))
    }

    /// Queried indices from best to worst validation accuracy (ties: earlier query first).
    var rankedByValidation: [Int] {
        trace.queried.indices.sorted { trace.validation[$0] > trace.validation[$1] || (trace.validation[$0] == trace.validation[$1] && $0 < $1) }
            .map { trace.queried[$0] }
    }
}

extension SplitMix64 {
    /// Uniform integer in 0..<bound (bound > 0).
    mutating func index(below bound: Int) -> Int { Int(uniform(below: UInt64(bound))) }
}
