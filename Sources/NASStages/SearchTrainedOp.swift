import Foundation
import NAS
import Numerics
import Pipeline

/// `best.json` of `search.trained`: the cells a search found, best first, and
/// what `final.train` needs to train them again on the full data.
struct TrainedSearchResult: Codable, Sendable {
    /// Top cells by proxy validation accuracy, best first.
    var best: [TrainingLabel]
    /// Every query in order (cell, validation %, measured cost).
    var queries: [TrainingLabel]
    /// Proxy examples the oracle trained on and validation examples it scored.
    var proxyExamples: Int, validationExamples: Int
    /// Training examples of the full data (the prepared training set).
    var fullExamples: Int
    /// Candidate-set strategy and predictor, for the report.
    var strategy: String, predictor: String
}

/// `search.trained`: predictor-guided search over NB-201 whose oracle trains
/// every queried cell on a data proxy (`TrainingOracle`) and answers with its
/// accuracy on a validation split held out of the training data (the proxy's
/// complement; never the test set). Each trained cell is an item of the item
/// cache, so an interrupted search resumes and replays identically.
///
/// Inputs: `population` (a `population.train` output: its setup fixes data,
/// network and recipe) and `selections` (a `proxy.select` output: the proxy
/// is the subset of `method`, `ratio`, `selection_seed`).
/// Outputs: `labels.csv` (every query), `best.json` (`TrainedSearchResult`).
public struct SearchTrainedOp: Op {
    /// The op's registry name.
    public static let name = "search.trained"

    /// A `search.trained` op.
    public init() {}

    /// Schema.
    public var descriptor: OpDescriptor {
        return OpDescriptor(
            name: Self.name, version: 2,  // v2: direct 3x3 convolution (session 5) changed the bits of every training and CNN score
            summary: "predictor-guided NB-201 search whose oracle trains each cell on a data proxy",
            params: [
                ParamSpec("method", .string, default: "ranking", doc: "proxy method (as in proxy.select)"),
                ParamSpec("ratio", .double, default: 0.1, range: 0.0001...1, doc: "proxy ratio (as in proxy.select)"),
                ParamSpec("selection_seed", .int, default: 0, range: 0...100, doc: "proxy selection seed"),
                ParamSpec("valid_size", .int, default: 1000, range: 10...60_000,
                          doc: "validation examples, drawn from the training examples outside the proxy"),
                ParamSpec("strategy", .string, default: "smart-subset",
                          allowed: [.string("smart-subset"), .string("random-subset"), .string("full")],
                          doc: "candidate set the predictor scores each iteration"),
                ParamSpec("budget", .int, default: 60, range: 3...100_000, doc: "oracle queries (trainings on the proxy)"),
                ParamSpec("n0", .int, default: 20, range: 2...100_000, doc: "random queries before the first predictor fit"),
                ParamSpec("k", .int, default: 5, range: 1...10_000, doc: "cells queried per iteration"),
                ParamSpec("subset_size", .int, default: 156, range: 1...15_625, doc: "cells the predictor scores per iteration (156 = 1 %)"),
                ParamSpec("smart_parents", .int, default: 3, range: 1...10_000, doc: "smart subset: parents per generation"),
                ParamSpec("random_share", .double, default: 0.1, range: 0...1, doc: "smart subset: share of random cells"),
                ParamSpec("seed", .int, default: 0, range: 0...1_000_000, doc: "search seed (also the validation draw and training seed)"),
                ParamSpec("top", .int, default: 3, range: 1...100, doc: "cells kept in best.json"),
                ParamSpec("parallel", .int, default: 2, range: 1...64,
                          doc: "trainings at once (the cells of one iteration), one thread each; results do not depend on it"),
            ] + PredictorSettings.searchParams,
            inputs: [InputSpec("population", doc: "a population.train output (setup.json)"),
                     InputSpec("selections", doc: "a proxy.select output (selections.json)")])
    }

