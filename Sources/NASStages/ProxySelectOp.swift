import Foundation
import NAS
import Pipeline

/// One proxy: the training indices a method keeps at a ratio for a seed.
struct ProxySubset: Codable, Sendable, Hashable {
    /// Method name.
    var method: String
    /// Fraction of the training set.
    var ratio: Double
    /// Selection seed (also the proxy training seed in `proxy.validate`).
    var seed: Int
    /// Sorted training indices.
    var indices: [Int]
}

/// `selections.json`: every training proxy and the reduced test proxy.
struct ProxySelections: Codable, Sendable {
    /// Training proxies, method-major, then ratio, then seed.
    var subsets: [ProxySubset]
    /// Sorted test indices of the test proxy.
    var testIndices: [Int]
    /// Fraction of the test set kept.
    var testRatio: Double
    /// Whether informed methods were class-balanced.
    var classBalanced: Bool
}

/// `proxy.select`: index lists for every method × ratio × seed
/// (`ProxySelection.select`) and a reduced test proxy of the test examples
/// with the highest test ranking importance.
public struct ProxySelectOp: Op {
    /// The op's registry name.
    public static let name = "proxy.select"

    /// A `proxy.select` op.
    public init() {}

    /// Schema.
    public var descriptor: OpDescriptor {
        OpDescriptor(
            name: Self.name, version: 1,
            summary: "proxy index lists per method, ratio and seed, and a reduced test proxy",
            params: [
                ParamSpec("methods", .list(.string), default: ["ranking", "ranking-mix", "entropy", "forgetting", "el2n", "random", "balanced-random"],
                          doc: "selection methods"),
                ParamSpec("ratios", .list(.double), default: [0.05, 0.1, 0.2], range: 0.0001...1, doc: "fractions of the training set"),
                ParamSpec("method_count", .int, default: 0, range: 0...100,
                          doc: "use only the first N methods (0 = all); lets a variant override a scalar"),
                ParamSpec("ratio_count", .int, default: 0, range: 0...100,
                          doc: "use only the first N ratios (0 = all)"),
                ParamSpec("seeds", .int, default: 3, range: 1...100, doc: "selection seeds 0..<N"),
                ParamSpec("class_balanced", .bool, default: true, doc: "equal class counts for informed methods"),
                ParamSpec("test_ratio", .double, default: 0.2, range: 0.0001...1, doc: "fraction of the test set in the test proxy"),
            ],
            inputs: [InputSpec("scores", doc: "a proxy.score output")])
    }

    /// Selects and writes `selections.json`.
    public func run(_ context: OpContext) async throws -> OpResult {
        let op = Self.name
        var methods = try context.stringList("methods", op: op).map { name in try nasFailure(op: op) { try ImportanceMethod.parse(name) } }
        let methodCount = try context.int("method_count", op: op)
        if methodCount > 0 { methods = Array(methods.prefix(methodCount)) }
        guard let ratioItems = try context.param("ratios", op: op).listValue else {
            throw PipelineError.opFailed(op: op, reason: "parameter 'ratios' is not a list of numbers")
        }
        var ratios = ratioItems.compactMap(\.numericValue)
        let ratioCount = try context.int("ratio_count", op: op)
        if ratioCount > 0 { ratios = Array(ratios.prefix(ratioCount)) }
        let seeds = try context.int("seeds", op: op)
        let balanced = try context.param("class_balanced", op: op).boolValue ?? true
        let testRatio = try context.double("test_ratio", op: op)
        let scores = try ProxyJSON.read(ProxyScores.self, from: try context.input("scores", op: op).appendingPathComponent("scores.json"), op: op)
        let labels = scores.labels

        var subsets: [ProxySubset] = []
        for method in methods {
            let methodScores = scores.train[method.scoreName] ?? scores.train[method.rawValue]
            if method != .random, method != .balancedRandom, methodScores == nil {
                throw PipelineError.opFailed(op: op, reason: "no '\(method.rawValue)' scores in the input (add it to proxy.score's methods)")
            }
            let strata = method.stratumScheme == nil ? nil : scores.train[ImportanceMethod.strataName]
            if method.stratumScheme != nil, strata == nil {
                throw PipelineError.opFailed(op: op, reason: "no '\(ImportanceMethod.strataName)' values for \(method.rawValue) in the input (add it to proxy.score's methods)")
            }
            for ratio in ratios {
                for seed in 0..<seeds {
                    let indices = try nasFailure(op: op) {
                        try ProxySelection.select(method: method, ratio: ratio, classBalanced: balanced, scores: methodScores, strata: strata,
                                                  labels: labels.train, classes: labels.classes, seed: UInt64(seed))
                    }
                    subsets.append(ProxySubset(method: method.rawValue, ratio: ratio, seed: seed, indices: indices))
                }
            }
        }
        let testIndices = try nasFailure(op: op) {
            try ProxySelection.testProxy(ratio: testRatio, scores: scores.test, labels: labels.test, classes: labels.classes, seed: 0)
        }
        try ProxyJSON.write(ProxySelections(subsets: subsets, testIndices: testIndices, testRatio: testRatio, classBalanced: balanced),
                            to: context.outputDirectory.appendingPathComponent("selections.json"))
        let rows = ratios.map { ratio in
            ["\(ratio)", "\(ProxySelection.size(ratio: ratio, of: labels.train.count))", "\(methods.count * seeds)"]
        }
        return OpResult(outputDirectory: context.outputDirectory,
                        metrics: ["subsets": Double(subsets.count), "test_proxy_size": Double(testIndices.count)],
                        tables: [ReportTable(title: "Proxies of \(labels.train.count) training examples",
                                             columns: ["ratio", "examples", "subsets"], rows: rows)])
    }
}
