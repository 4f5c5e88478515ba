import XCTest
@testable import NAS

final class ReNASPredictorTests: XCTestCase {
    /// Small and short so the debug suite stays fast: 6 channels of 1×1.
    static let quick = ReNASPredictor.Options(epochs: 40, batchSize: 32, learningRate: 3e-3, threads: 2)

    func testConformancePairwise() throws {
        try assertRankPredictorConformance { ReNASPredictor(channels: 6, side: 1, loss: .pairwise, options: Self.quick) }
    }

    func testConformanceMSE() throws {
        try assertRankPredictorConformance(minimumTau: 0.7) {
            ReNASPredictor(channels: 6, side: 1, loss: .mse, options: Self.quick)
        }
    }

    func testChannelMajorFeaturesBecomeNHWC() throws {
        let p = ReNASPredictor(channels: 2, side: 2)
        // channel 0 = 1…4, channel 1 = 10…40
        let x = try FeatureMatrix([[1, 2, 3, 4, 10, 20, 30, 40]])
        let t = p.nhwc(x, rows: [0])
        XCTAssertEqual(t.shape, [1, 2, 2, 2])
        XCTAssertEqual(t.storage, [1, 10, 2, 20, 3, 30, 4, 40])
    }

    /// Thread count changes no bit (Numerics' guarantee, relied on here), and
    /// the seed does change the fit.
    func testThreadCountAndSeed() throws {
        let table = try TestData.nb201Table.get()
        let records = Array(table.records.prefix(64))
        let x = NB201ReNASEncoding().encode(records.map(\.cell)), y = records.map(\.testAccuracy)
        var options = ReNASPredictor.Options(epochs: 3, batchSize: 32, threads: 1)
        let one = try ReNASPredictor.nb201(options: options).fitted(x, y, seed: 5).predict(features: x)
        options.threads = 2
        let two = try ReNASPredictor.nb201(options: options).fitted(x, y, seed: 5).predict(features: x)
        XCTAssertEqual(one, two)
        let other = try ReNASPredictor.nb201(options: options).fitted(x, y, seed: 6).predict(features: x)
        XCTAssertNotEqual(one, other)
    }

    /// On a small NB201 sample the trained network ranks held-out cells
    /// better than chance with both losses, and the pairwise loss clearly so
    /// (measured: τ 0.25 for MSE, > 0.4 pairwise; min-max scaling squeezes
    /// most labels near 1 because of the 10 % degenerate cells).
    func testLearnsNB201Ranking() throws {
        let table = try TestData.nb201Table.get()
        let split = try TrainTestSplit(count: table.records.count, trainSize: 200, seed: 1)
        let train = split.train.map { table.records[$0] }, test = split.test.prefix(1000).map { table.records[$0] }
        let encoding = NB201ReNASEncoding()
        let options = ReNASPredictor.Options(epochs: 30, batchSize: 50, threads: 2)
        for (loss, minimum) in [(ReNASPredictor.Loss.pairwise, 0.4), (.mse, 0.15)] {
            let m = try evaluatePredictor(
                ReNASPredictor.nb201(loss: loss, options: options), encoding: encoding,
                trainCells: train.map(\.cell), trainLabels: train.map(\.testAccuracy),
                testCells: test.map(\.cell), testLabels: test.map(\.testAccuracy), seed: 0)
            XCTAssertGreaterThan(try XCTUnwrap(m.kendallTau), minimum, "\(loss)")
        }
    }

    func testRejectsBadShapesAndOptions() throws {
        let x = try FeatureMatrix([[1, 2, 3], [4, 5, 6]])
        XCTAssertThrowsError(try ReNASPredictor(channels: 2, side: 1).fitted(x, [1, 2]))
        let bad = ReNASPredictor(channels: 3, side: 1, options: .init(epochs: 0))
        XCTAssertThrowsError(try bad.fitted(x, [1, 2]))
        XCTAssertEqual(ReNASPredictor.nb101().name, "renas-pairwise")
        XCTAssertEqual(ReNASPredictor.nb101(loss: .mse).name, "renas-mse")
        XCTAssertEqual(ReNASPredictor.nb101().channels * 49, NB101ReNASEncoding().featureCount)
    }
}
