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
