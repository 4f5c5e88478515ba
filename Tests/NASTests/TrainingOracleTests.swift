import Foundation
import Numerics
import XCTest
@testable import NAS

/// An in-memory label cache counting what it stores.
final class MemoryLabelCache: TrainingLabelCache {
    var labels: [String: TrainingLabel] = [:]
    var stores = 0
    func label(of cell: NB201Cell) throws -> TrainingLabel? { labels[cell.cellString] }
    func store(_ label: TrainingLabel) throws {
        stores += 1
        labels[label.cell] = label
    }
}

/// `TrainingOracle` on synthetic 8×8 data with a 4-channel network, one epoch.
final class TrainingOracleTests: XCTestCase {
    private let recipe = TrainingRecipe(epochs: 1, batchSize: 16, learningRate: 0.05, evaluateEveryEpoch: false)
    private let proxy = ModelFixtures.syntheticDataset(count: 32, seed: 1)
    private let validation = ModelFixtures.syntheticDataset(count: 24, seed: 2)
    private let cells = [ModelFixtures.cell(ModelFixtures.allConv), ModelFixtures.cell(ModelFixtures.poolSkip)]

    private func oracle(_ cache: (any TrainingLabelCache)? = nil) throws -> TrainingOracle {
        try TrainingOracle(proxy: proxy, validation: validation, options: ModelFixtures.tinyOptions, recipe: recipe, seed: 3,
                           cache: cache)
    }

    func testConformsToTheOracleContract() throws {
        try assertOracleConformance({ try oracle() }, cells: cells)
    }

    func testAnswersTheValidationAccuracyOfAProxyTrainingAndNeverATestAccuracy() throws {
        var oracle = try oracle()
        let answer = try oracle.validationAccuracy(of: cells[0])
        // The same training done by hand: the proxy trains, the validation split is what it is scored on.
        let run = try trainArchitecture(cell: cells[0], options: ModelFixtures.tinyOptions, data: (train: proxy, test: validation),
                                        recipe: recipe, seed: 3, withEntropy: false, context: .serial)
        XCTAssertEqual(answer, 100 * run.testAccuracy)
        XCTAssertNil(oracle.reportedTestAccuracy(of: cells[0]))
    }

    func testACachedLabelIsReturnedWithoutTrainingAndAFreshOneIsStored() throws {
        let cache = MemoryLabelCache()
        var first = try oracle(cache)
        let trained = try first.validationAccuracy(of: cells[0])
        XCTAssertEqual(cache.stores, 1)
        let stored = try XCTUnwrap(cache.labels[cells[0].cellString])
        XCTAssertEqual(stored.validationAccuracy, trained)
        XCTAssertGreaterThan(stored.cpuSeconds, 0)
        // A planted label proves the second oracle reads the cache instead of training.
        cache.labels[cells[1].cellString] = TrainingLabel(cell: cells[1].cellString, validationAccuracy: 42.5, cpuSeconds: 1, wallSeconds: 1)
        var second = try oracle(cache)
        XCTAssertEqual(try second.validationAccuracy(of: cells[1]), 42.5)
        XCTAssertEqual(try second.validationAccuracy(of: cells[0]), trained)
        XCTAssertEqual(second.queryCount, 2, "cache hits are queries too")
        XCTAssertEqual(cache.stores, 1)
    }

    func testRejectsEmptyOrMismatchedData() throws {
        let empty = proxy.selecting([])
        XCTAssertThrowsError(try TrainingOracle(proxy: empty, validation: validation, options: ModelFixtures.tinyOptions,
                                                recipe: recipe, seed: 0))
        let small = ModelFixtures.syntheticDataset(count: 8, side: 4, seed: 5)
        XCTAssertThrowsError(try TrainingOracle(proxy: proxy, validation: small, options: ModelFixtures.tinyOptions,
                                                recipe: recipe, seed: 0))
    }
}

/// `prepare(_:)` trains a batch in parallel with the same answers as one-by-one training.
final class TrainingOraclePrepareTests: XCTestCase {
    func testPreparedBatchAnswersLikeSerialTrainingAndCountsQueriesOnlyWhenAsked() throws {
        let recipe = TrainingRecipe(epochs: 1, batchSize: 16, learningRate: 0.05, evaluateEveryEpoch: false)
        let proxy = ModelFixtures.syntheticDataset(count: 32, seed: 1), validation = ModelFixtures.syntheticDataset(count: 24, seed: 2)
        let cells = [ModelFixtures.allConv, ModelFixtures.poolSkip, ModelFixtures.mixed].map(ModelFixtures.cell)
        func make(_ parallel: Int, _ cache: (any TrainingLabelCache)?) throws -> TrainingOracle {
            try TrainingOracle(proxy: proxy, validation: validation, options: ModelFixtures.tinyOptions, recipe: recipe, seed: 3,
                               parallel: parallel, cache: cache)
        }
        var serial = try make(1, nil)
        let expected = try cells.map { try serial.validationAccuracy(of: $0) }
        let cache = MemoryLabelCache()
        var batched = try make(2, cache)
        try batched.prepare(cells + [cells[0]])
        XCTAssertEqual(batched.queryCount, 0, "preparing is not querying")
        XCTAssertEqual(cache.stores, 3, "each distinct cell trained once")
        XCTAssertEqual(try cells.map { try batched.validationAccuracy(of: $0) }, expected)
        XCTAssertEqual(batched.queryCount, 3)
        XCTAssertEqual(cache.stores, 3)
    }
}
