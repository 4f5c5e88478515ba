import Foundation
import NAS
import Numerics
import Pipeline

/// `proxy.validate`: trains every held-out architecture on every proxy of a
/// `proxy.select` output (same setup as the full-data held-out runs except
/// the optional `proxy_batch` / `proxy_epochs` / `proxy_learning_rate` / `proxy_warmup_epochs`, which apply to every method
/// alike; proxy seed s trains with seed 1000 + s, and `proxy_trainings` > 1 averages more seeds) and compares the proxy rankings with the
/// reference ranking (mean over the held-out seeds): Kendall τ, Spearman ρ,
/// top-5 overlap and wall-clock speedup per method and ratio over seeds, the
/// noise ceiling (τ between independent full-data seeds) and the test proxy.
/// Each proxy training is an item in `context.itemCache`, so an interrupted
/// validation resumes. Writes `metrics.json`, `proxy_runs.csv`, `tau_vs_ratio.svg`.
public struct ProxyValidateOp: Op {
    /// The op's registry name.
    public static let name = "proxy.validate"

    /// A `proxy.validate` op.
    public init() {}

    /// Schema.
    public var descriptor: OpDescriptor {
        OpDescriptor(
            name: Self.name, version: 4,  // v4: direct 3x3 convolution (session 5) changed the bits of every training and CNN score
            summary: "rank held-out cells trained on each proxy against their full-data ranking",
            params: [
                ParamSpec("parallel", .int, default: 2, range: 1...64, doc: "trainings run at once, one thread each"),
                ParamSpec("top_k", .int, default: 5, range: 1...1000, doc: "k of the top-k overlap"),
                ParamSpec("proxy_batch", .int, default: 0, range: 0...4096,
                          doc: "minibatch size of the proxy trainings, every method alike (0 = the full runs' batch)"),
                ParamSpec("proxy_epochs", .int, default: 0, range: 0...500,
                          doc: "epochs of the proxy trainings, every method alike (0 = the full runs' epochs)"),
                ParamSpec("proxy_learning_rate", .double, default: 0, range: 0...10,
                          doc: "peak learning rate of the proxy trainings, every method alike (0 = the full runs' rate)"),
                ParamSpec("proxy_warmup_epochs", .int, default: 0, range: 0...499,
                          doc: "epochs of linear warm-up of the proxy trainings, every method alike (0 = the full runs' warm-up)"),
                ParamSpec("proxy_trainings", .int, default: 1, range: 1...16,
                          doc: "proxy trainings per architecture and proxy, their test accuracies averaged (seeds 1000 + s, then + 7919·t); the speedup counts all of them"),
            ],
            inputs: [InputSpec("heldout", doc: "a population.train output of the held-out set, ≥ 2 seeds"),
                     InputSpec("selections", doc: "a proxy.select output")])
    }

