import Numerics
import XCTest
@testable import NAS

final class RankLabelPredictorTests: XCTestCase {
    func testConformance() throws {
        try assertRankPredictorConformance { RankLabelPredictor(RidgeRegression()) }
    }

    /// The wrapper is its base fitted on `LabelTransform.rank` of the labels, and an outlier
    /// label no longer dominates the fit.
    func testFitsBaseOnRanks() throws {
        var rng = SplitMix64(seed: 21)
        let rows = (0..<60).map { _ in (0..<2).map { _ in Double(rng.next() % 1001) / 1000 } }
        let x = try FeatureMatrix(rows)
        var y = rows.map { $0[0] + 0.1 * $0[1] }
        y[7] = -50  // one failed cell
        let wrapped = try RankLabelPredictor(RidgeRegression(penalty: .fixed(0.01))).fitted(x, y, seed: 1)
        let direct = try RidgeRegression(penalty: .fixed(0.01)).fitted(x, LabelTransform.rank.apply(y), seed: 1)
        XCTAssertEqual(try wrapped.predict(features: x), try direct.predict(features: x))
        XCTAssertEqual(wrapped.name, "ridge@rank")
        let onValues = try RidgeRegression(penalty: .fixed(0.01)).fitted(x, y, seed: 1)
        let others = Array(0..<60).filter { $0 != 7 }
        let (a, b) = (try wrapped.predict(features: x), try onValues.predict(features: x))
        let tauRanks = try XCTUnwrap(kendallTau(others.map { a[$0] }, others.map { y[$0] }))
        let tauValues = try XCTUnwrap(kendallTau(others.map { b[$0] }, others.map { y[$0] }))
        XCTAssertGreaterThan(tauRanks, tauValues)
    }
}
