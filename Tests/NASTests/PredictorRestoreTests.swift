import Numerics
import XCTest
@testable import NAS

/// Restoring fitted predictors from their saved numbers: a restored model
/// scores bit-identically to the fitted one, and inconsistent numbers throw.
final class PredictorRestoreTests: XCTestCase {
    /// 96 NB201 cells: 64 to fit, 32 to score.
    static func sample() throws -> (train: FeatureMatrix, trainY: [Double], test: FeatureMatrix, cells: [NB201Cell]) {
        let records = Array(try TestData.nb201Table.get().records.prefix(96))
        let encoding = NB201ReNASEncoding()
        let cells = records.map(\.cell)
        return (encoding.encode(Array(cells.prefix(64))), records.prefix(64).map(\.testAccuracy),
                encoding.encode(Array(cells.suffix(32))), cells)
    }

    func testReNASRestoredScoresIdentically() throws {
        let (x, y, test, _) = try Self.sample()
        let options = ReNASPredictor.Options(epochs: 3, batchSize: 32, threads: 2)
        for loss in [ReNASPredictor.Loss.pairwise, .mse] {
            var fitted = ReNASPredictor.nb201(loss: loss, options: options)
            try fitted.fit(features: x, labels: y, seed: 4)
            let model = try XCTUnwrap(fitted.model)
            // Rebuild every number from plain arrays, as a file reader would.
            let standardizer = try Standardizer(means: model.standardizer.means, scales: model.standardizer.scales)
            let weights = ReNASWeights(
                parameters: model.weights.parameters.map { Tensor(shape: $0.shape, storage: $0.storage) },
                runningStatistics: model.weights.runningStatistics.map { Tensor(shape: $0.shape, storage: $0.storage) })
            let restored = try ReNASPredictor(channels: fitted.channels, side: fitted.side, loss: loss,
                                              restoring: .init(standardizer: standardizer, weights: weights))
            XCTAssertEqual(try restored.predict(features: test), try fitted.predict(features: test), "\(loss)")
            XCTAssertEqual(restored.model, fitted.model)
        }
    }

    /// The folded-batch-norm inference path agrees with the layer path in evaluation mode.
    func testInferenceMatchesLayerForward() throws {
        let (x, y, test, _) = try Self.sample()
        var fitted = ReNASPredictor.nb201(options: .init(epochs: 3, batchSize: 32, threads: 1))
        try fitted.fit(features: x, labels: y, seed: 1)
        let model = try XCTUnwrap(fitted.model)
        var generator = SplitMix64(seed: 0)
        let network = ReNASNetwork(channels: fitted.channels, side: fitted.side, generator: &generator)
        network.load(model.weights)
        let rows = Array(0..<test.rows)
        let layers = network.forward(fitted.nhwc(try model.standardizer.transform(test), rows: rows),
                                     training: false, context: .serial)
        let fast = try fitted.predict(features: test)
        for (a, b) in zip(fast, layers.storage) { XCTAssertEqual(a, Double(b), accuracy: 1e-4 * max(1, abs(Double(b)))) }
    }

    func testReNASRestoreRejectsWrongShapes() throws {
        let (x, y, _, _) = try Self.sample()
        var fitted = ReNASPredictor.nb201(options: .init(epochs: 1, batchSize: 32, threads: 1))
        try fitted.fit(features: x, labels: y, seed: 0)
        let model = try XCTUnwrap(fitted.model)
        // NB101 geometry for NB201 weights.
        XCTAssertThrowsError(try ReNASPredictor(channels: 19, side: 7, loss: .pairwise, restoring: model))
        var parameters = model.weights.parameters
        parameters[6] = Tensor(zeros: [120, 3])
        let bad = ReNASWeights(parameters: parameters, runningStatistics: model.weights.runningStatistics)
        XCTAssertThrowsError(try ReNASPredictor(channels: fitted.channels, side: fitted.side, loss: .pairwise,
                                                restoring: .init(standardizer: model.standardizer, weights: bad)))
        XCTAssertThrowsError(try Standardizer(means: [0, 1], scales: [1]))
        XCTAssertThrowsError(try Standardizer(means: [0], scales: [0]))
    }

    func testRidgeAndKernelRidgeRestoredScoreIdentically() throws {
        let records = Array(try TestData.nb201Table.get().records.prefix(120))
        let encoding = NB201FlatEncoding()
        let x = encoding.encode(records.prefix(80).map(\.cell)), y = records.prefix(80).map(\.testAccuracy)
        let test = encoding.encode(records.suffix(40).map(\.cell))

        var ridge = RidgeRegression()
        try ridge.fit(features: x, labels: y, seed: 2)
        let r = try XCTUnwrap(ridge.model)
        let restoredRidge = try RidgeRegression(restoring: r.standardizer, weights: r.weights, intercept: r.intercept, alpha: r.alpha)
        XCTAssertEqual(try restoredRidge.predict(features: test), try ridge.predict(features: test))
        XCTAssertThrowsError(try RidgeRegression(restoring: r.standardizer, weights: [1], intercept: 0, alpha: 1))

        var kernel = KernelRidge()
        try kernel.fit(features: x, labels: y, seed: 2)
        let k = try XCTUnwrap(kernel.model)
        let restoredKernel = try KernelRidge(restoring: k.standardizer, trainingFeatures: x, coefficients: k.coefficients,
                                             intercept: k.intercept, alpha: k.alpha, gamma: k.gamma)
        XCTAssertEqual(try restoredKernel.predict(features: test), try kernel.predict(features: test))
        XCTAssertThrowsError(try KernelRidge(restoring: k.standardizer, trainingFeatures: test, coefficients: k.coefficients,
                                             intercept: k.intercept, alpha: k.alpha, gamma: k.gamma))
    }
}
