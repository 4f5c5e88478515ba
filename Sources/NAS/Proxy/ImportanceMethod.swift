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
    /// Highest per-epoch ranking importance first (`ExampleScores.epochRankingImportance`).
    case rankingEpochs = "ranking-epochs"
    /// Highest rank-distance-weighted agreement first (`ExampleScores.rankingSlope`).
    case rankingSlope = "ranking-slope"
    /// Uniformly at random among the half of the examples with the highest
    /// ranking importance: drops the uninformative and anti-ranking half but
    /// keeps the easy-to-hard mix a short training needs.
    case rankingHalf = "ranking-half"
    /// Stratified over ranking-importance bins: ten equal-count bins by RI,
    /// bin b (0 = lowest) sampled with weight b + 1, so every level of
    /// importance is represented and the high ones most.
    case rankingStrata = "ranking-strata"
    /// Highest ranking importance inside ten equal-count strata of ease
    /// (`ExampleScores.ease`), equal quotas: the proxy keeps the full set's
    /// mix of easy and hard examples, and the most ranking-informative ones of
    /// each difficulty (`DifficultyStrata`).
    case rankingMatched = "ranking-matched"
    /// Highest ranking importance inside ten equal-width strata of ease, the
    /// budget split evenly over them (coverage-centric allocation, Zheng et
    /// al. 2023): every difficulty is covered, the rare ones more than their
    /// share (`DifficultyStrata`).
    case rankingCoverage = "ranking-coverage"
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
        case .ranking, .rankingMix, .rankingHalf, .rankingStrata, .rankingMatched, .rankingCoverage:
            return try ExampleScores.rankingImportance(runs)
        case .rankingEpochs: return try ExampleScores.epochRankingImportance(runs)
        case .rankingSlope: return try ExampleScores.rankingSlope(runs)
        case .entropy: return try ExampleScores.referenceEntropy(runs).map { log(max($0, 1e-12)) }
        case .forgetting: return try ExampleScores.forgettingEvents(runs)
        case .el2n: return try ExampleScores.earlyLoss(runs)
        case .random, .balancedRandom: return nil
        }
    }

    /// The per-example values this method's strata are cut on
    /// (`ExampleScores.ease` for the difficulty-stratified methods), or nil.
    public func strata(_ runs: [ArchitectureRun]) throws -> [Double]? {
        stratumScheme == nil ? nil : try ExampleScores.ease(runs)
    }

    /// The name under which `proxy.score` stores `strata(_:)`, shared by every
    /// method that needs them.
    public static let strataName = "ease"

    /// How the difficulty-stratified methods cut and fill their strata.
    public var stratumScheme: DifficultyStrata.Scheme? {
        switch self {
        case .rankingMatched: return .quantiles(bins: 10)
        case .rankingCoverage: return .coverage(bins: 10)
        default: return nil
        }
    }

    /// The order in which this method prefers the `exampleCount` training
    /// examples for a proxy of `count` examples, given its `scores` (from
    /// `scores(_:)`; ignored by the random methods) and, for the
    /// difficulty-stratified methods, its `strata` (from `strata(_:)`).
    /// `count` matters to `rankingMix`, whose random half depends on the
    /// budget, and to the stratified methods' quotas. Ties and random choices
    /// are drawn from `seed`.
    public func preferenceOrder(scores: [Double]?, strata: [Double]? = nil, exampleCount n: Int, count: Int, seed: UInt64) throws -> [Int] {
        var rng = SplitMix64(seed: seed)
        let noise = (0..<n).map { _ in rng.nextDouble() }
        if self == .random || self == .balancedRandom { return (0..<n).sorted { noise[$0] > noise[$1] } }
        guard let scores, scores.count == n else {
            throw NASError.invalidArgument(name: "scores", reason: "\(rawValue) needs \(n) scores, got \(scores?.count ?? 0)")
        }
        if let scheme = stratumScheme {
            guard let strata, strata.count == n else {
                throw NASError.invalidArgument(name: "strata", reason: "\(rawValue) needs \(n) ease values, got \(strata?.count ?? 0)")
            }
            return DifficultyStrata.order(scores: scores, ease: strata, scheme: scheme, count: count, noise: noise)
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
        case .rankingHalf:
            let byScore = ProxySelection.descendingOrder(scores, tieBreak: noise)
            let half = (n + 1) / 2
            return byScore.prefix(half).sorted { noise[$0] > noise[$1] } + byScore.dropFirst(half)
        case .rankingStrata:
            return ProxySelection.quantileSamplingOrder(scores, bins: 10, noise: noise)
        default:
            return ProxySelection.descendingOrder(scores, tieBreak: noise)
        }
    }

    /// The name under which `proxy.score` stores the scores this method
    /// selects from: the selection variants of ranking importance share the
    /// `ranking` scores.
    public var scoreName: String {
        switch self {
        case .rankingMix, .rankingHalf, .rankingStrata, .rankingMatched, .rankingCoverage: return ImportanceMethod.ranking.rawValue
        default: return rawValue
        }
    }

    /// Whether the method itself is class-balanced regardless of the option.
    public var alwaysBalanced: Bool { self == .balancedRandom }
    /// Whether the class-balanced option applies (pure random stays pure).
    public var acceptsBalancing: Bool { self != .random }
}
