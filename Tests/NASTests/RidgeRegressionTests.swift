import Numerics
import XCTest
@testable import NAS

final class RidgeRegressionTests: XCTestCase {
    func testConformance() throws {
        try assertRankPredictorConformance { RidgeRegression() }
        try assertRankPredictorConformance { RidgeRegression(penalty: .fixed(0.01)) }
    }

    /// With a tiny α an exactly linear target is recovered.
    func testRecoversLinearFunction() throws {
        let rows: [[Double]] = (0..<30).map { (i: Int) -> [Double] in [Double(i % 7), Double((i * 5) % 11), Double(i)] }
        let y: [Double] = rows.map { (r: [Double]) -> Double in 3 * r[0] - 2 * r[1] + 0.5 * r[2] + 4 }
        var ridge = RidgeRegression(penalty: .fixed(1e-10))
        try ridge.fit(features: FeatureMatrix(rows), labels: y, seed: 0)
        let predicted = try ridge.predict(features: FeatureMatrix([[2, 3, 100], [0, 0, 0]]))
        XCTAssertEqual(predicted[0], 6 - 6 + 50 + 4, accuracy: 1e-6)
        XCTAssertEqual(predicted[1], 4, accuracy: 1e-6)
    }

    /// More features than rows takes the dual path; it must equal the primal
    /// solution (XᵀX + nαI)⁻¹Xᵀy computed with the Gaussian reference.
    func testDualFormEqualsPrimal() throws {
        var rng = SplitMix64(seed: 5)
        let n = 8, d = 20, alpha = 0.3
        let rows = (0..<n).map { _ in (0..<d).map { _ in Double(rng.next() % 1000) / 100 } }
        let y = (0..<n).map { _ in Double(rng.next() % 1000) / 1000 }
        let x = try FeatureMatrix(rows)
        var ridge = RidgeRegression(penalty: .fixed(alpha))
        try ridge.fit(features: x, labels: y, seed: 0)
        let model = try XCTUnwrap(ridge.model)
        let z = try model.standardizer.transform(x)
        var a = gramOfColumns(z)
        for i in 0..<d { a[i * d + i] += Double(n) * alpha }
        let mean = y.reduce(0, +) / Double(n)
        let b = (0..<d).map { j in (0..<n).reduce(0.0) { $0 + z[$1, j] * (y[$1] - mean) } }
        let primal = try XCTUnwrap(gaussianSolveReference(a, n: d, b))
        for j in 0..<d { XCTAssertEqual(model.weights[j], primal[j], accuracy: 1e-9) }
    }

    func testCrossValidationPicksFromTheGridAndDependsOnlyOnSeed() throws {
        var rng = SplitMix64(seed: 11)
        let rows = (0..<60).map { _ in (0..<4).map { _ in Double(rng.next() % 1000) / 1000 } }
        let y = rows.map { $0[0] + 0.1 * $0[1] }
        let grid = [1e-3, 1.0, 1000.0]
        var a = RidgeRegression(penalty: .crossValidated(grid: grid, folds: 5))
        try a.fit(features: FeatureMatrix(rows), labels: y, seed: 1)
        let alpha = try XCTUnwrap(a.model?.alpha)
        XCTAssertTrue(grid.contains(alpha))
        XCTAssertLessThan(alpha, 1000)  // a huge penalty flattens the signal the folds reward
        XCTAssertThrowsError(try RidgeRegression(penalty: .crossValidated(grid: [], folds: 5))
            .fitted(FeatureMatrix(rows), y))
        XCTAssertThrowsError(try RidgeRegression(penalty: .crossValidated(grid: [1], folds: 1))
            .fitted(FeatureMatrix(rows), y))
        XCTAssertThrowsError(try RidgeRegression(penalty: .fixed(-1)).fitted(FeatureMatrix(rows), y))
    }
}

extension RankPredictor {
    /// A fitted copy (test convenience).
    func fitted(_ x: FeatureMatrix, _ y: [Double], seed: UInt64 = 0) throws -> Self {
        var copy = self
        try copy.fit(features: x, labels: y, seed: seed)
        return copy
    }
}