    /// Runs the search and writes `labels.csv` and `best.json`.
    public func run(_ context: OpContext) async throws -> OpResult {
        let op = Self.name
        let method = try context.string("method", op: op)
        let ratio = try context.double("ratio", op: op)
        let selectionSeed = try context.int("selection_seed", op: op)
        let validSize = try context.int("valid_size", op: op)
        let budget = try context.int("budget", op: op), n0 = try context.int("n0", op: op), k = try context.int("k", op: op)
        guard n0 < budget else {
            throw PipelineError.opFailed(op: op, reason: "n0 = \(n0) leaves no query of the budget \(budget) to the predictor")
        }
        let seed = UInt64(try context.int("seed", op: op))
        let top = try context.int("top", op: op)
        let parallel = try context.int("parallel", op: op)
        let subsetSize = try context.int("subset_size", op: op)
        let strategyName = try context.string("strategy", op: op)
        let strategy: CandidateStrategy
        switch strategyName {
        case "full": strategy = .fullAccess
        case "random-subset": strategy = .randomSubset(size: subsetSize)
        default:
            strategy = .smartSubset(SmartSubset(size: subsetSize, parents: try context.int("smart_parents", op: op),
                                                randomShare: try context.double("random_share", op: op)))
        }
        let variant = try PredictorVariant.parse(try context.string("predictor", op: op), op: op)
        let settings = try PredictorSettings(context, variant: variant, op: op)
        // Kernel ridge picks its regularisation by 5-fold cross-validation, which needs ≥ 2 labels per fold.
        if variant == .kernelRidge, n0 < 10 {
            throw PipelineError.opFailed(op: op, reason: "kernel-ridge cross-validates over 5 folds: n0 = \(n0) must be at least 10")
        }
        let labelName = try context.string("labels", op: op)
        guard let labels = LabelTransform(rawValue: labelName) else {
            throw PipelineError.opFailed(op: op, reason: "unknown labels '\(labelName)'")
        }

        let setup = try ProxyJSON.read(SetupRecord.self, from: try context.input("population", op: op)
            .appendingPathComponent("setup.json"), op: op).setup
        let selections = try ProxyJSON.read(ProxySelections.self, from: try context.input("selections", op: op)
            .appendingPathComponent("selections.json"), op: op)
        guard let subset = selections.subsets.first(where: { $0.method == method && abs($0.ratio - ratio) < 1e-12 && $0.seed == selectionSeed })
        else {
            throw PipelineError.opFailed(op: op, reason: "selections has no proxy \(method) ratio \(ratio) seed \(selectionSeed)")
        }
        context.progress(OpProgress(fraction: 0, message: "loading data"))
        let data = try setup.loadData(op: op)
        let validation = try Self.validationIndices(excluding: subset.indices, of: data.train.count, count: validSize, seed: seed, op: op)
        let proxy = data.train.selecting(subset.indices), valid = data.train.selecting(validation)
        let space: SearchSpaceGraph<NB201Cell> = try nasFailure(op: op) {
            switch settings.encoding {
            case .flat: return try .nb201(encoding: NB201FlatEncoding())
            case .path: return try .nb201(encoding: NB201PathEncoding())
            case .renas: return try .nb201(encoding: NB201ReNASEncoding())
            }
        }
        let search = PredictorGuidedSearch(budget: budget, initialSize: n0, batchSize: k, strategy: strategy, labels: labels,
                                           makePredictor: { settings.makePredictor(space: "nb201") })
        let itemContext = ["setup": setup.canonical, "proxy": ProxyValidateOp.fingerprint(subset.indices),
                           "validation": ProxyValidateOp.fingerprint(validation), "seed": "\(seed)"]
        let options = setup.modelOptions, recipe = setup.recipe
        let itemCache = context.itemCache
        let progress = context.progress
        // The search blocks for as long as its trainings take: run it on its own thread.
        var outcome: (trace: SearchTrace, labels: [(label: TrainingLabel, cached: Bool)])?
        try await runConcurrently(1, parallel: 1, context: context, job: { _ in
            let cache = ItemLabelCache(cache: itemCache, context: itemContext) { label, cached in
                progress(OpProgress(fraction: nil, message: "query \(label.cell) "
                    + String(format: "%.1f%%", label.validationAccuracy) + (cached ? " (cached)" : String(format: " %.1fs CPU", label.cpuSeconds))))
            }
            let oracle = try TrainingOracle(proxy: proxy, validation: valid, options: options, recipe: recipe, seed: seed,
                                            parallel: parallel, cache: cache)
            let trace = try search.run(space: space, oracle: oracle, seed: seed)
            // Labels arrive in training order (a batch trains in parallel); report them in query order.
            var byCell: [String: (label: TrainingLabel, cached: Bool)] = [:]
            for entry in cache.labels where byCell[entry.label.cell] == nil { byCell[entry.label.cell] = entry }
            let labels = trace.queried.compactMap { byCell[space.cells[$0].cellString] }
            return SearchOutcome(trace: trace, labels: labels)
        }, completed: { _, result in outcome = (result.trace, result.labels) })
        guard let outcome, outcome.labels.count == outcome.trace.count else {
            throw PipelineError.opFailed(op: op, reason: "search finished without a label per query")
        }
        return try write(outcome, proxy: proxy.count, valid: valid.count, full: data.train.count, top: top,
                         strategy: strategyName, predictor: variant.rawValue, context: context)
    }

