import Foundation
import NAS
import Pipeline

/// `search.predictor`: a sample-efficiency study of predictor-guided search
/// on a benchmark table used as the oracle. For every strategy × seed it runs
/// one search to the query budget, then reports the queries each seed needed
/// to reach the target, their median, and the gain over random search with a
/// bootstrap interval (docs/methods/sampling.md), plus best-so-far curves.
///
/// Strategies: `full`, `random-subset`, `smart-subset` (predictor-guided,
/// differing in which cells the predictor scores), and the baselines
/// `random-search` and `evolution` (regularized evolution).
public struct SearchPredictorOp: Op {
    /// The op's registry name.
    public static let name = "search.predictor"
    /// Strategy names accepted in `strategies`.
    static let strategyNames = ["full", "random-subset", "smart-subset", "random-search", "evolution"]

    /// A `search.predictor` op.
    public init() {}

    /// Schema.
    public var descriptor: OpDescriptor {
        return OpDescriptor(
            name: Self.name, version: 2,  // v2: direct 3x3 convolution (session 5) changed the bits of every training and CNN score
            summary: "sample efficiency of predictor-guided search (full / random / smart subset) against random search and evolution",
            params: [
                ParamSpec("space", .string, default: "nb201", allowed: [.string("nb201"), .string("nb101")],
                          doc: "nb201 (CIFAR-10 table, valid_top1 searched, test_top1 reported) or nb101 (the table's cells, val_acc_108)"),
                ParamSpec("strategies", .list(.string), default: .array(Self.strategyNames.map { .string($0) }),
                          doc: "any of full, random-subset, smart-subset, random-search, evolution"),
                ParamSpec("only", .string, default: "",
                          doc: "when set, run just this strategy (a scalar, so `--set only=full` can pick one)"),
                ParamSpec("budget", .int, default: 300, range: 2...1_000_000, doc: "oracle queries per run"),
                ParamSpec("n0", .int, default: 20, range: 2...1_000_000, doc: "random queries before the first predictor fit"),
                ParamSpec("k", .int, default: 10, range: 1...100_000, doc: "cells queried per iteration (top-k of the candidates)"),
                ParamSpec("subset_fraction", .double, default: 0.01, range: 1e-6...1,
                          doc: "candidate subset size as a fraction of the space (random-subset, smart-subset)"),
                ParamSpec("subset_size", .int, default: 0, range: 0...100_000_000,
                          doc: "candidate subset size in cells; overrides subset_fraction when > 0"),
                ParamSpec("smart_parents", .int, default: 3, range: 1...10_000, doc: "smart subset: parents per generation"),
                ParamSpec("random_share", .double, default: 0.1, range: 0...1, doc: "smart subset: share of random cells"),
                ParamSpec("population", .int, default: 20, range: 1...100_000, doc: "evolution: population size P"),
                ParamSpec("tournament", .int, default: 5, range: 1...100_000, doc: "evolution: tournament size S"),
                ParamSpec("seeds", .int, default: 20, range: 1...10_000, doc: "runs per strategy, seeds seed_offset..<seed_offset+N"),
                ParamSpec("seed_offset", .int, default: 0, range: 0...1e9, doc: "first seed (tune on other seeds than you report)"),
                ParamSpec("target_tolerance", .double, default: 0.1, range: 0...100,
                          doc: "target: best-validation cell or test accuracy within this many points of the best"),
                ParamSpec("bootstrap", .int, default: 2000, range: 1...1_000_000, doc: "bootstrap resamples of the gain interval"),
            ] + PredictorSettings.searchParams,
            inputs: [InputSpec("table", doc: "benchmark table file: data/nb201/nb201-cifar10-200ep.csv.zst or data/nb101/nb101-20k.csv.zst")])
    }

    /// Runs the study and writes `metrics.json`, `runs.csv`, `curves.csv`, `best_so_far.svg`.
    public func run(_ context: OpContext) async throws -> OpResult {
        let op = Self.name
        let config = try SearchStudyConfig(context, op: op)
        let url = try context.input("table", op: op)
        context.progress(OpProgress(fraction: 0, message: "loading table"))
        let report: SamplingStudyReport
        if config.space == "nb101" {
            let table = try CSVInput.read(url, displayName: "table", op: op) { try NB101Table(csv: $0) }
            let space = try nasFailure(op: op) { try config.nb101Space(table) }
            let oracle = try nasFailure(op: op) { try TableOracle.nb101(table) }
            report = try study(space: space, oracle: oracle, config: config, context: context)
        } else {
            let table = try CSVInput.read(url, displayName: "table", op: op) { try NB201Table(csv: $0) }
            let space = try nasFailure(op: op) { try config.nb201Space() }
            let oracle = try nasFailure(op: op) { try TableOracle.nb201(table) }
            report = try study(space: space, oracle: oracle, config: config, context: context)
        }
        try report.write(to: context.outputDirectory)
        return OpResult(outputDirectory: context.outputDirectory, metrics: report.scalars, tables: report.tables,
                        figures: [ReportFigure(title: "Best-so-far true accuracy against oracle queries (mean over seeds)",
                                               svg: report.plot)])
    }

    /// Runs every strategy over every seed on one space.
    private func study<C>(space: SearchSpaceGraph<C>, oracle: TableOracle<C>, config: SearchStudyConfig,
                          context: OpContext) throws -> SamplingStudyReport {
        let op = Self.name
        let target = try nasFailure(op: op) {
            try SearchTarget.nearBest(validation: space.cells.map { oracle.entry(of: $0)?.validation ?? -.infinity },
                                      test: space.cells.map(oracle.reportedTestAccuracy), tolerance: config.tolerance)
        }
        let methods = try config.methods(spaceSize: space.count, op: op)
        let hasTest = space.cells.contains { oracle.reportedTestAccuracy(of: $0) != nil }
        var studies: [MethodStudy] = []
        let total = Double(methods.count * config.seeds.count)
        for method in methods {
            let done = Double(studies.count * config.seeds.count)
            let study = try nasFailure(op: op) {
                try MethodStudy(method: method, space: space, oracle: oracle, seeds: config.seeds) { runs in
                    try context.checkCancellation()
                    context.progress(OpProgress(fraction: (done + Double(runs)) / total,
                                                message: "\(method.name) seed \(runs)/\(config.seeds.count)"))
                }
            }
            studies.append(study)
        }
        return try nasFailure(op: op) {
            try SamplingStudyReport(studies: studies, target: target, space: space.name,
                                    reported: hasTest ? "test" : "validation",
                                    meanNeighbours: Double(space.neighbours.map(\.count).reduce(0, +)) / Double(space.count),
                                    budget: config.budget,
                                    predictor: config.predictor.variant.rawValue, encoding: config.predictor.encoding.rawValue,
                                    resamples: config.resamples)
        }
    }
}
