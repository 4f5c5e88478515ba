import Foundation
import NAS
import Pipeline

/// The validated parameters of a `search.predictor` stage, and the NAS
/// objects they describe (space, predictor factory, methods).
struct SearchStudyConfig {
    var space: String
    var strategies: [String]
    var budget: Int
    var initialSize: Int
    var batchSize: Int
    var subsetFraction: Double
    var subsetSize: Int
    var parents: Int
    var randomShare: Double
    var population: Int
    var tournament: Int
    var predictor: PredictorSettings
    var labels: LabelTransform
    var seeds: [UInt64]
    var tolerance: Double
    var resamples: Int

    /// Reads and cross-checks the stage parameters.
    init(_ context: OpContext, op: String) throws {
        space = try context.string("space", op: op)
        strategies = try context.stringList("strategies", op: op)
        let only = try context.string("only", op: op)
        if !only.isEmpty { strategies = [only] }
        guard !strategies.isEmpty, Set(strategies).count == strategies.count else {
            throw PipelineError.opFailed(op: op, reason: "strategies must be a non-empty list without repeats")
        }
        for name in strategies where !SearchPredictorOp.strategyNames.contains(name) {
            throw PipelineError.opFailed(op: op, reason: "unknown strategy '\(name)' (one of "
                + SearchPredictorOp.strategyNames.joined(separator: ", ") + ")")
        }
        budget = try context.int("budget", op: op)
        initialSize = try context.int("n0", op: op)
        batchSize = try context.int("k", op: op)
        guard initialSize < budget else {
            throw PipelineError.opFailed(op: op, reason: "n0 = \(initialSize) leaves no query of the budget \(budget) to the predictor")
        }
        subsetFraction = try context.double("subset_fraction", op: op)
        subsetSize = try context.int("subset_size", op: op)
        parents = try context.int("smart_parents", op: op)
        randomShare = try context.double("random_share", op: op)
        population = try context.int("population", op: op)
        tournament = try context.int("tournament", op: op)
        guard tournament <= population else {
            throw PipelineError.opFailed(op: op, reason: "tournament \(tournament) exceeds population \(population)")
        }
        let variant = try PredictorVariant.parse(try context.string("predictor", op: op), op: op)
        predictor = try PredictorSettings(context, variant: variant, op: op)
        let labelName = try context.string("labels", op: op)
        guard let labels = LabelTransform(rawValue: labelName) else {
            throw PipelineError.opFailed(op: op, reason: "unknown labels '\(labelName)'")
        }
        self.labels = labels
        let count = try context.int("seeds", op: op), offset = try context.int("seed_offset", op: op)
        seeds = (0..<count).map { UInt64(offset + $0) }
        tolerance = try context.double("target_tolerance", op: op)
        resamples = try context.int("bootstrap", op: op)
    }

    /// Cells the subset strategies score per iteration in a space of `spaceSize`.
    func subset(spaceSize: Int) -> Int {
        subsetSize > 0 ? subsetSize : max(1, Int((subsetFraction * Double(spaceSize)).rounded(.down)))
    }

    /// The methods named by `strategies`, in that order.
    func methods(spaceSize: Int, op: String) throws -> [SearchMethod] {
        guard budget <= spaceSize else {
            throw PipelineError.opFailed(op: op, reason: "budget \(budget) exceeds the space's \(spaceSize) cells")
        }
        let settings = predictor
        let space = self.space
        let make: @Sendable () -> any RankPredictor = { settings.makePredictor(space: space) }
        let size = subset(spaceSize: spaceSize)
        return strategies.map { name in
            func guided(_ strategy: CandidateStrategy) -> SearchMethod {
                .predictorGuided(PredictorGuidedSearch(budget: budget, initialSize: initialSize, batchSize: batchSize,
                                                       strategy: strategy, labels: labels, makePredictor: make))
            }
            switch name {
            case "full": return guided(.fullAccess)
            case "random-subset": return guided(.randomSubset(size: size))
            case "smart-subset": return guided(.smartSubset(SmartSubset(size: size, parents: parents, randomShare: randomShare)))
            case "random-search": return .random(RandomSearch(budget: budget))
            default: return .evolution(RegularizedEvolution(budget: budget, populationSize: population, sampleSize: tournament))
            }
        }
    }

    /// All NB201 cells under the chosen encoding.
    func nb201Space() throws -> SearchSpaceGraph<NB201Cell> {
        switch predictor.encoding {
        case .flat: return try .nb201(encoding: NB201FlatEncoding())
        case .path: return try .nb201(encoding: NB201PathEncoding())
        case .renas: return try .nb201(encoding: NB201ReNASEncoding())
        }
    }

    /// The NB101 table's cells under the chosen encoding.
    func nb101Space(_ table: NB101Table) throws -> SearchSpaceGraph<NB101Cell> {
        switch predictor.encoding {
        case .flat: return try .nb101(table: table, encoding: NB101FlatEncoding())
        case .path: return try .nb101(table: table, encoding: NB101PathEncoding())
        case .renas: return try .nb101(table: table, encoding: NB101ReNASEncoding())
        }
    }
}
