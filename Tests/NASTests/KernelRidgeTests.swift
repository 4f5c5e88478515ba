import Numerics
import XCTest
@testable import NAS

final class KernelRidgeTests: XCTestCase {
    func testConformance() throws {
        try assertRankPredictorConformance { KernelRidge() }
    }

    /// A label that is not monotone in any feature (|x₀| + |x₁|): linear ridge
    /// cannot rank it, the RBF kernel can.
    func testRanksANonLinearTargetBetterThanLinearRidge() throws {
        var rng = SplitMix64(seed: 4)
        func sample(_ n: Int) throws -> (FeatureMatrix, [Double]) {
            let rows = (0..<n).map { _ in (0..<3).map { _ in Double(rng.next() % 2001) / 1000 - 1 } }
            return (try FeatureMatrix(rows), rows.map { abs($0[0]) + abs($0[1]) })
        }
        let (x, y) = try sample(150), (tx, ty) = try sample(300)
        let kernel = try XCTUnwrap(kendallTau(KernelRidge().fitted(x, y).predict(features: tx), ty))
        let linear = try XCTUnwrap(kendallTau(RidgeRegression().fitted(x, y).predict(features: tx), ty))
        XCTAssertGreaterThan(kernel, 0.7)
        XCTAssertLessThan(linear, 0.3)
    }

    func testRBFKernelValues() throws {
        let a = try FeatureMatrix([[0, 0], [1, 2]]), b = try FeatureMatrix([[1, 0]])
        let k = rbfKernel(a, b, gamma: 0.5)
        XCTAssertEqual(k[0], exp(-0.5), accuracy: 1e-15)
        XCTAssertEqual(k[1], exp(-2), accuracy: 1e-15)
    }
}

final class KernelRidgeCVLimitTests: XCTestCase {
    func sample(_ n: Int, seed: UInt64) throws -> (FeatureMatrix, [Double]) {
        var rng = SplitMix64(seed: seed)
        let rows = (0..<n).map { _ in (0..<3).map { _ in Double(rng.next() % 2001) / 1000 - 1 } }
        return (try FeatureMatrix(rows), rows.map { abs($0[0]) + $0[1] * $0[1] - 0.3 * $0[2] })
    }

    /// A limit at or above the row count is the plain cross validation (same choice, same
    /// scores); a lower one still solves on every row, with (α, γ) taken from the grid.
    func testCVRowLimit() throws {
        let (x, y) = try sample(90, seed: 11), (tx, _) = try sample(50, seed: 12)
        let plain = try KernelRidge().fitted(x, y, seed: 5)
        let limitAbove = try KernelRidge(cvRowLimit: 90).fitted(x, y, seed: 5)
        XCTAssertEqual(try plain.predict(features: tx), try limitAbove.predict(features: tx))
        let limited = try KernelRidge(cvRowLimit: 40).fitted(x, y, seed: 5)
        let model = try XCTUnwrap(limited.model)
        XCTAssertEqual(model.support.rows, 90)
        XCTAssertTrue([1e-3, 1e-2, 1e-1, 1].contains(model.alpha))
        XCTAssertTrue([0.25, 0.5, 1, 2, 4].map { $0 / 3 }.contains(model.gamma))
        XCTAssertEqual(try limited.predict(features: tx), try KernelRidge(cvRowLimit: 40).fitted(x, y, seed: 5).predict(features: tx))
        XCTAssertThrowsError(try KernelRidge(cvRowLimit: 9).fitted(x, y, seed: 5))
    }

    /// Distances shared across the grid give the same kernel as `rbfKernel`.
    func testSquaredDistancesMatchRBFKernel() throws {
        let (a, _) = try sample(7, seed: 1), (b, _) = try sample(5, seed: 2)
        let d = squaredDistances(a, b), k = rbfKernel(a, b, gamma: 0.7)
        for i in d.indices { XCTAssertEqual(exp(-0.7 * d[i]), k[i]) }
    }
}