    /// Trains the proxies and writes the validation.
    public func run(_ context: OpContext) async throws -> OpResult {
        let op = Self.name
        let parallel = try context.int("parallel", op: op)
        let k = try context.int("top_k", op: op)
        let heldDir = try context.input("heldout", op: op)
        let heldRuns = try ProxyJSON.read([ArchitectureRun].self, from: heldDir.appendingPathComponent("runs.json"), op: op)
        let setup = try ProxyJSON.read(SetupRecord.self, from: heldDir.appendingPathComponent("setup.json"), op: op).setup
        // The proxy recipe: the full runs' setup with the proxy batch / epochs / rate / warm-up
        // (its canonical form, hence every proxy item key, carries them).
        var proxySetup = setup
        let proxyBatch = try context.int("proxy_batch", op: op), proxyEpochs = try context.int("proxy_epochs", op: op)
        if proxyBatch > 0 { proxySetup.batchSize = proxyBatch }
        if proxyEpochs > 0 { proxySetup.epochs = proxyEpochs }
        let proxyRate = try context.double("proxy_learning_rate", op: op)
        if proxyRate > 0 { proxySetup.learningRate = proxyRate }
        let proxyWarmup = try context.int("proxy_warmup_epochs", op: op)
        if proxyWarmup > 0 { proxySetup.warmupEpochs = proxyWarmup }
        guard proxySetup.warmupEpochs < proxySetup.epochs else {
            throw PipelineError.opFailed(op: op, reason: "the proxy trainings' warm-up (\(proxySetup.warmupEpochs) epochs) must be shorter than their \(proxySetup.epochs) epochs")
        }
        // Several trainings per architecture average the proxies' own training noise away, at a
        // proportional cost (docs/benchmarks.md, "Session 9"); 1 is the issue's protocol.
        let trainings = try context.int("proxy_trainings", op: op)
        let selections = try ProxyJSON.read(ProxySelections.self,
                                            from: try context.input("selections", op: op).appendingPathComponent("selections.json"), op: op)
        var cells: [String] = []
        for run in heldRuns where !cells.contains(run.cell) { cells.append(run.cell) }
        guard cells.count >= 2 else { throw PipelineError.opFailed(op: op, reason: "need at least 2 held-out architectures") }
        let parsed = try cells.map { cell in try nasFailure(op: op) { try NB201Cell(string: cell) } }
        let reference = ProxyValidationSummary.reference(heldRuns, cells: cells)
        let bySeed = ProxyValidationSummary.bySeed(heldRuns, cells: cells)
        let ceiling = try nasFailure(op: op) { try RankingAgreement.noiseCeiling(bySeed) }
        let fullSeconds = heldRuns.map(\.trainSeconds).reduce(0, +) / Double(heldRuns.count)

        let data = try setup.loadData(op: op)
        if let bad = selections.subsets.first(where: { $0.indices.contains { $0 >= data.train.count } }) {
            throw PipelineError.opFailed(op: op, reason: "\(bad.method) proxy indexes past the \(data.train.count) training examples of the held-out setup")
        }
        var csv = "method,ratio,seed,cell,test_accuracy,train_seconds\n"
        var perSubset: [(subset: ProxySubset, agreement: RankingAgreement, seconds: Double)] = []
        for (n, subset) in selections.subsets.enumerated() {
            try context.checkCancellation()
            let proxyData = (train: data.train.selecting(subset.indices), test: data.test)
            // Training t of a cell uses seed 1000 + s + 7919·t, so training 0 is the single-training run (same item).
            let jobs = (0..<trainings).flatMap { t in parsed.map { (cell: $0, seed: UInt64(1000 + subset.seed + 7919 * t)) } }
            let label = "proxy \(n + 1)/\(selections.subsets.count) \(subset.method) \(subset.ratio) seed \(subset.seed)"
            let allRuns = try await PopulationTrainOp.trainAll(
                jobs, setup: proxySetup, data: proxyData, recordExamples: false, withEntropy: false, parallel: parallel,
                context: context, op: op,
                itemExtra: ["method": subset.method, "ratio": "\(subset.ratio)", "selection_seed": "\(subset.seed)",
                            "subset": Self.fingerprint(subset.indices)],
                label: label)
            // Per cell: the mean accuracy and the total training time of its `trainings` runs (job order is kept).
            let accuracies = cells.indices.map { c in (0..<trainings).map { allRuns[$0 * cells.count + c].testAccuracy }.reduce(0, +) / Double(trainings) }
            let seconds = cells.indices.map { c in (0..<trainings).map { allRuns[$0 * cells.count + c].trainSeconds }.reduce(0, +) }
            let agreement = try nasFailure(op: op) { try RankingAgreement(scores: accuracies, reference: reference, k: k) }
            perSubset.append((subset, agreement, seconds.reduce(0, +) / Double(cells.count)))
            for c in cells.indices {
                csv += "\(subset.method),\(subset.ratio),\(subset.seed),\(allRuns[c].cell),\(String(format: "%.4f", accuracies[c])),"
                    + "\(String(format: "%.3f", seconds[c]))\n"
            }
        }

        var methods: [String: [String: ProxyRatioResult]] = [:]
        var order: [String] = []
        for entry in perSubset where !order.contains(entry.subset.method) { order.append(entry.subset.method) }
        for method in order {
            let ratios = Set(perSubset.filter { $0.subset.method == method }.map(\.subset.ratio)).sorted()
            for ratio in ratios {
                let group = perSubset.filter { $0.subset.method == method && $0.subset.ratio == ratio }.sorted { $0.subset.seed < $1.subset.seed }
                let seconds = group.map(\.seconds).reduce(0, +) / Double(group.count)
                methods[method, default: [:]]["\(ratio)"] = ProxyRatioResult(
                    kendallTau: SeedStatistic(group.map(\.agreement.kendallTau)),
                    spearmanRho: SeedStatistic(group.map(\.agreement.spearmanRho)),
                    topKOverlap: SeedStatistic(group.map(\.agreement.topKOverlap)),
                    speedup: seconds > 0 ? fullSeconds / seconds : 0)
            }
        }
        let testProxy = try Self.testProxy(heldRuns, cells: cells, reference: reference, indices: selections.testIndices, op: op)
        let fullRunTaus = try bySeed.map { seed in try nasFailure(op: op) { try kendallTau(seed, reference) } ?? 0 }
        let metrics = ProxyValidationMetrics(noiseCeiling: ceiling, fullRunTau: fullRunTaus.reduce(0, +) / Double(max(1, fullRunTaus.count)),
                                             architectures: cells.count, referenceSeeds: bySeed.count,
                                             referenceSpreadPoints: 100 * ((reference.max() ?? 0) - (reference.min() ?? 0)),
                                             methods: methods, testProxy: testProxy)
        let out = context.outputDirectory
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(metrics).write(to: out.appendingPathComponent("metrics.json"))
        try Data(csv.utf8).write(to: out.appendingPathComponent("proxy_runs.csv"))
        let svg = ProxyValidationSummary.plot(metrics, order: order)
        try Data(svg.utf8).write(to: out.appendingPathComponent("tau_vs_ratio.svg"))

        var scalars: [String: Double] = ["noise_ceiling": ceiling ?? 0, "full_run_tau": metrics.fullRunTau, "reference_spread_points": metrics.referenceSpreadPoints,
                                         "test_proxy_tau": testProxy.kendallTau]
        for (method, byRatio) in methods {
            for (ratio, result) in byRatio { scalars["tau_\(method)_\(ratio)"] = result.kendallTau.mean }
        }
        return OpResult(outputDirectory: out, metrics: scalars,
                        tables: [ProxyValidationSummary.table(metrics, order: order),
                                 ReportTable(title: "Reduced test proxy (\(testProxy.size) test examples)",
                                             columns: ["selection", "τ vs full test"],
                                             rows: [["test ranking importance", String(format: "%.3f", testProxy.kendallTau)],
                                                    ["random (mean of 10)", String(format: "%.3f", testProxy.randomKendallTau)]])],
                        figures: [ReportFigure(title: "Kendall τ vs proxy size per method (mean ± std over seeds)", svg: svg)])
    }

