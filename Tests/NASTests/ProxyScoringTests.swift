import Numerics
import XCTest
@testable import NAS

/// Synthetic populations where the right scores are known by construction.
final class ProxyScoringTests: XCTestCase {
    /// Four architectures with accuracies 0.6 < 0.7 < 0.8 < 0.9 and four epochs.
    /// Example 0: every architecture learns it at once (uninformative).
    /// Example 1: only the two best learn it. Example 2: only the two worst.
    /// Example 3: architecture k learns it from epoch 3−k (stronger = earlier).
    static func population() -> [ArchitectureRun] {
        (0..<4).map { k in
            let correct: [[Bool]] = (0..<4).map { e in
                [true, k >= 2, k < 2, e >= 3 - k]
            }
            let losses: [[Float]] = (0..<4).map { e in [0.1, Float(4 - k), Float(k), Float(e + k)] }
            return ArchitectureRun(cell: "arch\(k)", seed: 0, testAccuracy: 0.6 + 0.1 * Double(k),
                                   trainCorrect: correct, trainLosses: losses,
                                   trainEntropy: [0.01, 0.5, 1, Float(k + 1)],
                                   testCorrect: [true, k >= 2, k == 0], testMargins: [5, Float(k) - 1.5, Float(-k)],
                                   trainSeconds: 1)
        }
    }

