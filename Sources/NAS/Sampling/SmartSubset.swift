import Numerics

/// The smart candidate subset: our reconstruction of the idea of Mauch et
/// al. ("Efficient Sampling for Predictor-Based NAS", 2020) that the cells
/// worth scoring lie near the best cells found so far (docs/methods/sampling.md).
///
/// Each iteration spends exactly `size` predictor evaluations:
/// 1. a `randomShare` of them on cells drawn uniformly (exploration, and a
///    chance to leave a local optimum the predictor overrates);
/// 2. the rest on predictor-guided evolution: generation 0 is the mutation
///    neighbourhood of the `parents` best *queried* cells (by validation
///    accuracy); each further generation is the neighbourhood of the
///    `parents` best-*scored* cells of earlier generations not yet expanded,
///    until the evaluations run out. Neighbours are taken round-robin over
///    parents (each parent's list shuffled), so when a generation does not
///    fit, every parent still contributes.
/// Cells already queried or already scored this iteration are skipped.
public struct SmartSubset: Hashable, Sendable {
    /// Predictor evaluations per iteration.
    public var size: Int
    /// Parents per generation.
    public var parents: Int
    /// Fraction of `size` spent on uniformly random cells.
    public var randomShare: Double

    /// Options; defaults tuned on NAS-Bench-201 tuning seeds (docs/methods/sampling.md).
    public init(size: Int, parents: Int = 3, randomShare: Double = 0.1) {
        self.size = size
        self.parents = parents
        self.randomShare = randomShare
    }

    /// Throws unless the options are usable.
    func validate() throws {
        guard size >= 1, parents >= 1, randomShare >= 0, randomShare <= 1 else {
            throw NASError.invalidArgument(name: "smartSubset", reason: "size \(size), parents \(parents), "
                + "random share \(randomShare): need size ≥ 1, parents ≥ 1, share in 0...1")
        }
    }

    func candidates<O: Oracle>(_ state: SearchState<O>, predictor: any RankPredictor,
                               rng: inout SplitMix64) throws -> ScoredCandidates {
        let space = state.space
        let localBudget = size - Int((randomShare * Double(size)).rounded())
        var out = ScoredCandidates(indices: [], scores: [], scored: 0)
        var seen = Set<Int>()
        var expanded = Set<Int>()
        var parents = Array(state.rankedByValidation.prefix(self.parents))
        while out.indices.count < localBudget, !parents.isEmpty {
            expanded.formUnion(parents)
            let lists = parents.map { state.unqueriedNeighbours(of: $0, excluding: seen, rng: &rng) }
            var children: [Int] = []
            let room = localBudget - out.indices.count
            var depth = 0
            while children.count < room, lists.contains(where: { depth < $0.count }) {
                for list in lists where depth < list.count && children.count < room {
                    if seen.insert(list[depth]).inserted { children.append(list[depth]) }
                }
                depth += 1
            }
            if children.isEmpty { break }
            let generation = try ScoredCandidates(scoring: children, space, predictor)
            out.indices += generation.indices
            out.scores += generation.scores
            out.scored += generation.scored
            parents = out.top(out.indices.count).filter { !expanded.contains($0) }.prefix(self.parents).map { $0 }
        }
        // The random share, plus whatever the neighbourhoods could not fill.
        let random = state.randomUnqueried(size - out.indices.count, excluding: seen, rng: &rng)
        let extra = try ScoredCandidates(scoring: random, space, predictor)
        out.indices += extra.indices
        out.scores += extra.scores
        out.scored += extra.scored
        return out
    }
}