    /// "N examples, fnv1a64 HEX": identifies an index list inside item keys
    /// (the runner's key also holds the selections' digest; this keeps keys
    /// distinct where a cache is offered without input digests).
    static func fingerprint(_ indices: [Int]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in indices {
            for byte in 0..<8 {
                hash ^= UInt64(truncatingIfNeeded: index >> (8 * byte)) & 0xff
                hash = hash &* 0x100_0000_01b3
            }
        }
        return "\(indices.count) examples, fnv1a64 " + String(hash, radix: 16)
    }

    /// τ of the held-out ranking by accuracy on the test proxy (mean over
    /// seeds) against the full-test reference, and the same for 10 random
    /// test subsets of equal size.
    static func testProxy(_ runs: [ArchitectureRun], cells: [String], reference: [Double], indices: [Int],
                          op: String) throws -> TestProxyResult {
        func tau(_ subset: [Int]) throws -> Double {
            let scores = cells.map { cell -> Double in
                let accs = runs.filter { $0.cell == cell }.compactMap { $0.testAccuracy(on: subset) }
                return accs.reduce(0, +) / Double(max(1, accs.count))
            }
            return try nasFailure(op: op) { try kendallTau(scores, reference) } ?? 0
        }
        let testCount = runs.first?.testCorrect.count ?? 0
        guard !indices.isEmpty, indices.allSatisfy({ $0 < testCount }) else {
            throw PipelineError.opFailed(op: op, reason: "test proxy indices do not fit the held-out runs' \(testCount) test examples")
        }
        var rng = SplitMix64(seed: 0)
        var randomTaus: [Double] = []
        for _ in 0..<10 {
            var all = Array(0..<testCount)
            rng.shuffle(&all)
            randomTaus.append(try tau(Array(all.prefix(indices.count))))
        }
        return TestProxyResult(size: indices.count, kendallTau: try tau(indices),
                               randomKendallTau: randomTaus.reduce(0, +) / Double(randomTaus.count))
    }
}
