import Numerics
import XCTest
@testable import NAS

/// The session-4 ranking-importance variants: per-epoch correlation,
/// rank-distance-weighted agreement (slope), and the two sampling selections.
final class ProxyRankingVariantsTests: XCTestCase {
    func testEpochRankingImportanceAveragesPerEpochCorrelations() throws {
        let scores = try ExampleScores.epochRankingImportance(ProxyScoringTests.population())
        XCTAssertEqual(scores[0], 0, accuracy: 1e-12)
        // Example 1 separates the two best from the two worst at every epoch.
        XCTAssertEqual(scores[1], 2 / 5.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(scores[2], -2 / 5.0.squareRoot(), accuracy: 1e-12)
        // Example 3 per epoch: 0001, 0011, 0111, 1111 against ranks 1…4:
        // √(3/5), 2/√5, √(3/5), 0 (constant) — less than its plain RI of 1,
        // because no single epoch reproduces the whole ranking.
        let expected = (2 * (3.0 / 5).squareRoot() + 2 / 5.0.squareRoot()) / 4
        XCTAssertEqual(scores[3], expected, accuracy: 1e-12)
    }

    func testRankingSlopeIsTheRankDistanceWeightedPairwiseAgreement() throws {
        let scores = try ExampleScores.rankingSlope(ProxyScoringTests.population())
        // Learning scores 0.25…1 over ranks 1…4: slope 0.25; 0,0,1,1: 2/5.
        XCTAssertEqual(scores[0], 0, accuracy: 1e-12)
        XCTAssertEqual(scores[1], 0.4, accuracy: 1e-12)
        XCTAssertEqual(scores[2], -0.4, accuracy: 1e-12)
        XCTAssertEqual(scores[3], 0.25, accuracy: 1e-12)
        // Against the pairwise definition on a random population (reference kept beside).
        var rng = SplitMix64(seed: 7)
        let runs = (0..<6).map { k in
            ArchitectureRun(cell: "c\(k)", seed: 0, testAccuracy: rng.nextDouble(),
                            trainCorrect: (0..<3).map { _ in (0..<5).map { _ in rng.nextDouble() < 0.6 } },
                            trainLosses: Array(repeating: Array(repeating: 0, count: 5), count: 3),
                            trainEntropy: [], testCorrect: [true], testMargins: [0], trainSeconds: 0)
        }
        let s = try ExampleScores.learningScores(runs)
        let r = averageRanks(runs.map(\.testAccuracy))
        let slope = try ExampleScores.rankingSlope(runs)
        for i in 0..<5 {
            var num = 0.0, den = 0.0
            for k in 0..<6 {
                for l in (k + 1)..<6 {
                    num += (r[l] - r[k]) * (s[l][i] - s[k][i])
                    den += (r[l] - r[k]) * (r[l] - r[k])
                }
            }
            XCTAssertEqual(slope[i], num / den, accuracy: 1e-12)
        }
    }

    func testRankingHalfDrawsOnlyFromTheTopHalf() throws {
        let scores = (0..<100).map(Double.init)
        var firstPicks = Set<Int>()
        for seed in 0..<20 {
            let order = try ImportanceMethod.rankingHalf.preferenceOrder(scores: scores, exampleCount: 100, count: 10, seed: UInt64(seed))
            XCTAssertEqual(Set(order.prefix(50)), Set(50..<100))
            XCTAssertEqual(Array(order.dropFirst(50)), Array((0..<50).reversed()))
            firstPicks.insert(order[0])
        }
        XCTAssertGreaterThan(firstPicks.count, 5)  // uniform inside the half, not top-k
    }

    func testQuantileSamplingWeightsBinsLinearly() {
        // 1,000 examples, 10 bins of 100; a prefix of 100 draws about
        // 100·(b+1)/55 from bin b: 1.8 from the lowest, 18 from the highest.
        let scores = (0..<1000).map { Double($0) }
        var low = 0, high = 0, bins = Set<Int>()
        for seed in 0..<50 {
            var rng = SplitMix64(seed: UInt64(seed))
            let noise = (0..<1000).map { _ in rng.nextDouble() }
            let prefix = ProxySelection.quantileSamplingOrder(scores, bins: 10, noise: noise).prefix(100)
            low += prefix.filter { $0 < 100 }.count
            high += prefix.filter { $0 >= 900 }.count
            bins.formUnion(prefix.map { $0 / 100 })
        }
        XCTAssertEqual(Double(low) / 50, 1.8, accuracy: 1.0)
        XCTAssertEqual(Double(high) / 50, 18.2, accuracy: 3.0)
        XCTAssertEqual(bins, Set(0..<10))
    }

    func testSelectionVariantsShareTheRankingScores() {
        for method in [ImportanceMethod.rankingMix, .rankingHalf, .rankingStrata] {
            XCTAssertEqual(method.scoreName, "ranking")
        }
        XCTAssertEqual(ImportanceMethod.rankingEpochs.scoreName, "ranking-epochs")
        XCTAssertEqual(ImportanceMethod.entropy.scoreName, "entropy")
    }
}
