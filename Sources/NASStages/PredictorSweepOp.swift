import Foundation
import NAS
import Pipeline

/// `predictor.sweep`: the ReNAS ranking experiment in one stage. For every
/// variant × training size × seed it draws a split of the table's rows, fits
/// the predictor, and measures Kendall τ and the top-K search on the rest;
/// then aggregates mean ± std over seeds (`SweepSummary`).
///
/// A sweep is one op rather than one stage per run because a document has no
/// loops: 5 sizes × 5 seeds × 3 variants would be 75 stages. The table's own
/// split is ignored; its training and test rows together are the pool.
public struct PredictorSweepOp: Op {
    /// The op's registry name.
    public static let name = "predictor.sweep"

    /// A `predictor.sweep` op.
    public init() {}

    /// Schema.
    public var descriptor: OpDescriptor {
        OpDescriptor(
            name: Self.name, version: 2,  // v2: direct 3x3 convolution (session 5) changed the bits of every training and CNN score
            summary: "Kendall τ and top-K search of predictors over training sizes and seeds, aggregated",
            params: [
                ParamSpec("variants", .list(.string), default: ["renas", "renas-mse", "ridge"],
                          doc: "predictor variants (renas, renas-mse, ridge, kernel-ridge, ensemble, ensemble-wide, ensemble-stats)"),
                ParamSpec("sizes", .list(.int), default: [100, 172, 424, 1000, 4236], range: 2...1_000_000,
                          doc: "training-set sizes"),
                ParamSpec("size_count", .int, default: 0, range: 0...1000,
                          doc: "use only the first N sizes (0 = all); lets a quick variant override a scalar"),
                ParamSpec("seeds", .int, default: 5, range: 1...1000, doc: "seeds 0..<N; each seeds both split and fit"),
                ParamSpec("top_k", .int, default: 10, range: 1...10_000, doc: "K of the top-K search"),
            ] + PredictorSettings.params,
            inputs: [InputSpec("table", doc: "a benchmark.load output; train ∪ test rows form the pool")])
    }

    /// Runs every (variant, size, seed) and writes `runs.csv`, `summary.csv`, `tau_vs_size.svg`.
    public func run(_ context: OpContext) async throws -> OpResult {
        let op = Self.name
        let variants = try context.stringList("variants", op: op).map { try PredictorVariant.parse($0, op: op) }
        var sizes = try context.intList("sizes", op: op)
        let sizeCount = try context.int("size_count", op: op)
        if sizeCount > 0 { sizes = Array(sizes.prefix(sizeCount)) }
        let seeds = try context.int("seeds", op: op)
        let k = try context.int("top_k", op: op)
        guard !variants.isEmpty, !sizes.isEmpty else {
            throw PipelineError.opFailed(op: op, reason: "need at least one variant and one size")
        }
        let settingsByVariant = try variants.map { try PredictorSettings(context, variant: $0, op: op) }
        let table = try BenchmarkArtifact.read(from: try context.input("table", op: op), inputName: "table", op: op)
        let pool = Self.pool(table)
        guard let largest = sizes.max(), largest < pool.count else {
            throw PipelineError.opFailed(op: op, reason: "size \(sizes.max() ?? 0) leaves no test rows in a pool of \(pool.count)")
        }

        // Encode the pool once per encoding; splits select rows from it.
        var featuresByEncoding: [String: FeatureMatrix] = [:]
        for settings in settingsByVariant where featuresByEncoding[settings.featureKey] == nil {
            featuresByEncoding[settings.featureKey] = try settings.features(pool, op: op).matrix
        }
        let labels = pool.accuracies
        var runs: [SweepRun] = []
        let total = variants.count * sizes.count * seeds
        for settings in settingsByVariant {
            let features = featuresByEncoding[settings.featureKey]!  // filled above for every encoding used
            for size in sizes {
                for seed in 0..<seeds {
                    try context.checkCancellation()
                    context.progress(OpProgress(fraction: Double(runs.count) / Double(total),
                                                message: "\(settings.variant.rawValue) n=\(size) seed \(seed)"))
                    let split = try nasFailure(op: op) { try TrainTestSplit(count: pool.count, trainSize: size, seed: UInt64(seed)) }
                    var predictor = settings.makePredictor(space: table.metadata.space)
                    let trainX = features.selecting(rows: split.train)
                    let trainLabels = split.train.map { labels[$0] }
                    try nasFailure(op: op) { try predictor.fit(features: trainX, labels: trainLabels, seed: UInt64(seed)) }
                    let scores = try nasFailure(op: op) { try predictor.predict(features: features.selecting(rows: split.test)) }
                    let metrics = try nasFailure(op: op) {
                        try RankingMetrics(scores: scores, testLabels: split.test.map { labels[$0] },
                                           trainLabels: trainLabels, k: k)
                    }
                    runs.append(SweepRun(variant: settings.variant.rawValue, size: size, seed: seed, metrics: metrics))
                }
            }
        }
        context.progress(OpProgress(fraction: 1, message: "\(runs.count) runs"))

        let summary = SweepSummary(runs: runs, unit: table.metadata.unit)
        let out = context.outputDirectory
        try Data(summary.runsCSV.utf8).write(to: out.appendingPathComponent("runs.csv"))
        try Data(summary.summaryCSV.utf8).write(to: out.appendingPathComponent("summary.csv"))
        let svg = summary.plot(title: "Kendall τ vs training size (\(table.metadata.format.rawValue))")
        try Data(svg.utf8).write(to: out.appendingPathComponent("tau_vs_size.svg"))
        return OpResult(outputDirectory: out, metrics: summary.metrics, tables: [summary.table],
                        figures: [ReportFigure(title: "Kendall τ (mean ± std over seeds) vs training size", svg: svg)])
    }

    /// Train ∪ test rows in a fixed order: NB201 by arch number, NB101 by
    /// hash (both the shipped tables' own order), so a split depends only on
    /// the table's content.
    static func pool(_ table: BenchmarkArtifact) -> [BenchmarkRow] {
        let rows = table.train + table.test
        if rows.allSatisfy({ Int($0.id) != nil }) { return rows.sorted { Int($0.id)! < Int($1.id)! } }
        return rows.sorted { $0.id < $1.id }
    }
}
