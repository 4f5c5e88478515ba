import Numerics
import XCTest
@testable import NAS

final class DenseSolverTests: XCTestCase {
    /// Random SPD systems AᵀA + I: Cholesky agrees with Gaussian elimination to 1e-9.
    func testCholeskyMatchesGaussianReference() throws {
        var rng = SplitMix64(seed: 7)
        for n in [1, 2, 5, 17, 40] {
            let m = (0..<(n * n)).map { _ in Double(rng.next() % 2001) / 1000 - 1 }
            var a = [Double](repeating: 0, count: n * n)
            for i in 0..<n { for j in 0..<n { for k in 0..<n { a[i * n + j] += m[k * n + i] * m[k * n + j] } } }
            for i in 0..<n { a[i * n + i] += 1 }
            let b = (0..<n).map { _ in Double(rng.next() % 1001) / 100 }
            let x = try XCTUnwrap(choleskySolve(a, n: n, b))
            let reference = try XCTUnwrap(gaussianSolveReference(a, n: n, b))
            for i in 0..<n { XCTAssertEqual(x[i], reference[i], accuracy: 1e-9) }
            // and the residual is small
            for i in 0..<n {
                let ax = (0..<n).reduce(0.0) { $0 + a[i * n + $1] * x[$1] }
                XCTAssertEqual(ax, b[i], accuracy: 1e-9)
            }
        }
    }

    func testCholeskyRejectsIndefiniteMatrices() {
        XCTAssertNil(choleskySolve([1, 2, 2, 1], n: 2, [1, 1]))
        XCTAssertNil(choleskySolve([0, 0, 0, 0], n: 2, [1, 1]))
    }

    func testGramMatricesMatchNaiveProducts() throws {
        let x = try FeatureMatrix([[1, 0, 2], [0, 3, -1], [4, 1, 0], [2, 2, 2]])
        let columns = gramOfColumns(x), rows = gramOfRows(x)
        for i in 0..<3 {
            for j in 0..<3 {
                XCTAssertEqual(columns[i * 3 + j], (0..<4).reduce(0.0) { $0 + x[$1, i] * x[$1, j] })
            }
        }
        for i in 0..<4 {
            for j in 0..<4 {
                XCTAssertEqual(rows[i * 4 + j], (0..<3).reduce(0.0) { $0 + x[i, $1] * x[j, $1] })
            }
        }
    }
}
