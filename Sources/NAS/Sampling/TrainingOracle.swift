import Foundation
import Numerics

/// What one training of one cell by a `TrainingOracle` produced: the
/// validation accuracy a search sees and the training's measured cost.
public struct TrainingLabel: Sendable, Hashable, Codable {
    /// The cell string.
    public var cell: String
    /// Validation accuracy (%) after training on the proxy.
    public var validationAccuracy: Double
    /// CPU seconds of the training thread (training plus the validation
    /// pass); unlike wall time it barely depends on machine load.
    public var cpuSeconds: Double
    /// Wall-clock seconds of the training (evaluation excluded).
    public var wallSeconds: Double

    /// Memberwise initialiser.
    public init(cell: String, validationAccuracy: Double, cpuSeconds: Double, wallSeconds: Double) {
        self.cell = cell
        self.validationAccuracy = validationAccuracy
        self.cpuSeconds = cpuSeconds
        self.wallSeconds = wallSeconds
    }
}

/// Where a `TrainingOracle` keeps finished trainings, so an interrupted
/// search resumes without re-training (the pipeline passes its item cache).
public protocol TrainingLabelCache {
    /// The stored label of `cell`, nil on a miss.
    func label(of cell: NB201Cell) throws -> TrainingLabel?
    /// Stores the label of a freshly trained cell.
    func store(_ label: TrainingLabel) throws
}

/// An oracle that answers by training: each queried NB-201 cell is built
/// (`NB201Model`), trained with `recipe` on `proxy` — a data proxy, a small
/// subset of the training data — and its accuracy on `validation`, a split
/// held out of the training data, is the answer. The test set never enters:
/// `reportedTestAccuracy(of:)` is always nil, test accuracy comes only from
/// the final full-data training of the cells a search picks.
///
/// Every cell is trained with the same `seed` (initialisation and data
/// order), so the answer is a deterministic function of the cell and the
/// labels a cache returns equal the ones training would produce.
public struct TrainingOracle: Oracle {
    /// Queries are NB-201 cells.
    public typealias Cell = NB201Cell

    /// Training data: the proxy.
    public let proxy: Dataset
    /// Validation data: held out of the training set, disjoint from `proxy`.
    public let validation: Dataset
    /// Network shape.
    public let options: NB201ModelOptions
    /// Training recipe.
    public let recipe: TrainingRecipe
    /// Training seed shared by every cell.
    public let seed: UInt64
    /// Trainings run at once by `prepare(_:)`, each single-threaded.
    public let parallel: Int
    private let cache: (any TrainingLabelCache)?
    private var answers: [NB201Cell: Double] = [:]
    /// Labels trained or loaded by `prepare(_:)`, not yet asked about.
    private var prepared: [NB201Cell: TrainingLabel] = [:]

    /// An oracle training on `proxy` and validating on `validation`; throws on
    /// empty data or data of different shapes.
    public init(proxy: Dataset, validation: Dataset, options: NB201ModelOptions, recipe: TrainingRecipe, seed: UInt64,
                parallel: Int = 1, cache: (any TrainingLabelCache)? = nil) throws {
        guard proxy.count > 0, validation.count > 0 else {
            throw NASError.invalidArgument(name: "data", reason: "training oracle needs a non-empty proxy and validation split")
        }
        guard Array(proxy.images.shape.dropFirst()) == Array(validation.images.shape.dropFirst()),
              proxy.classes == validation.classes else {
            throw NASError.invalidArgument(name: "data", reason: "proxy \(proxy.images.shape) and validation \(validation.images.shape) differ")
        }
        try recipe.validate()
        self.proxy = proxy
        self.validation = validation
        self.options = options
        self.recipe = recipe
        self.seed = seed
        self.parallel = max(1, parallel)
        self.cache = cache
    }

    /// Distinct cells queried so far (cache hits included: the count is the
    /// search's cost in trainings, wherever the result came from).
    public var queryCount: Int { answers.count }

    /// Validation accuracy (%) of `cell`, trained on the proxy unless known.
    public mutating func validationAccuracy(of cell: NB201Cell) throws -> Double {
        if let known = answers[cell] { return known }
        let label = try prepared.removeValue(forKey: cell) ?? cache?.label(of: cell) ?? train(cell)
        answers[cell] = label.validationAccuracy
        return label.validationAccuracy
    }

    /// Always nil: a training oracle never looks at the test set.
    public func reportedTestAccuracy(of cell: NB201Cell) -> Double? { nil }

    /// Loads the cached labels of `cells` and trains the others, `parallel`
    /// at a time; the labels wait until the search asks (no query counted).
    /// Every training is independent and single-threaded, so the labels equal
    /// what one-by-one training gives.
    public mutating func prepare(_ cells: [NB201Cell]) throws {
        var todo: [NB201Cell] = []
        for cell in cells where answers[cell] == nil && prepared[cell] == nil && !todo.contains(cell) {
            if let label = try cache?.label(of: cell) { prepared[cell] = label } else { todo.append(cell) }
        }
        guard parallel > 1, todo.count > 1 else { return }  // one cell: train it when asked
        let results = LabelSlots(count: todo.count)
        let (proxy, validation, options, recipe, seed, workers) = (proxy, validation, options, recipe, seed, min(parallel, todo.count))
        let cells = todo
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for i in stride(from: worker, to: cells.count, by: workers) {
                results.set(i, Result {
                    try Self.train(cells[i], proxy: proxy, validation: validation, options: options, recipe: recipe, seed: seed)
                })
            }
        }
        for (i, cell) in todo.enumerated() {
            let label = try results.get(i)
            try cache?.store(label)
            prepared[cell] = label
        }
    }

    /// Trains `cell` and stores the label in the cache.
    private func train(_ cell: NB201Cell) throws -> TrainingLabel {
        let label = try Self.train(cell, proxy: proxy, validation: validation, options: options, recipe: recipe, seed: seed)
        try cache?.store(label)
        return label
    }

    /// One training of `cell` on `proxy`, scored on `validation`, with its thread CPU time.
    private static func train(_ cell: NB201Cell, proxy: Dataset, validation: Dataset, options: NB201ModelOptions,
                              recipe: TrainingRecipe, seed: UInt64) throws -> TrainingLabel {
        let start = threadCPUSeconds()
        let run = try trainArchitecture(cell: cell, options: options, data: (train: proxy, test: validation), recipe: recipe,
                                        seed: seed, withEntropy: false, context: .serial)
        guard run.testAccuracy.isFinite else {
            throw NASError.invalidArgument(name: "cell", reason: "training \(cell.cellString) gave a non-finite accuracy")
        }
        return TrainingLabel(cell: cell.cellString, validationAccuracy: 100 * run.testAccuracy,
                             cpuSeconds: threadCPUSeconds() - start, wallSeconds: run.trainSeconds)
    }
}

/// Result slots the parallel trainings of `TrainingOracle.prepare` fill.
/// `@unchecked Sendable`: every access to `slots` holds `lock`.
private final class LabelSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<TrainingLabel, Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ result: Result<TrainingLabel, Error>) { lock.withLock { slots[i] = result } }

    /// The label of slot `i`, rethrowing its training's error.
    func get(_ i: Int) throws -> TrainingLabel {
        guard let result = lock.withLock({ slots[i] }) else {
            throw NASError.invalidArgument(name: "prepare", reason: "training \(i) produced no result")
        }
        return try result.get()
    }
}

/// CPU seconds the calling thread has used so far (CLOCK_THREAD_CPUTIME_ID):
/// the cost of a single-threaded training independent of how many other
/// processes share the machine.
public func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}
