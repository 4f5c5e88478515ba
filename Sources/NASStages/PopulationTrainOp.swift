import Foundation
import NAS
import Numerics
import Pipeline

/// `population.train`: trains every cell of one set of a `population.sample`
/// output (`set: population` or `heldout`) for `seeds` seeds on the prepared
/// Fashion-MNIST data and records, per run, the test accuracy and the
/// per-example statistics proxy scoring needs (`ArchitectureRun`).
///
/// Resumable per architecture: each (cell, seed) run is its own item in
/// `context.itemCache`, keyed by the cell, the seed and the setup, so an
/// interrupted stage re-trains only the runs that had not finished. Runs go
/// `parallel` at a time, each single-threaded.
///
/// Outputs: `runs.json` (array of runs, cell order then seed), `accuracies.csv`,
/// `setup.json` (the setup plus data-file digests), `labels.json`.
public struct PopulationTrainOp: Op {
    /// The op's registry name.
    public static let name = "population.train"

    /// A `population.train` op.
    public init() {}

    /// Schema.
    public var descriptor: OpDescriptor {
        OpDescriptor(
            name: Self.name, version: 3,  // v3: direct 3x3 convolution (session 5) changed the bits of every training and CNN score
            summary: "train sampled NB201 cells on Fashion-MNIST, recording per-example statistics",
            params: [
                ParamSpec("set", .string, default: "population", allowed: ["population", "heldout", "calibration"],
                          doc: "which cells file of the sample to train"),
                ParamSpec("seeds", .int, default: 1, range: 1...100, doc: "training seeds 0..<N per cell"),
                ParamSpec("record_examples", .bool, default: true,
                          doc: "keep per-example training statistics (false for held-out runs, which only need accuracies)"),
                ParamSpec("parallel", .int, default: 2, range: 1...64, doc: "trainings run at once, one thread each"),
            ] + ProxyStudySetup.params,
            inputs: [InputSpec("cells", doc: "a population.sample output"),
                     InputSpec("data", required: false,
                               doc: "sha256sum manifest of the data_dir files (their digests enter the key; checked before use)")])
    }

    /// Trains (or loads from the item cache) every run and writes the outputs.
    public func run(_ context: OpContext) async throws -> OpResult {
        let op = Self.name
        let set = try context.string("set", op: op)
        let seeds = try context.int("seeds", op: op)
        let recordExamples = try context.param("record_examples", op: op).boolValue ?? true
        let parallel = try context.int("parallel", op: op)
        let setup = try ProxyStudySetup(context, op: op)
        let cells = try PopulationSampleOp.readCells(try context.input("cells", op: op).appendingPathComponent("\(set).txt"), op: op)
        let data = try setup.loadData(op: op)
        let jobs = cells.flatMap { cell in (0..<seeds).map { (cell: cell, seed: UInt64($0)) } }
        let runs = try await Self.trainAll(jobs, setup: setup, data: data, recordExamples: recordExamples, withEntropy: recordExamples,
                                           parallel: parallel, context: context, op: op)

        let out = context.outputDirectory
        try ProxyJSON.write(runs, to: out.appendingPathComponent("runs.json"))
        try ProxyJSON.write(ProxyLabels(train: data.train.labels, test: data.test.labels, classes: data.train.classes),
                            to: out.appendingPathComponent("labels.json"))
        try ProxyJSON.write(SetupRecord(setup: setup),
                            to: out.appendingPathComponent("setup.json"))
        var csv = "cell,strength,seed,test_accuracy,train_seconds\n"
        for run in runs {
            let strength = (try? NB201Cell(string: run.cell).strength) ?? -1
            csv += "\(run.cell),\(strength),\(run.seed),\(String(format: "%.4f", run.testAccuracy)),\(String(format: "%.2f", run.trainSeconds))\n"
        }
        try Data(csv.utf8).write(to: out.appendingPathComponent("accuracies.csv"))

        let means = Self.meanAccuracies(runs)
        let rows = means.map { cell, acc in
            [cell, "\((try? NB201Cell(string: cell).strength) ?? -1)", String(format: "%.2f", 100 * acc)]
        }
        let values = means.map(\.1)
        return OpResult(outputDirectory: out,
                        metrics: ["runs": Double(runs.count), "accuracy_min": values.min() ?? 0,
                                  "accuracy_max": values.max() ?? 0,
                                  "accuracy_spread_points": 100 * ((values.max() ?? 0) - (values.min() ?? 0))],
                        tables: [ReportTable(title: "\(set): test accuracy (mean over \(seeds) seed(s))",
                                             columns: ["cell", "strength", "accuracy %"], rows: rows)])
    }

