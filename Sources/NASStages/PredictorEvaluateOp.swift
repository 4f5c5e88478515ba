import Foundation
import NAS
import Pipeline

/// `predictor.evaluate`: ranking quality of a trained predictor on the test
/// rows of a table, and the result of the ReNAS top-K search (`RankingMetrics`).
/// Writes `metrics.json` and `top.csv` (the K predicted best test cells).
/// The test rows are scored by the predictor restored from the model artifact
/// (`RestoredModel`), so a model trained on one table can be evaluated on
/// another table of the same space; only the `ensemble` variant, whose member
/// state is not saved, is evaluated from the fit's `scores.csv` and needs the
/// table it was trained on.
public struct PredictorEvaluateOp: Op {
    /// The op's registry name.
    public static let name = "predictor.evaluate"

    /// A `predictor.evaluate` op.
    public init() {}

    /// Schema.
    public var descriptor: OpDescriptor {
        OpDescriptor(
            name: Self.name, version: 3,  // v3: direct 3x3 convolution (session 5) changed the bits of every training and CNN score
            summary: "Kendall τ, Spearman ρ and top-K search result of a trained predictor on a table's test rows",
            params: [ParamSpec("top_k", .int, default: 10, range: 1...10_000,
                               doc: "cells the search 'trains': the K test cells predicted best")],
            inputs: [
                InputSpec("model", doc: "a predictor.train output"),
                InputSpec("table", doc: "the benchmark.load output the model was trained on"),
            ])
    }

    /// Matches the model's scores to the table's rows and measures them.
    public func run(_ context: OpContext) async throws -> OpResult {
        let op = Self.name
        let k = try context.int("top_k", op: op)
        let modelURL = try context.input("model", op: op)
        let model = try ModelMetadata.read(from: modelURL, inputName: "model", op: op)
        let scores = try ModelScores.read(modelURL.appendingPathComponent("scores.csv"), name: "model/scores.csv", op: op)
        let table = try BenchmarkArtifact.read(from: try context.input("table", op: op), inputName: "table", op: op)

        guard model.table.space == table.metadata.space else {
            throw PipelineError.opFailed(op: op, reason: "the model was trained on \(model.table.space) cells, "
                + "input 'table' holds \(table.metadata.space) cells")
        }
        let testScores: [Double]
        let source: String
        if RestoredModel.isRestorable(model.variant) {
            // Score from the saved model itself (the fit's scores.csv is not read), so any
            // table of the same space can be evaluated; kernel ridge additionally needs the
            // rows it was fitted on (its support vectors), checked below.
            if model.variant == .kernelRidge { try Self.requireTrainingSplit(table, scores, op: op) }
            let restored = try RestoredModel(model, directory: modelURL, trainRows: table.train, op: op)
            testScores = try PredictorTrainOp.score(table.test, with: restored.predictor, settings: restored.settings,
                                                    context: context, op: op)
            source = "scored from the saved model"
        } else {
            // An ensemble saves no per-member state: its fit-time scores only describe
            // this table if the model saw exactly its training rows.
            try Self.requireTrainingSplit(table, scores, op: op)
            var fromFit: [Double] = []
            for row in table.test {
                guard let score = scores.test[row.id] else {
                    throw PipelineError.opFailed(op: op, reason: "model/scores.csv has no score for test row \(row.id)")
                }
                fromFit.append(score)
            }
            testScores = fromFit
            source = "scores written by the fit"
        }
        let metrics = try nasFailure(op: op) {
            try RankingMetrics(scores: testScores, testLabels: table.test.accuracies,
                               trainLabels: table.train.accuracies, k: k)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try (encoder.encode(metrics) + Data("\n".utf8)).write(to: context.outputDirectory.appendingPathComponent("metrics.json"))

        let all = (table.train + table.test).map(\.accuracy).sorted(by: >)
        func trueRank(_ accuracy: Double) -> Int { 1 + all.prefix { $0 > accuracy }.count }
        var topRows: [[String]] = []
        var csv = "rank,id,score,accuracy,true_rank\n"
        for (position, index) in metrics.topKIndices.enumerated() {
            let row = table.test[index]
            let cells = [String(position + 1), row.id, String(format: "%.4f", testScores[index]),
                         "\(row.accuracy)", String(trueRank(row.accuracy))]
            topRows.append(cells)
            csv += cells.joined(separator: ",") + "\n"
        }
        try Data(csv.utf8).write(to: context.outputDirectory.appendingPathComponent("top.csv"))

        let unit = table.metadata.unit
        let summary = ReportTable(
            title: "\(model.predictor) on \(model.encoding): ranking and top-\(metrics.topK) search (\(source))",
            columns: ["n_train", "n_test", "Kendall τ", "Spearman ρ", "best of top \(metrics.topK) (\(unit))",
                      "its rank", "percentile", "table best"],
            rows: [[String(metrics.nTrain), String(metrics.nTest), Self.format(metrics.kendallTau),
                    Self.format(metrics.spearman), "\(metrics.topKBestAccuracy)", String(metrics.topKBestRank),
                    String(format: "%.2f", metrics.topKBestPercentile), "\(metrics.tableBestAccuracy)"]])
        let top = ReportTable(title: "top \(metrics.topK) test cells by predicted score",
                              columns: ["rank", "id", "score", "accuracy", "true rank"], rows: topRows)
        return OpResult(outputDirectory: context.outputDirectory, metrics: metrics.scalars, tables: [summary, top])
    }

    /// Throws unless `table`'s training rows are exactly the rows the model was fitted on.
    static func requireTrainingSplit(_ table: BenchmarkArtifact, _ scores: ModelScores, op: String) throws {
        guard Set(table.train.map(\.id)) == Set(scores.train.keys) else {
            throw PipelineError.opFailed(op: op, reason: "the model was trained on a different split than input 'table' "
                + "(\(scores.train.count) vs \(table.train.count) training rows); bind the table it was trained on")
        }
    }

    static func format(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "undefined" }
}