    func testRankingImportanceRewardsExamplesThatReproduceTheRanking() throws {
        let scores = try ExampleScores.rankingImportance(Self.population())
        XCTAssertEqual(scores[0], 0, accuracy: 1e-12)
        // Learning scores of example 3 are 0.25, 0.5, 0.75, 1: linear in the rank.
        XCTAssertEqual(scores[3], 1, accuracy: 1e-12)
        // Example 1: learning scores 0,0,1,1 against ranks 1,2,3,4: r = 2/√5.
        XCTAssertEqual(scores[1], 2 / 5.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(scores[2], -2 / 5.0.squareRoot(), accuracy: 1e-12)
        let order = try ImportanceMethod.ranking.preferenceOrder(scores: scores, exampleCount: 4, count: 2, seed: 0)
        XCTAssertEqual(order, [3, 1, 0, 2])
    }

    func testTestRankingImportanceUsesMargins() throws {
        let scores = try ExampleScores.testRankingImportance(Self.population())
        XCTAssertEqual(scores[0], 0, accuracy: 1e-12)
        XCTAssertEqual(scores[1], 1, accuracy: 1e-12)
        XCTAssertEqual(scores[2], -1, accuracy: 1e-12)
        let proxy = try ProxySelection.testProxy(ratio: 0.34, scores: scores, labels: [0, 0, 0], classes: 1, seed: 0)
        XCTAssertEqual(proxy, [1])
    }

    func testForgettingEventsCountsTransitionsAndNeverLearned() throws {
        var run = Self.population()[0]
        run.trainCorrect = [[true, false, false], [false, false, true], [true, false, true], [false, false, true]]
        run.trainLosses = Array(repeating: [0, 0, 0], count: 4)
        run.trainEntropy = [0, 0, 0]
        // Example 0 forgets at epochs 1 and 3; example 1 is never learned (= 4 epochs); example 2 never forgets.
        XCTAssertEqual(try ExampleScores.forgettingEvents([run]), [2, 4, 0])
    }

    func testEarlyLossReadsAQuarterIntoTrainingAndAverages() throws {
        XCTAssertEqual(ExampleScores.earlyEpoch(4), 1)
        XCTAssertEqual(ExampleScores.earlyEpoch(1), 0)
        // Epoch 1 losses of example 3 are 1+k: mean over k = 0…3 is 2.5.
        let scores = try ExampleScores.earlyLoss(Self.population())
        XCTAssertEqual(scores[3], 2.5, accuracy: 1e-6)
        XCTAssertEqual(scores[1], 2.5, accuracy: 1e-6)
        XCTAssertEqual(scores[0], 0.1, accuracy: 1e-6)
    }

    func testEntropyComesFromTheMostAccurateRun() throws {
        XCTAssertEqual(try ExampleScores.referenceEntropy(Self.population()).map { Float($0) }, [0.01, 0.5, 1, 4])
    }

    func testBinnedSamplingFavoursRareBins() {
        // 99 examples in one bin and one alone in another: each bin carries half
        // the weight, so the rare example comes first in about half the seeds.
        let values = Array(repeating: 0.0, count: 99) + [10]
        var first = 0
        for seed in 0..<400 {
            var rng = SplitMix64(seed: UInt64(seed))
            let noise = (0..<100).map { _ in rng.nextDouble() }
            if ProxySelection.binnedSamplingOrder(logValues: values, bins: 10, noise: noise).first == 99 { first += 1 }
        }
        XCTAssertGreaterThan(first, 150)   // uniform sampling would give about 4
        XCTAssertLessThan(first, 250)
    }

    func testClassBalancedTakeFillsQuotasThenTopsUp() {
        let labels = [0, 0, 0, 0, 1, 2]
        XCTAssertEqual(ProxySelection.take(3, from: [0, 1, 2, 3, 4, 5], labels: labels, classes: 3), [0, 4, 5])
        XCTAssertEqual(ProxySelection.take(3, from: [0, 1, 2, 3, 4, 5], labels: nil, classes: 3), [0, 1, 2])
        // Class 2 has no example left for a second slot: the top-up takes the next preferred.
        XCTAssertEqual(ProxySelection.take(6, from: [5, 3, 2, 1, 0, 4], labels: [0, 0, 0, 0, 1, 2], classes: 3).count, 6)
        XCTAssertEqual(ProxySelection.take(5, from: [5, 3, 2, 1, 0, 4], labels: [0, 0, 0, 0, 1, 2], classes: 3), [1, 2, 3, 4, 5])
    }

    func testSelectionSizesDeterminismAndMix() throws {
        let runs = (0..<3).map { k in
            ArchitectureRun(cell: "a\(k)", seed: 0, testAccuracy: Double(k),
                            trainCorrect: [(0..<100).map { $0 < 10 * (k + 1) }], trainLosses: [Array(repeating: 1, count: 100)],
                            trainEntropy: (0..<100).map { Float($0 + 1) }, testCorrect: [true], testMargins: [1], trainSeconds: 0)
        }
        let labels = (0..<100).map { $0 % 10 }
        for method in ImportanceMethod.allCases {
            let a = try ProxySelection.select(method: method, ratio: 0.1, classBalanced: false, scores: try method.scores(runs),
                                              strata: try method.strata(runs), labels: labels, classes: 10, seed: 1)
            XCTAssertEqual(a.count, 10, "\(method)")
            XCTAssertEqual(Set(a).count, 10)
            XCTAssertEqual(a, try ProxySelection.select(method: method, ratio: 0.1, classBalanced: false, scores: try method.scores(runs),
                                                        strata: try method.strata(runs), labels: labels, classes: 10, seed: 1))
        }
        // Examples 10..<30 are learned by the stronger architectures only: ranking importance picks from them.
        let ranked = try ProxySelection.select(method: .ranking, ratio: 0.1, classBalanced: false, scores: try ImportanceMethod.ranking.scores(runs), labels: labels, classes: 10, seed: 1)
        XCTAssertTrue(ranked.allSatisfy { (10..<30).contains($0) }, "\(ranked)")
        let mixed = try ProxySelection.select(method: .rankingMix, ratio: 0.1, classBalanced: false, scores: try ImportanceMethod.ranking.scores(runs), labels: labels, classes: 10, seed: 1)
        XCTAssertEqual(mixed.filter { (10..<30).contains($0) }.count >= 5, true)
        let balanced = try ProxySelection.select(method: .balancedRandom, ratio: 0.2, classBalanced: false, scores: nil, labels: labels, classes: 10, seed: 2)
        XCTAssertEqual(Set(balanced.map { labels[$0] }).count, 10)
        XCTAssertEqual(Dictionary(grouping: balanced, by: { labels[$0] }).values.map(\.count), Array(repeating: 2, count: 10))
        XCTAssertThrowsError(try ProxySelection.select(method: .random, ratio: 0, classBalanced: false, scores: nil, labels: labels, classes: 10, seed: 0))
    }

    func testRankingAgreementAndNoiseCeiling() throws {
        let reference = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
        let same = try RankingAgreement(scores: reference.map { $0 * 2 }, reference: reference, k: 5)
        XCTAssertEqual(same, RankingAgreement(kendallTau: 1, spearmanRho: 1, topKOverlap: 1))
        let reversed = try RankingAgreement(scores: reference.reversed(), reference: reference, k: 5)
        XCTAssertEqual(reversed.kendallTau, -1, accuracy: 1e-12)
        XCTAssertEqual(reversed.spearmanRho, -1, accuracy: 1e-12)
        XCTAssertEqual(reversed.topKOverlap, 4.0 / 5, accuracy: 1e-12)
        XCTAssertNil(try RankingAgreement.noiseCeiling([reference]))
        // One swapped pair out of 15 between seeds: τ = (14 − 1) / 15.
        let ceiling = try RankingAgreement.noiseCeiling([reference, [0.2, 0.1, 0.3, 0.4, 0.5, 0.6]])
        XCTAssertEqual(ceiling!, 13.0 / 15, accuracy: 1e-12)
    }
}
