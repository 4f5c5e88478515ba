import Numerics
import XCTest
@testable import NAS

/// The difficulty-stratified selections (`ranking-matched`, `ranking-coverage`):
/// strata, quotas, and the preference order against a naive per-stratum top-k.
final class DifficultyStrataTests: XCTestCase {
    func testStrataCutEaseByQuantileOrFixedWidth() {
        let ease = [0, 0.05, 0.1, 0.55, 0.999, 1, 1.2, -0.1]
        XCTAssertEqual(DifficultyStrata.strata(ease: ease, scheme: .coverage(bins: 10), noise: Array(repeating: 0, count: 8)),
                       [0, 0, 1, 5, 9, 9, 9, 0])
        let many = (0..<100).map { Double($0 % 7) }  // heavy ties: the noise cuts them
        var rng = SplitMix64(seed: 3)
        let noise = many.map { _ in rng.nextDouble() }
        let strata = DifficultyStrata.strata(ease: many, scheme: .quantiles(bins: 4), noise: noise)
        XCTAssertEqual((0..<4).map { s in strata.filter { $0 == s }.count }, [25, 25, 25, 25])
        for i in many.indices { for j in many.indices where many[i] < many[j] { XCTAssertLessThanOrEqual(strata[i], strata[j]) } }
    }

    func testCoverageQuotasGiveSmallStrataAllAndShareTheRest() {
        XCTAssertEqual(DifficultyStrata.quotas(sizes: [5, 100, 100, 0, 40], count: 100, scheme: .coverage(bins: 5)), [5, 32, 32, 0, 31])
        XCTAssertEqual(DifficultyStrata.quotas(sizes: [3, 3, 3], count: 50, scheme: .coverage(bins: 3)), [3, 3, 3])
        XCTAssertEqual(DifficultyStrata.quotas(sizes: [10, 10, 10], count: 7, scheme: .quantiles(bins: 3)), [3, 2, 2])
        XCTAssertEqual(DifficultyStrata.quotas(sizes: [2, 50], count: 10, scheme: .quantiles(bins: 2)), [2, 8])
    }

    /// Naive reference: each stratum's top `quota` examples by score.
    private func naiveSelection(scores: [Double], strata: [Int], quotas: [Int]) -> Set<Int> {
        var chosen = Set<Int>()
        for (s, q) in quotas.enumerated() {
            let members = scores.indices.filter { strata[$0] == s }.sorted { scores[$0] > scores[$1] }
            chosen.formUnion(members.prefix(q))
        }
        return chosen
    }

    func testOrderPrefixIsEachStratumsTopQuota() throws {
        var rng = SplitMix64(seed: 11)
        for scheme in [DifficultyStrata.Scheme.quantiles(bins: 10), .coverage(bins: 10)] {
            for count in [1, 37, 100, 250] {
                let n = 1000
                let scores = (0..<n).map { _ in rng.nextDouble() * 2 - 1 }
                let ease = (0..<n).map { _ in pow(rng.nextDouble(), 0.3) }  // skewed towards easy, like real data
                let noise = (0..<n).map { _ in rng.nextDouble() }
                let order = DifficultyStrata.order(scores: scores, ease: ease, scheme: scheme, count: count, noise: noise)
                XCTAssertEqual(order.sorted(), Array(0..<n))
                let strata = DifficultyStrata.strata(ease: ease, scheme: scheme, noise: noise)
                let sizes = (0..<10).map { s in strata.filter { $0 == s }.count }
                let quotas = DifficultyStrata.quotas(sizes: sizes, count: count, scheme: scheme)
                XCTAssertEqual(quotas.reduce(0, +), count)
                XCTAssertEqual(Set(order.prefix(count)), naiveSelection(scores: scores, strata: strata, quotas: quotas), "\(scheme) \(count)")
            }
        }
    }

    func testMatchedProxyKeepsTheDifficultyMixThatTopRankingDrops() throws {
        // 11 architectures of increasing strength. Examples 0..<200 are never
        // learned, 500..<1000 always; in between, block m = (i − 200) / 30 is
        // learned by the architectures stronger than m, so only the middle
        // separates strong from weak.
        let n = 1000
        func learned(_ i: Int, by k: Int) -> Bool { i >= 500 || (i >= 200 && (i - 200) / 30 < k) }
        let runs: [ArchitectureRun] = (0..<11).map { (k: Int) -> ArchitectureRun in
            ArchitectureRun(cell: "a\(k)", seed: 0, testAccuracy: Double(k),
                            trainCorrect: [(0..<n).map { learned($0, by: k) }],
                            trainLosses: [Array(repeating: 1, count: n)], trainEntropy: [], testCorrect: [true],
                            testMargins: [1], trainSeconds: 0)
        }
        let labels = (0..<n).map { $0 % 10 }
        let ease = try XCTUnwrap(ImportanceMethod.rankingMatched.strata(runs))
        XCTAssertNil(try ImportanceMethod.ranking.strata(runs))
        let ri = try ImportanceMethod.rankingMatched.scores(runs)
        let top = try ProxySelection.select(method: .ranking, ratio: 0.1, classBalanced: false, scores: ri, labels: labels, classes: 10, seed: 0)
        let matched = try ProxySelection.select(method: .rankingMatched, ratio: 0.1, classBalanced: false, scores: ri, strata: ease,
                                                labels: labels, classes: 10, seed: 0)
        XCTAssertTrue(top.allSatisfy { (200..<500).contains($0) })  // only the discriminative middle
        XCTAssertEqual(matched.filter { $0 >= 500 }.count, 50)       // half the data is easy: half the proxy
        XCTAssertEqual(matched.filter { $0 < 200 }.count, 20)        // never learned: a fifth of the data
        XCTAssertEqual(matched.filter { (200..<500).contains($0) }.count, 30)
        XCTAssertThrowsError(try ProxySelection.select(method: .rankingCoverage, ratio: 0.1, classBalanced: false, scores: ri,
                                                       labels: labels, classes: 10, seed: 0))
    }

    func testStratifiedMethodsShareTheRankingScoresAndEase() {
        for method in [ImportanceMethod.rankingMatched, .rankingCoverage] {
            XCTAssertEqual(method.scoreName, "ranking")
            XCTAssertNotNil(method.stratumScheme)
        }
        XCTAssertNil(ImportanceMethod.rankingMix.stratumScheme)
    }
}
