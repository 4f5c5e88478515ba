import Foundation
import Numerics

/// A way of choosing a training proxy; raw values are the names ops and
/// documents use.
public enum ImportanceMethod: String, CaseIterable, Sendable, Codable {
    /// Highest ranking importance first (our reconstruction of Park's method).
    case ranking
    /// Half the budget by highest ranking importance, the other half uniformly
    /// at random from the rest: keeps the discriminative examples but also the
    /// easy, typical ones a network needs to train at all.
    case rankingMix = "ranking-mix"
    /// Na et al. 2021: reference-network entropy, rare log-entropy bins favoured.
    case entropy
    /// Most forgetting events first (Toneva et al. 2019).
    case forgetting
    /// Highest early loss first (EL2N / loss, Paul et al. 2021).
    case el2n
    /// Uniformly at random.
    case random
    /// Uniformly at random within each class, equal counts per class.
    case balancedRandom = "balanced-random"

    /// Parses a name, listing the valid ones on failure.
    public static func parse(_ name: String) throws -> ImportanceMethod {
        guard let method = ImportanceMethod(rawValue: name) else {
            throw NASError.invalidArgument(name: "method", reason: "unknown '\(name)', expected one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return method
    }

    /// Per-example score written beside the selections (higher = preferred;
    /// random methods have none). For entropy it is the log-entropy.
    public func scores(_ runs: [ArchitectureRun]) throws -> [Double]? {
        switch self {
        case .ranking, .rankingMix: return try ExampleScores.rankingImportance(runs)
        case .entropy: return try ExampleScores.referenceEntropy(runs).map { log(max($0, 1e-12)) }
        case .forgetting: return try ExampleScores.forgettingEvents(runs)
        case .el2n: return try ExampleScores.earlyLoss(runs)
        case .random, .balancedRandom: return nil
        }
    }

    /// The order in which this method prefers the `exampleCount` training
    /// examples for a proxy of `count` examples, given its `scores` (from
    /// `scores(_:)`; ignored by the random methods). `count` matters only to
    /// `rankingMix`, whose random half depends on the budget. Ties and random
    /// choices are drawn from `seed`.
    public func preferenceOrder(scores: [Double]?, exampleCount n: Int, count: Int, seed: UInt64) throws -> [Int] {
        var rng = SplitMix64(seed: seed)
        let noise = (0..<n).map { _ in rng.nextDouble() }
        if self == .random || self == .balancedRandom { return (0..<n).sorted { noise[$0] > noise[$1] } }
        guard let scores, scores.count == n else {
            throw NASError.invalidArgument(name: "scores", reason: "\(rawValue) needs \(n) scores, got \(scores?.count ?? 0)")
        }
        switch self {
        case .entropy:
            return ProxySelection.binnedSamplingOrder(logValues: scores, bins: 10, noise: noise)
        case .rankingMix:
            let byScore = ProxySelection.descendingOrder(scores, tieBreak: noise)
            let head = Array(byScore.prefix((count + 1) / 2))
            let taken = Set(head)
            let rest = (0..<n).filter { !taken.contains($0) }.sorted { noise[$0] > noise[$1] }
            return head + rest
        default:
            return ProxySelection.descendingOrder(scores, tieBreak: noise)
        }
    }

    /// Whether the method itself is class-balanced regardless of the option.
    public var alwaysBalanced: Bool { self == .balancedRandom }
    /// Whether the class-balanced option applies (pure random stays pure).
    public var acceptsBalancing: Bool { self != .random }
}
