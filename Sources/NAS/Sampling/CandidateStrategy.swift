import Numerics

/// Which cells the predictor scores in each iteration of a predictor-guided
/// search; the top-scored of them are queried.
public enum CandidateStrategy: Hashable, Sendable {
    /// Score every cell not yet queried (the usual, idealised setting).
    case fullAccess
    /// Score `size` cells drawn uniformly from those not yet queried.
    case randomSubset(size: Int)
    /// Score a subset of `size` cells built around the best cells so far
    /// (`SmartSubset`).
    case smartSubset(SmartSubset)

    /// Short stable name for reports: `full`, `random-subset`, `smart-subset`.
    public var name: String {
        switch self {
        case .fullAccess: return "full"
        case .randomSubset: return "random-subset"
        case .smartSubset: return "smart-subset"
        }
    }

    /// The cells to score and their predictor scores. Only cells not yet
    /// queried are returned; `scored` counts every predictor evaluation made.
    func candidates<O: Oracle>(_ state: SearchState<O>, predictor: any RankPredictor,
                               rng: inout SplitMix64) throws -> ScoredCandidates {
        switch self {
        case .fullAccess:
            // One pass over the whole matrix avoids copying 15k rows per iteration.
            let all = try predictor.predict(features: state.space.features)
            let free = (0..<state.space.count).filter { !state.evaluated.contains($0) }
            return ScoredCandidates(indices: free, scores: free.map { all[$0] }, scored: state.space.count)
        case let .randomSubset(size):
            let picked = state.randomUnqueried(size, excluding: [], rng: &rng)
            return try ScoredCandidates(scoring: picked, state.space, predictor)
        case let .smartSubset(options):
            return try options.candidates(state, predictor: predictor, rng: &rng)
        }
    }
}

/// Cells scored in one iteration.
struct ScoredCandidates {
    var indices: [Int]
    var scores: [Double]
    /// Predictor evaluations spent (can exceed `indices.count` when already
    /// queried cells were scored too, as full access does).
    var scored: Int

    init(indices: [Int], scores: [Double], scored: Int) {
        self.indices = indices
        self.scores = scores
        self.scored = scored
    }

    /// Scores `indices` with `predictor`.
    init<C>(scoring indices: [Int], _ space: SearchSpaceGraph<C>, _ predictor: any RankPredictor) throws {
        let scores = indices.isEmpty ? [] : try predictor.predict(features: space.features.selecting(rows: indices))
        self.init(indices: indices, scores: scores, scored: indices.count)
    }

    /// The `k` best-scored indices (ties: smaller index first).
    func top(_ k: Int) -> [Int] {
        indices.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && indices[$0] < indices[$1]) }
            .prefix(k).map { indices[$0] }
    }
}
