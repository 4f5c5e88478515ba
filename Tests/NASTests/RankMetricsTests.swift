import Numerics
import XCTest
@testable import NAS

final class RankMetricsTests: XCTestCase {
    /// O(n²) τ-b straight from the definition, the reference for Knight's algorithm.
    func naiveTauB(_ x: [Double], _ y: [Double]) -> Double? {
        var concordant = 0, discordant = 0, tiedXOnly = 0, tiedYOnly = 0
        for i in x.indices {
            for j in (i + 1)..<max(i + 1, x.count) {
                let dx = x[i] - x[j], dy = y[i] - y[j]
                if dx == 0 && dy == 0 { continue }
                if dx == 0 { tiedXOnly += 1 } else if dy == 0 { tiedYOnly += 1 }
                else if (dx > 0) == (dy > 0) { concordant += 1 } else { discordant += 1 }
            }
        }
        let d = Double(concordant + discordant + tiedXOnly) * Double(concordant + discordant + tiedYOnly)
        return d > 0 ? Double(concordant - discordant) / d.squareRoot() : nil
    }

    func testKendallTauMatchesNaiveOnRandomDataWithTies() throws {
        var rng = SplitMix64(seed: 7)
        for trial in 0..<200 {
            let n = 2 + Int(rng.uniform(below: 60))
            let levels = 1 + rng.uniform(below: trial % 2 == 0 ? 5 : 1000)  // many ties on even trials
            let x = (0..<n).map { _ in Double(rng.uniform(below: levels)) }
            let y = (0..<n).map { i in Double(rng.uniform(below: levels)) + (trial % 3 == 0 ? x[i] : 0) }
            let fast = try kendallTau(x, y), slow = naiveTauB(x, y)
            XCTAssertEqual(fast == nil, slow == nil, "trial \(trial)")
            if let fast, let slow { XCTAssertEqual(fast, slow, accuracy: 1e-12, "trial \(trial)") }
        }
    }

    func testKendallTauPinnedValues() throws {
        XCTAssertEqual(try kendallTau([1, 2, 3, 4], [1, 2, 3, 4]), 1)
        XCTAssertEqual(try kendallTau([1, 2, 3, 4], [4, 3, 2, 1]), -1)
        // x ties one pair, y ties another: C=4, D=0, n0=6 → 4/√(5·5) = 0.8
        XCTAssertEqual(try XCTUnwrap(kendallTau([1, 1, 2, 3], [1, 2, 3, 3])), 0.8, accuracy: 1e-15)
        XCTAssertNil(try kendallTau([1, 1, 1], [1, 2, 3]))
        XCTAssertThrowsError(try kendallTau([1, 2], [1]))
        XCTAssertThrowsError(try kendallTau([1, .nan], [1, 2]))
    }

    func testSpearmanWithAndWithoutTies() throws {
        XCTAssertEqual(averageRanks([10, 20, 20, 5]), [2, 3.5, 3.5, 1])
        // No ties: 1 − 6Σd²/(n(n²−1)); ranks of y are 2,1,4,3,5 → Σd² = 4 → 1 − 24/120 = 0.8
        XCTAssertEqual(try XCTUnwrap(spearmanRho([1, 2, 3, 4, 5], [20, 10, 40, 30, 50])), 0.8, accuracy: 1e-15)
        // With ties: Pearson of average ranks x=(1.5,1.5,3), y=(1,2,3) → 0.5·… = √3/2
        XCTAssertEqual(try XCTUnwrap(spearmanRho([1, 1, 2], [1, 2, 3])), 3.0.squareRoot() / 2, accuracy: 1e-15)
        XCTAssertNil(try spearmanRho([2, 2], [1, 2]))
    }

    func testPrecisionAtTopKAndBestRank() throws {
        let truth: [Double] = [0.9, 0.5, 0.8, 0.1, 0.7]      // true ranks 1,4,2,5,3
        let predicted: [Double] = [0.2, 0.9, 0.8, 0.7, 0.1]  // predicted top-2: items 1, 2
        XCTAssertEqual(try precisionAtTopK(predicted: predicted, truth: truth, k: 2), 0.5)
        XCTAssertEqual(try precisionAtTopK(predicted: predicted, truth: truth, k: 5), 1)
        XCTAssertEqual(try bestTrueRankInTopK(predicted: predicted, truth: truth, k: 1), 4)
        XCTAssertEqual(try bestTrueRankInTopK(predicted: predicted, truth: truth, k: 2), 2)
        XCTAssertEqual(try bestTrueRankInTopK(predicted: predicted, truth: truth, k: 5), 1)
        XCTAssertEqual(try bestTrueRankInTopK(predicted: [1, 0], truth: [3, 3], k: 1), 1)  // ties share rank 1
        XCTAssertThrowsError(try precisionAtTopK(predicted: predicted, truth: truth, k: 0))
        XCTAssertThrowsError(try bestTrueRankInTopK(predicted: predicted, truth: truth, k: 6))
    }
}
