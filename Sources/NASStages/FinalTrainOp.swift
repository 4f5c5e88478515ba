import Foundation
import NAS
import Numerics
import Pipeline

/// One final training: a cell found by the search, trained on the full data.
struct FinalRun: Codable, Sendable, Hashable {
    /// The cell string.
    var cell: String
    /// Its validation accuracy (%) on the proxy, from the search.
    var proxyValidationAccuracy: Double
    /// Test accuracy (%) after training on the full training set.
    var testAccuracy: Double
    /// CPU seconds of the training thread (training plus the test pass).
    var cpuSeconds: Double
}

/// `final.train`: trains the `top` cells a `search.trained` found on the full
/// prepared training set with the population's recipe, reports their test
/// accuracy (the first and only time the test set is used), and does the cost
/// accounting of the whole workflow: CPU per training stage and the estimated
/// cost of the same search on the full data — queries × the measured
/// full-data training cost per cell — against what the proxy search cost.
///
/// Each final training is an item of the item cache (resumable). Timings are
/// measured once per item and frozen by the cache, so a resumed or repeated
/// run writes byte-identical outputs; a run from an empty store re-measures
/// them (accuracies are unchanged, timings differ: docs/methods/efficient-nas.md).
public struct FinalTrainOp: Op {
    /// The op's registry name.
    public static let name = "final.train"

    /// A `final.train` op.
    public init() {}

    /// Schema.
    public var descriptor: OpDescriptor {
        OpDescriptor(
            name: Self.name, version: 2,  // v2: direct 3x3 convolution (session 5) changed the bits of every training and CNN score
            summary: "train the best cells of a search on the full data; test accuracy and cost accounting",
            params: [
                ParamSpec("top", .int, default: 3, range: 1...100, doc: "cells to train (the best of the search's best.json)"),
                ParamSpec("seed", .int, default: 0, range: 0...1_000_000, doc: "training seed"),
                ParamSpec("parallel", .int, default: 2, range: 1...64, doc: "trainings run at once, one thread each"),
            ],
            inputs: [InputSpec("population", doc: "the population.train output the search used (setup, population cost)"),
                     InputSpec("search", doc: "a search.trained output (best.json)")])
    }

    /// Trains the cells and writes `final.csv` and `cost.json`.
    public func run(_ context: OpContext) async throws -> OpResult {
        let op = Self.name
        let top = try context.int("top", op: op), seed = UInt64(try context.int("seed", op: op))
        let parallel = try context.int("parallel", op: op)
        let populationDir = try context.input("population", op: op)
        let setup = try ProxyJSON.read(SetupRecord.self, from: populationDir.appendingPathComponent("setup.json"), op: op).setup
        let search = try ProxyJSON.read(TrainedSearchResult.self, from: try context.input("search", op: op)
            .appendingPathComponent("best.json"), op: op)
        let picked = Array(search.best.prefix(top))
        guard !picked.isEmpty else { throw PipelineError.opFailed(op: op, reason: "the search found no cells") }
        let cells = try picked.map { label in try nasFailure(op: op) { try NB201Cell(string: label.cell) } }
        context.progress(OpProgress(fraction: 0, message: "loading data"))
        let data = try setup.loadData(op: op)
        let options = setup.modelOptions, recipe = setup.recipe
        func item(_ cell: NB201Cell) -> [String: String] { ["cell": cell.cellString, "seed": "\(seed)", "setup": setup.canonical] }

        var runs = [FinalRun?](repeating: nil, count: cells.count)
        var pending: [Int] = []
        for (i, cell) in cells.enumerated() {
            if let stored = try context.itemCache?.load(item(cell)), let run = try? JSONDecoder().decode(FinalRun.self, from: stored) {
                runs[i] = run
            } else {
                pending.append(i)
            }
        }
        let todo = pending
        try await runConcurrently(todo.count, parallel: parallel, context: context, job: { k in
            let i = todo[k]
            let start = threadCPUSeconds()
            let run = try trainArchitecture(cell: cells[i], options: options, data: data, recipe: recipe, seed: seed,
                                            withEntropy: false, context: .serial)
            return FinalRun(cell: run.cell, proxyValidationAccuracy: picked[i].validationAccuracy,
                            testAccuracy: 100 * run.testAccuracy, cpuSeconds: threadCPUSeconds() - start)
        }, completed: { k, run in
            runs[todo[k]] = run
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try context.itemCache?.store(item(cells[todo[k]]), try encoder.encode(run))
            context.progress(OpProgress(fraction: Double(runs.compactMap { $0 }.count) / Double(runs.count),
                                        message: "\(run.cell) " + String(format: "%.2f%% test, %.1fs CPU", run.testAccuracy, run.cpuSeconds)))
        })
        let finished = runs.map { $0! }  // every pending index was filled by `completed`
        let cost = CostAccounting(population: try Self.populationSeconds(populationDir, op: op), search: search, final: finished)
        let out = context.outputDirectory
        var csv = "cell,proxy_valid_accuracy,test_accuracy,cpu_seconds\n"
        for run in finished {
            csv += "\(run.cell),\(String(format: "%.2f", run.proxyValidationAccuracy)),\(String(format: "%.2f", run.testAccuracy)),"
                + "\(String(format: "%.3f", run.cpuSeconds))\n"
        }
        try Data(csv.utf8).write(to: out.appendingPathComponent("final.csv"))
        try ProxyJSON.write(cost, to: out.appendingPathComponent("cost.json"))
        let best = finished.max { $0.testAccuracy < $1.testAccuracy }!
        return OpResult(
            outputDirectory: out,
            metrics: cost.metrics.merging(["best_test_accuracy": best.testAccuracy,
                                           "top1_test_accuracy": finished[0].testAccuracy]) { $1 },
            tables: [ReportTable(title: "The \(finished.count) best cells of the search, trained on the full data",
                                 columns: ["cell", "proxy valid %", "test %", "CPU s"],
                                 rows: finished.map { [$0.cell, String(format: "%.2f", $0.proxyValidationAccuracy),
                                                       String(format: "%.2f", $0.testAccuracy), String(format: "%.1f", $0.cpuSeconds)] }),
                     cost.table])
    }

    /// Training seconds of the population runs (`accuracies.csv`'s
    /// `train_seconds`, single-threaded wall time: that op measures no CPU time).
    static func populationSeconds(_ directory: URL, op: String) throws -> (runs: Int, seconds: Double) {
        let url = directory.appendingPathComponent("accuracies.csv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw PipelineError.opFailed(op: op, reason: "cannot read \(url.lastPathComponent) of the population input")
        }
        let rows = text.split(separator: "\n").dropFirst()
        let seconds = rows.compactMap { $0.split(separator: ",").last.flatMap { Double($0) } }
        return (seconds.count, seconds.reduce(0, +))
    }
}
