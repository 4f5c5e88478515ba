import Foundation
import XCTest
@testable import NAS
import Numerics

final class TrainerTests: XCTestCase {
    static let recipe = TrainingRecipe(epochs: 4, batchSize: 16, learningRate: 0.05, evaluationBatchSize: 32)

    func run(threads: Int, seed: UInt64 = 7) throws -> TrainingRecord {
        let model = try NB201Model(cell: ModelFixtures.cell(ModelFixtures.mixed), options: ModelFixtures.tinyOptions, seed: 1)
        let data = (ModelFixtures.syntheticDataset(count: 64, seed: 1), ModelFixtures.syntheticDataset(count: 24, seed: 2))
        return try train(model: model, data: data, recipe: Self.recipe, seed: seed, context: ComputeContext(threads: threads))
    }

    /// Everything except wall times.
    func deterministicPart(_ r: TrainingRecord) -> [String] {
        [r.exampleLosses.description, r.exampleCorrect.description, r.testCorrect.description, r.testMargins.description,
         r.epochs.map { "\($0.trainLoss) \($0.trainAccuracy) \(String(describing: $0.testAccuracy)) \($0.learningRate)" }.description]
    }

    func testTinyRunReducesLossAndRecordsEverything() throws {
        let r = try run(threads: 2)
        XCTAssertEqual(r.epochs.count, 4)
        XCTAssertLessThan(r.epochs[3].trainLoss, r.epochs[0].trainLoss)
        XCTAssertEqual(r.exampleLosses.map(\.count), [64, 64, 64, 64])
        XCTAssertEqual(r.exampleCorrect.map(\.count), [64, 64, 64, 64])
        XCTAssertEqual(r.testCorrect.count, 24)
        XCTAssertEqual(r.testMargins.count, 24)
        XCTAssertEqual(r.testAccuracy, r.epochs[3].testAccuracy)
        XCTAssertEqual(r.epochs[0].trainLoss, r.exampleLosses[0].reduce(0.0) { $0 + Double($1) } / 64, accuracy: 1e-9)
        for (correct, margin) in zip(r.testCorrect, r.testMargins) where margin != 0 { XCTAssertEqual(correct, margin > 0) }
        let decoded = try JSONDecoder().decode(TrainingRecord.self, from: JSONEncoder().encode(r))
        XCTAssertEqual(decoded, r)
    }

    func testSameSeedSameBitsForAnyThreadCount() throws {
        let a = try run(threads: 1), b = try run(threads: 2), c = try run(threads: 2, seed: 8)
        XCTAssertEqual(deterministicPart(a), deterministicPart(b))
        XCTAssertEqual(a.exampleLosses[3].map(\.bitPattern), b.exampleLosses[3].map(\.bitPattern))
        XCTAssertNotEqual(deterministicPart(a), deterministicPart(c))
    }

    /// With learning rate 0 and batch size 1 every recorded loss must equal the loss of that very
    /// example run alone through the (unchanged) model, whatever position the shuffle put it in.
    func testPerExampleStatisticsAreIndexAligned() throws {
        let cell = ModelFixtures.cell(ModelFixtures.everyOp)
        let model = try NB201Model(cell: cell, options: ModelFixtures.tinyOptions, seed: 3)
        let reference = try NB201Model(cell: cell, options: ModelFixtures.tinyOptions, seed: 3)
        let trainSet = ModelFixtures.syntheticDataset(count: 12, seed: 5)
        let recipe = TrainingRecipe(epochs: 2, batchSize: 1, learningRate: 0, weightDecay: 0)
        var order: [[Int]] = []
        let r = try train(model: model, data: (trainSet, trainSet), recipe: recipe, seed: 4, context: .serial) { progress in
            if progress.batch == 0 { order.append([]) }
            order[progress.epoch].append(progress.batch)
        }
        XCTAssertEqual(order, [Array(0..<12), Array(0..<12)])
        var distinct = Set<Float>()
        for i in 0..<trainSet.count {
            let one = trainSet.selecting([i])
            let logits = reference.forward(one.images, training: true, context: .serial)
            let expected = softmaxCrossEntropy(logits: logits, labels: one.labels).losses[0]
            XCTAssertEqual(r.exampleLosses[0][i], expected, accuracy: 1e-5, "example \(i)")
            XCTAssertEqual(r.exampleLosses[1][i], expected, accuracy: 1e-5, "example \(i)")
            XCTAssertEqual(r.exampleCorrect[0][i], classificationOutcome(logits: logits, labels: one.labels).correct[0])
            distinct.insert(expected)
        }
        XCTAssertGreaterThan(distinct.count, 6)  // losses differ, so a misalignment would show
    }

    func testInvalidRecipeAndMismatchedDataThrow() throws {
        let model = try NB201Model(cell: ModelFixtures.cell(ModelFixtures.mixed), options: ModelFixtures.tinyOptions, seed: 1)
        let data = ModelFixtures.syntheticDataset(count: 8, seed: 1)
        XCTAssertThrowsError(try train(model: model, data: (data, data), recipe: TrainingRecipe(epochs: 0), seed: 0, context: .serial))
        let other = ModelFixtures.syntheticDataset(count: 8, side: 4, seed: 1)
        XCTAssertThrowsError(try train(model: model, data: (data, other), recipe: TrainingRecipe(epochs: 1), seed: 0, context: .serial))
    }
}
