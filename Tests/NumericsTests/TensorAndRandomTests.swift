import XCTest
@testable import Numerics

final class TensorAndRandomTests: XCTestCase {
    /// SplitMix64 from seed 0 must produce the published reference sequence.
    func testSplitMix64MatchesReferenceSequence() {
        var g = SplitMix64(seed: 0)
        XCTAssertEqual(g.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(g.next(), 0x6E78_9E6A_A1B9_65F4)
        XCTAssertEqual(g.next(), 0x06C4_5D18_8009_454F)
    }

    func testSameSeedGivesIdenticalTensors() {
        let a = TestSupport.random([3, 5], seed: 42), b = TestSupport.random([3, 5], seed: 42)
        XCTAssertEqual(a.storage.map(\.bitPattern), b.storage.map(\.bitPattern))
        XCTAssertNotEqual(a, TestSupport.random([3, 5], seed: 43))
    }

    func testUniformAndGaussianMoments() {
        var g = SplitMix64(seed: 7)
        let n = 20_000
        let u = Tensor.randomUniform(shape: [n], generator: &g).storage
        XCTAssertTrue(u.allSatisfy { $0 >= 0 && $0 < 1 })
        XCTAssertEqual(Double(u.reduce(0, +)) / Double(n), 0.5, accuracy: 0.01)
        let z = Tensor.randomNormal(shape: [n], generator: &g).storage.map(Double.init)
        let mean = z.reduce(0, +) / Double(n)
        let variance = z.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
        XCTAssertEqual(mean, 0, accuracy: 0.03)
        XCTAssertEqual(variance, 1, accuracy: 0.04)
    }

    func testReshapeKeepsStorageAndCopyOnWrite() {
        let a = Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        var b = a.reshaped([3, 2])
        XCTAssertEqual(b.shape, [3, 2])
        b.storage[0] = 9
        XCTAssertEqual(a.storage[0], 1, "mutating a copy must not change the original")
    }

    func testMatmulMatchesHandProduct() {
        let a = Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], storage: [7, 8, 9, 10, 11, 12])
        XCTAssertEqual(matmul(a, b, blasThreads: 2).storage, [58, 64, 139, 154])
        XCTAssertEqual(BLASThreads.current, 1, "matmul restores single-threaded OpenBLAS")
    }

    func testKaimingNormalStandardDeviation() {
        var g = SplitMix64(seed: 3)
        let w = kaimingNormal(shape: [3, 3, 32, 64], fanIn: 288, generator: &g).storage.map(Double.init)
        let std = (w.map { $0 * $0 }.reduce(0, +) / Double(w.count)).squareRoot()
        XCTAssertEqual(std, (2.0 / 288).squareRoot(), accuracy: 0.003)
    }
}