    /// Writes the outputs and builds the report of a finished search.
    private func write(_ outcome: (trace: SearchTrace, labels: [(label: TrainingLabel, cached: Bool)]), proxy: Int, valid: Int,
                       full: Int, top: Int, strategy: String, predictor: String, context: OpContext) throws -> OpResult {
        let queries = outcome.labels.map(\.label)
        let best = Array(queries.enumerated().sorted {
            $0.element.validationAccuracy > $1.element.validationAccuracy
                || ($0.element.validationAccuracy == $1.element.validationAccuracy && $0.offset < $1.offset)
        }.map(\.element).prefix(top))
        let result = TrainedSearchResult(best: best, queries: queries, proxyExamples: proxy, validationExamples: valid,
                                         fullExamples: full, strategy: strategy, predictor: predictor)
        let out = context.outputDirectory
        try ProxyJSON.write(result, to: out.appendingPathComponent("best.json"))
        var csv = "query,cell,valid_accuracy,cpu_seconds,wall_seconds\n"
        for (n, label) in queries.enumerated() {
            csv += "\(n + 1),\(label.cell),\(String(format: "%.2f", label.validationAccuracy)),"
                + "\(String(format: "%.3f", label.cpuSeconds)),\(String(format: "%.3f", label.wallSeconds))\n"
        }
        try Data(csv.utf8).write(to: out.appendingPathComponent("labels.csv"))
        let cpu = queries.map(\.cpuSeconds).reduce(0, +)
        // How many labels came from the cache goes to progress only: the report
        // is part of the output tree, and a resumed run must write the same bytes.
        let fresh = outcome.labels.filter { !$0.cached }.count
        context.progress(OpProgress(fraction: 1, message: "\(queries.count) queries, \(fresh) trained in this run, \(queries.count - fresh) from the cache"))
        let bestSoFar = outcome.trace.bestSoFar
        let curve = stride(from: 0, to: bestSoFar.count, by: max(1, bestSoFar.count / 10)).map { i in
            ["\(i + 1)", String(format: "%.2f", bestSoFar[i])]
        } + [["\(bestSoFar.count)", String(format: "%.2f", bestSoFar.last ?? 0)]]
        return OpResult(
            outputDirectory: out,
            metrics: ["queries": Double(queries.count),
                      "best_valid_accuracy": best.first?.validationAccuracy ?? 0, "proxy_examples": Double(proxy),
                      "validation_examples": Double(valid), "search_cpu_seconds": cpu,
                      "cpu_seconds_per_query": cpu / Double(max(1, queries.count))],
            tables: [ReportTable(title: "Best cells on the proxy (validation accuracy)",
                                 columns: ["cell", "valid %", "CPU s"],
                                 rows: best.map { [$0.cell, String(format: "%.2f", $0.validationAccuracy), String(format: "%.2f", $0.cpuSeconds)] }),
                     ReportTable(title: "Best-so-far validation accuracy against queries", columns: ["queries", "best valid %"], rows: curve)])
    }

    /// `count` training indices outside `excluding`, drawn with `seed`, sorted.
    static func validationIndices(excluding: [Int], of total: Int, count: Int, seed: UInt64, op: String) throws -> [Int] {
        let used = Set(excluding)
        var pool = (0..<total).filter { !used.contains($0) }
        guard pool.count >= count else {
            throw PipelineError.opFailed(op: op, reason: "valid_size \(count) exceeds the \(pool.count) training examples outside the proxy")
        }
        var rng = SplitMix64(seed: seed ^ 0x5641_4C49_4400)  // a stream apart from the search's
        pool.shuffle(using: &rng)
        return Array(pool.prefix(count)).sorted()
    }
}

/// A finished search and its labels, handed from the search thread back to the op.
struct SearchOutcome: Sendable {
    /// The search's trace.
    var trace: SearchTrace
    /// Every label in query order, and whether it came from the cache.
    var labels: [(label: TrainingLabel, cached: Bool)]
}
