import Foundation
import NAS
import Pipeline

/// `predictor.evaluate`: ranking quality of a trained predictor on the test
/// rows of a table, and the result of the ReNAS top-K search (`RankingMetrics`).
/// Writes `metrics.json` and `top.csv` (the K predicted best test cells).
public struct PredictorEvaluateOp: Op {
    /// The op's registry name.
    public static let name = "predictor.evaluate"

    /// A `predictor.evaluate` op.
    public init() {}

    /// Schema.
    public var descriptor: OpDescriptor {
        OpDescriptor(
            name: Self.name, version: 1,
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

        // The scores were computed at fit time; they only describe this table
        // if the model saw exactly its training rows.
        guard Set(table.train.map(\.id)) == Set(scores.train.keys) else {
            throw PipelineError.opFailed(op: op, reason: "the model was trained on a different split than input 'table' "
                + "(\(scores.train.count) vs \(table.train.count) training rows); bind the table it was trained on")
        }
        var testScores: [Double] = []
        for row in table.test {
            guard let score = scores.test[row.id] else {
                throw PipelineError.opFailed(op: op, reason: "model/scores.csv has no score for test row \(row.id)")
            }
            testScores.append(score)
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
            title: "\(model.predictor) on \(model.encoding): ranking and top-\(metrics.topK) search",
            columns: ["n_train", "n_test", "Kendall τ", "Spearman ρ", "best of top \(metrics.topK) (\(unit))",
                      "its rank", "percentile", "table best"],
            rows: [[String(metrics.nTrain), String(metrics.nTest), Self.format(metrics.kendallTau),
                    Self.format(metrics.spearman), "\(metrics.topKBestAccuracy)", String(metrics.topKBestRank),
                    String(format: "%.2f", metrics.topKBestPercentile), "\(metrics.tableBestAccuracy)"]])
        let top = ReportTable(title: "top \(metrics.topK) test cells by predicted score",
                              columns: ["rank", "id", "score", "accuracy", "true rank"], rows: topRows)
        return OpResult(outputDirectory: context.outputDirectory, metrics: metrics.scalars, tables: [summary, top])
    }

    static func format(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "undefined" }
}
