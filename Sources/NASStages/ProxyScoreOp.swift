import Foundation
import NAS
import Pipeline

/// `scores.json`: per-method example scores plus the labels selection needs.
struct ProxyScores: Codable, Sendable {
    /// Score name (`ImportanceMethod.scoreName`) → one score per training
    /// example (absent for random methods).
    var train: [String: [Double]]
    /// Test ranking importance, one per test example.
    var test: [Double]
    /// Labels of the prepared data.
    var labels: ProxyLabels
}

/// `proxy.score`: importance scores of every training example for each method
/// (`ImportanceMethod.scores`) and the test ranking importance, from a
/// `population.train` output with per-example statistics.
public struct ProxyScoreOp: Op {
    /// The op's registry name.
    public static let name = "proxy.score"

    /// A `proxy.score` op.
    public init() {}

    /// Schema.
    public var descriptor: OpDescriptor {
        OpDescriptor(
            // 3: the difficulty-stratified methods add the population's ease ("ease").
            name: Self.name, version: 3,
            summary: "per-example importance scores (ranking, entropy, forgetting, EL2N) from population runs",
            params: [ParamSpec("methods", .list(.string), default: .array(ImportanceMethod.allCases.map { .string($0.rawValue) }),
                               doc: "methods to score (\(ImportanceMethod.allCases.map(\.rawValue).joined(separator: ", ")))")],
            inputs: [InputSpec("population", doc: "a population.train output with record_examples: true")])
    }

    /// Scores and writes `scores.json`.
    public func run(_ context: OpContext) async throws -> OpResult {
        let op = Self.name
        let methods = try context.stringList("methods", op: op).map { name in try nasFailure(op: op) { try ImportanceMethod.parse(name) } }
        let dir = try context.input("population", op: op)
        let runs = try ProxyJSON.read([ArchitectureRun].self, from: dir.appendingPathComponent("runs.json"), op: op)
        let labels = try ProxyJSON.read(ProxyLabels.self, from: dir.appendingPathComponent("labels.json"), op: op)
        guard runs.allSatisfy({ $0.epochs > 0 }) else {
            throw PipelineError.opFailed(op: op, reason: "population runs carry no per-example statistics (record_examples: false)")
        }
        var train: [String: [Double]] = [:]
        for method in methods {
            try context.checkCancellation()
            // Selection variants share their scorer's scores, and every stratified method the same strata.
            if train[ImportanceMethod.strataName] == nil, let strata = try nasFailure(op: op, { try method.strata(runs) }) {
                train[ImportanceMethod.strataName] = strata
            }
            if train[method.scoreName] == nil, let scores = try nasFailure(op: op, { try method.scores(runs) }) {
                train[method.scoreName] = scores
            }
        }
        let test = try nasFailure(op: op) { try ExampleScores.testRankingImportance(runs) }
        try ProxyJSON.write(ProxyScores(train: train, test: test, labels: labels), to: context.outputDirectory.appendingPathComponent("scores.json"))

        var rows: [[String]] = []
        for name in train.keys.sorted() {
            let s = train[name]!.sorted()
            rows.append([name, String(format: "%.4g", s.first!), String(format: "%.4g", s[s.count / 2]), String(format: "%.4g", s.last!)])
        }
        let t = test.sorted()
        rows.append(["test ranking", String(format: "%.4g", t.first ?? 0), String(format: "%.4g", t.isEmpty ? 0 : t[t.count / 2]),
                     String(format: "%.4g", t.last ?? 0)])
        return OpResult(outputDirectory: context.outputDirectory, metrics: ["architectures": Double(runs.count)],
                        tables: [ReportTable(title: "Score distributions over \(labels.train.count) training examples",
                                             columns: ["method", "min", "median", "max"], rows: rows)])
    }
}
