@testable import NASStages
import XCTest

final class SweepSummaryTests: XCTestCase {
    func testMeanAndSampleStandardDeviation() {
        let (mean, std) = SweepSummary.meanStd([1, 2, 3, 4])
        XCTAssertEqual(mean, 2.5)
        XCTAssertEqual(std, (5.0 / 3.0).squareRoot(), accuracy: 1e-15)  // Σ(x−2.5)² = 5, n−1 = 3
        XCTAssertEqual(SweepSummary.meanStd([0.7]).std, 0)
    }

    func testGroupsByVariantAndSizeInRunOrderAndCountsUndefinedTauAsZero() throws {
        func run(_ variant: String, _ size: Int, _ seed: Int, scores: [Double]) throws -> SweepRun {
            SweepRun(variant: variant, size: size, seed: seed,
                     metrics: try RankingMetrics(scores: scores, testLabels: [1, 2, 3], trainLabels: [0], k: 1))
        }
        let runs = [try run("ridge", 10, 0, scores: [1, 2, 3]),   // τ = 1
                    try run("ridge", 10, 1, scores: [5, 5, 5]),   // τ undefined → 0
                    try run("renas", 10, 0, scores: [3, 2, 1])]   // τ = −1
        let summary = SweepSummary(runs: runs, unit: "percent")
        XCTAssertEqual(summary.cells.map(\.variant), ["ridge", "renas"])
        XCTAssertEqual(summary.cells[0].tau.mean, 0.5)
        XCTAssertEqual(summary.cells[1].tau.mean, -1)
        XCTAssertEqual(summary.metrics["tau_mean.ridge.10"], 0.5)
        // Constant scores: ties go to the lower index, so the top-1 cell is the first (label 1).
        XCTAssertEqual(runs[1].metrics.topKBestAccuracy, 1)
        XCTAssertEqual(runs[0].metrics.topKBestAccuracy, 3)
        XCTAssertEqual(runs[0].metrics.topKBestPercentile, 100)
        XCTAssertEqual(runs[2].metrics.topKBestRank, 3)  // label 1: labels 3 and 2 are better
        XCTAssertEqual(summary.summaryCSV.split(separator: "\n").count, 3)
        XCTAssertTrue(summary.plot(title: "t").contains("ridge"))
    }
}
