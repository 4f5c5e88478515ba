import Numerics
import XCTest
@testable import NAS

final class SampleEfficiencyTests: XCTestCase {
    /// Every ordering of a 7-cell space with 2 targets, enumerated: the mean
    /// first-hit position is (N+1)/(m+1) = 8/3 and P(T > t) matches.
    func testExpectedQueriesMatchBruteForceOverAllOrders() {
        let n = 7, targets: Set<Int> = [2, 5]
        var total = 0, count = 0
        var over = [Int](repeating: 0, count: n + 1)
        func permute(_ prefix: [Int], _ rest: [Int]) {
            if rest.isEmpty {
                let t = prefix.firstIndex(where: targets.contains)! + 1
                total += t
                count += 1
                for s in 0..<t { over[s] += 1 }
                return
            }
            for (i, x) in rest.enumerated() {
                var remaining = rest
                remaining.remove(at: i)
                permute(prefix + [x], remaining)
            }
        }
        permute([], Array(0..<n))
        XCTAssertEqual(count, 5040)
        XCTAssertEqual(Double(total) / Double(count), SampleEfficiency.expectedRandomQueries(spaceSize: n, targets: 2),
                       accuracy: 1e-12)
        XCTAssertEqual(SampleEfficiency.expectedRandomQueries(spaceSize: n, targets: 2), 8.0 / 3.0, accuracy: 1e-12)
        for t in 0...n {
            XCTAssertEqual(SampleEfficiency.randomMissProbability(after: t, spaceSize: n, targets: 2),
                           Double(over[t]) / Double(count), accuracy: 1e-12, "t = \(t)")
        }
        // P(T ≤ 2) = 1 − (5·4)/(7·6) = 22/42 ≥ 1/2, P(T ≤ 1) = 2/7 < 1/2.
        XCTAssertEqual(SampleEfficiency.medianRandomQueries(spaceSize: n, targets: 2), 2)
    }

    /// Running `RandomSearch` itself agrees with the formula on a 64-cell
    /// space with 3 targets: E[T] = 65/4 = 16.25; over 400 seeds the standard
    /// error of the mean is about 0.7, so 3 points is a > 4σ band.
    func testSimulatedRandomSearchAgreesWithTheFormula() throws {
        let space = try SyntheticSpace.space(bits: 6)
        let oracle = try SyntheticSpace.oracle(bits: 6)
        let targets: Set<Int> = [63, 62, 61]
        var total = 0
        for seed in 0..<400 {
            let trace = try RandomSearch(budget: 64).run(space: space, oracle: oracle, seed: UInt64(seed))
            total += try XCTUnwrap(trace.queriesToReach(targets))
        }
        XCTAssertEqual(Double(total) / 400, SampleEfficiency.expectedRandomQueries(spaceSize: 64, targets: 3), accuracy: 3)
    }

    func testNB201TargetHasEightCellsAndRandomNeedsAbout1736Queries() throws {
        let table = try TestData.nb201Table.get()
        let space = try SearchSpaceGraph.nb201(encoding: NB201FlatEncoding())
        let oracle = try TableOracle.nb201(table)
        let target = try SearchTarget.nearBest(
            validation: space.cells.map { table.record(for: $0).validAccuracy },
            test: space.cells.map(oracle.reportedTestAccuracy), tolerance: 0.1)
        let archs = Set(target.cells.map { table.archIndex.arch(of: space.cells[$0]) })
        XCTAssertEqual(archs, [6111, 13714, 9930, 3731, 5111, 81, 1459, 5292])
        XCTAssertEqual(SampleEfficiency.expectedRandomQueries(spaceSize: 15_625, targets: 8), 15_626.0 / 9, accuracy: 1e-9)
        XCTAssertEqual(SampleEfficiency.medianRandomQueries(spaceSize: 15_625, targets: 8), 1297)
        XCTAssertGreaterThan(SampleEfficiency.randomMissProbability(after: 1296, spaceSize: 15_625, targets: 8), 0.5)
        XCTAssertLessThanOrEqual(SampleEfficiency.randomMissProbability(after: 1297, spaceSize: 15_625, targets: 8), 0.5)
        XCTAssertTrue(target.definition.contains("8 of 15625 cells"), target.definition)
    }

    func testTargetFallsBackToValidationWithoutTestAccuracy() throws {
        let target = try SearchTarget.nearBest(validation: [90, 93.95, 94, 93.8], test: [nil, nil, nil, nil], tolerance: 0.1)
        XCTAssertEqual(target.cells, [1, 2])
        let withTest = try SearchTarget.nearBest(validation: [90, 93.95, 94, 93.8], test: [95, 94.85, 93, 94.95],
                                                 tolerance: 0.1)
        XCTAssertEqual(withTest.cells, [0, 2, 3], "best validation (2) plus test within 0.1 of 95 (0, 3)")
        XCTAssertThrowsError(try SearchTarget.nearBest(validation: [], test: [], tolerance: 0.1))
    }

    func testMedianTreatsUnreachedAsInfinite() {
        XCTAssertEqual(SampleEfficiency.median([3, 1, 2]), 2)
        XCTAssertEqual(SampleEfficiency.median([4, 1, 2, 3]), 2.5)
        XCTAssertEqual(SampleEfficiency.median([nil, 1, 2]), 2)
        XCTAssertEqual(SampleEfficiency.median([nil, nil, 2]), .infinity)
    }

    func testGainAndBootstrapInterval() throws {
        let queries: [Int?] = [10, 20, 20, 30, 40, nil]
        let estimate = try SampleEfficiency.gain(queries: queries, reference: 100, resamples: 500, seed: 1)
        XCTAssertEqual(estimate.medianQueries, 25)
        XCTAssertEqual(estimate.gain, 4)
        XCTAssertEqual(estimate.reached, 5)
        XCTAssertLessThanOrEqual(estimate.lower, estimate.gain)
        XCTAssertGreaterThanOrEqual(estimate.upper, estimate.gain)
        XCTAssertGreaterThanOrEqual(estimate.lower, 0)
        XCTAssertLessThanOrEqual(estimate.upper, 10, "no resample median is below 10 queries")
        XCTAssertEqual(try SampleEfficiency.gain(queries: queries, reference: 100, resamples: 500, seed: 1), estimate)
        let unreached = try SampleEfficiency.gain(queries: [nil, nil, 5], reference: 100, resamples: 100)
        XCTAssertEqual(unreached.gain, 0)
        XCTAssertThrowsError(try SampleEfficiency.gain(queries: [], reference: 100))
    }

    func testBestSoFarFollowsTheBestValidationCell() {
        var trace = SearchTrace()
        trace.queried = [0, 1, 2, 3]
        trace.validation = [80, 85, 84, 86]
        trace.test = [79, 90, 99, nil]
        // Cell 2 has the best test accuracy but not the best validation: never the incumbent.
        XCTAssertEqual(trace.bestSoFar, [79, 90, 90, 86])
        XCTAssertEqual(trace.queriesToReach([2, 3]), 3)
        XCTAssertNil(trace.queriesToReach([7]))
    }
}
