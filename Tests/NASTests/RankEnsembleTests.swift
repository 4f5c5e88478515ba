import Numerics
import XCTest
@testable import NAS

final class RankEnsembleTests: XCTestCase {
    func testConformance() throws {
        try assertRankPredictorConformance {
            RankEnsemble([.init(RidgeRegression(), columns: 0..<6), .init(KernelRidge(), columns: 0..<3)])
        }
    }

    /// With members reading disjoint halves, the ensemble equals the mean of
    /// the separately fitted members' standardised scores.
    func testAveragesStandardisedMemberScores() throws {
        var rng = SplitMix64(seed: 8)
        let rows = (0..<40).map { _ in (0..<4).map { _ in Double(rng.next() % 1000) / 100 } }
        let x = try FeatureMatrix(rows), y = rows.map { $0[0] - $0[3] }
        let ensemble = try RankEnsemble([.init(RidgeRegression(penalty: .fixed(0.1)), columns: 0..<2),
                                         .init(RidgeRegression(penalty: .fixed(0.1)), columns: 2..<4)]).fitted(x, y, seed: 3)
        let left = try FeatureMatrix(rows.map { Array($0[0..<2]) }), right = try FeatureMatrix(rows.map { Array($0[2..<4]) })
        func z(_ s: [Double]) -> [Double] {
            let m = s.reduce(0, +) / Double(s.count)
            let sd = (s.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(s.count)).squareRoot()
            return s.map { ($0 - m) / sd }
        }
        let a = z(try RidgeRegression(penalty: .fixed(0.1)).fitted(left, y).predict(features: left))
        let b = z(try RidgeRegression(penalty: .fixed(0.1)).fitted(right, y).predict(features: right))
        let scores = try ensemble.predict(features: x)
        for i in 0..<40 { XCTAssertEqual(scores[i], (a[i] + b[i]) / 2, accuracy: 1e-9) }
        XCTAssertEqual(ensemble.name, "ensemble(ridge+ridge)")
        XCTAssertThrowsError(try RankEnsemble([.init(RidgeRegression(), columns: 0..<9)]).fitted(x, y))
        XCTAssertThrowsError(try RankEnsemble([]).fitted(x, y))
    }

    /// `statistics`: CNNs on the tensor columns, then the two rank-label closed-form members on
    /// flat + statistics and flat + statistics + path (contiguous in the documented layout).
    func testStatisticsLayout() throws {
        let ensemble = RankEnsemble.statistics(cnn: ReNASPredictor.nb101(), cnnCount: 2, tensorWidth: 931, flatWidth: 36,
                                               statisticsWidth: 11, pathWidth: 364)
        XCTAssertEqual(ensemble.members.map(\.columns), [0..<931, 0..<931, 931..<978, 931..<1342])
        XCTAssertEqual(ensemble.name, "ensemble(renas-pairwise+renas-pairwise+kernel-ridge@rank+ridge@rank)")
    }
}