    /// Mean test accuracy per cell over its seeds, in first-appearance order.
    static func meanAccuracies(_ runs: [ArchitectureRun]) -> [(String, Double)] {
        var order: [String] = [], sums: [String: (Double, Int)] = [:]
        for run in runs {
            if sums[run.cell] == nil { order.append(run.cell) }
            let (s, n) = sums[run.cell] ?? (0, 0)
            sums[run.cell] = (s + run.testAccuracy, n + 1)
        }
        return order.map { ($0, sums[$0]!.0 / Double(sums[$0]!.1)) }
    }

    /// Trains `jobs` (or loads them from the item cache), `parallel` at a time,
    /// reporting progress per finished run with an ETA; results in job order.
    /// `subset` restricts training to those training indices (proxy runs).
    static func trainAll(_ jobs: [(cell: NB201Cell, seed: UInt64)], setup: ProxyStudySetup, data: (train: Dataset, test: Dataset),
                         recordExamples: Bool, withEntropy: Bool, parallel: Int, context: OpContext, op: String,
                         itemExtra: [String: String] = [:], label: String = "") async throws -> [ArchitectureRun] {
        func item(_ job: (cell: NB201Cell, seed: UInt64)) -> [String: String] {
            ["cell": job.cell.cellString, "seed": "\(job.seed)", "setup": setup.canonical,
             "examples": "\(recordExamples)", "entropy": "\(withEntropy)"].merging(itemExtra) { $1 }
        }
        var results = [ArchitectureRun?](repeating: nil, count: jobs.count)
        var missing: [Int] = []
        for (i, job) in jobs.enumerated() {
            if let data = try context.itemCache?.load(item(job)),
               let run = try? JSONDecoder().decode(ArchitectureRun.self, from: data) {
                results[i] = run
            } else {
                missing.append(i)
            }
        }
        let pending = missing
        let cached = jobs.count - pending.count
        let prefix = label.isEmpty ? "" : label + ": "
        context.progress(OpProgress(fraction: Double(cached) / Double(max(1, jobs.count)),
                                    message: "\(prefix)\(cached)/\(jobs.count) runs cached, training \(pending.count)"))
        let start = Date()
        let options = setup.modelOptions, recipe = setup.recipe
        var done = 0
        try await runConcurrently(pending.count, parallel: parallel, context: context, job: { k in
            let job = jobs[pending[k]]
            var run = try trainArchitecture(cell: job.cell, options: options, data: data, recipe: recipe, seed: job.seed,
                                            withEntropy: withEntropy, context: .serial)
            if !recordExamples { run.trainCorrect = []; run.trainLosses = [] }
            return run
        }, completed: { k, run in
            let index = pending[k]
            results[index] = run
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try context.itemCache?.store(item(jobs[index]), try encoder.encode(run))
            done += 1
            let elapsed = Date().timeIntervalSince(start)
            let eta = elapsed / Double(done) * Double(pending.count - done)
            context.progress(OpProgress(fraction: Double(cached + done) / Double(jobs.count),
                                        message: "\(prefix)\(cached + done)/\(jobs.count) runs, last \(run.cell) seed \(run.seed) "
                                            + String(format: "%.1f%%", 100 * run.testAccuracy) + ", ETA \(formatDuration(eta))"))
        })
        return results.map { $0! }  // every pending index was filled by `completed`
    }
}

/// `setup.json`: the setup the runs used, read back by `proxy.validate`.
struct SetupRecord: Codable, Sendable {
    /// The setup.
    var setup: ProxyStudySetup
}
