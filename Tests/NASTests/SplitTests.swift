import Numerics
import XCTest
@testable import NAS

final class SplitTests: XCTestCase {
    /// Reference outputs of SplitMix64 for seed 0 (Vigna's splitmix64.c).
    func testSplitMix64PinnedOutputs() {
        var rng = SplitMix64(seed: 0)
        XCTAssertEqual(rng.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(rng.next(), 0x6E78_9E6A_A1B9_65F4)
        XCTAssertEqual(rng.next(), 0x06C4_5D18_8009_454F)
    }

    func testUniformStaysInRangeAndCoversIt() {
        var rng = SplitMix64(seed: 3)
        var seen = Set<UInt64>()
        for _ in 0..<1000 {
            let v = rng.uniform(below: 7)
            XCTAssertLessThan(v, 7)
            seen.insert(v)
        }
        XCTAssertEqual(seen.count, 7)
    }

    func testSplitIsSeededDisjointAndComplete() throws {
        let a = try TrainTestSplit(count: 100, trainSize: 30, seed: 42)
        XCTAssertEqual(a, try TrainTestSplit(count: 100, trainSize: 30, seed: 42))
        XCTAssertNotEqual(a, try TrainTestSplit(count: 100, trainSize: 30, seed: 43))
        XCTAssertEqual(a.train.count, 30)
        XCTAssertEqual(a.test.count, 70)
        XCTAssertEqual((a.train + a.test).sorted(), Array(0..<100))
        XCTAssertEqual(a.train, a.train.sorted())
        let items = (0..<100).map { "r\($0)" }
        XCTAssertEqual(try a.apply(to: items).train, a.train.map { "r\($0)" })
        XCTAssertEqual(try a.apply(to: items).test, a.test.map { "r\($0)" })
        XCTAssertThrowsError(try a.apply(to: ["x"])) {
            XCTAssertEqual("\($0)", "invalid argument 'items': 1 items for a split of 100 rows")
        }
        XCTAssertThrowsError(try TrainTestSplit(count: 10, trainSize: 11, seed: 0)) {
            XCTAssertEqual("\($0)", "invalid argument 'trainSize': 11 is outside 0...10")
        }
    }
}
