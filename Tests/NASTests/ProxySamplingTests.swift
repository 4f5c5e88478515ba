import XCTest
@testable import NAS

final class ProxySamplingTests: XCTestCase {
    func testStrengthCountsOnPathConvolutionsOnly() throws {
        let allConv = try NB201Cell(ops: Array(repeating: .conv3x3, count: 6))
        XCTAssertEqual(allConv.strength, 12)
        // A 3×3 conv into node 1, which feeds nothing: off the path, so it adds nothing.
        let offPath = try NB201Cell(string: "|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|")
        XCTAssertEqual(offPath.onPathEdges, [false, false, false, true, false, false])
        XCTAssertEqual(offPath.strength, 0)
        let mixed = try NB201Cell(string: "|nor_conv_3x3~0|+|nor_conv_1x1~0|none~1|+|none~0|skip_connect~1|nor_conv_1x1~2|")
        XCTAssertEqual(mixed.onPathEdges, [true, true, false, false, true, true])
        XCTAssertEqual(mixed.strength, 2 + 1 + 1)
        let degenerate = try NB201Cell(string: "|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|")
        XCTAssertTrue(degenerate.isDegenerate)
        XCTAssertEqual(degenerate.onPathEdges, Array(repeating: false, count: 6))
    }

    func testPathPoolingClassifiesByPooledPaths() throws {
        // Only path 0→2→3, through a pooling: all pooled (the weakest calibration cells).
        let pooled = try NB201Cell(string: "|none~0|+|avg_pool_3x3~0|skip_connect~1|+|none~0|skip_connect~1|skip_connect~2|")
        XCTAssertEqual(pooled.inputOutputPaths, [[1, 5]])
        XCTAssertEqual(pooled.pathPooling, .allPooled)
        // Skip 0→3 unpooled, 0→1→2→3 through two poolings: partly pooled.
        let mixed = try NB201Cell(string: "|avg_pool_3x3~0|+|none~0|nor_conv_1x1~1|+|skip_connect~0|none~1|avg_pool_3x3~2|")
        XCTAssertEqual(mixed.inputOutputPaths, [[3], [0, 2, 5]])
        XCTAssertEqual(mixed.pathPooling, .partlyPooled)
        XCTAssertEqual(try NB201Cell(ops: Array(repeating: .conv3x3, count: 6)).pathPooling, .unpooled)
        XCTAssertEqual(try NB201Cell(ops: Array(repeating: .conv3x3, count: 6)).inputOutputPaths.count, 4)
        let degenerate = try NB201Cell(string: "|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|")
        XCTAssertEqual(degenerate.inputOutputPaths, [])
    }

    func testStratifiedSampleBalancesPoolingClassesAndSpansStrengths() throws {
        let strata = StratifiedCellSampler.strata()
        XCTAssertEqual(strata.keys.sorted(), Array(0...12))
        XCTAssertEqual(strata[12]?.count, 1)
        let cells = try StratifiedCellSampler.sample(count: 30, seed: 7)
        XCTAssertEqual(Set(cells).count, 30)
        XCTAssertFalse(cells.contains { $0.isDegenerate })
        let byClass = Dictionary(grouping: cells, by: \.pathPooling)
        XCTAssertEqual(byClass.mapValues(\.count), [.allPooled: 10, .partlyPooled: 10, .unpooled: 10])
        // Inside a class the strength levels are visited round-robin: 10 draws
        // cover min(10, levels in the class) distinct levels.
        var levels = [PathPooling: Set<Int>]()
        for cell in NB201Cell.all where !cell.isDegenerate { levels[cell.pathPooling, default: []].insert(cell.strength) }
        for (pooling, drawn) in byClass {
            XCTAssertEqual(Set(drawn.map(\.strength)).count, min(10, levels[pooling]!.count), "\(pooling)")
        }
        XCTAssertEqual(try StratifiedCellSampler.sample(count: 30, seed: 7), cells)
        XCTAssertNotEqual(try StratifiedCellSampler.sample(count: 30, seed: 8), cells)
    }

    func testHeldOutIsDisjointFromPopulation() throws {
        let (population, heldOut) = try StratifiedCellSampler.populationAndHeldOut(population: 40, heldOut: 30, seed: 3)
        XCTAssertEqual(population.count, 40)
        XCTAssertEqual(heldOut.count, 30)
        XCTAssertTrue(Set(population).isDisjoint(with: Set(heldOut)))
        XCTAssertThrowsError(try StratifiedCellSampler.sample(count: 20_000, seed: 0))
    }

    func testCalibrationCellsAreDisjointFromPopulationAndHeldOut() throws {
        let (population, heldOut) = try StratifiedCellSampler.populationAndHeldOut(population: 20, heldOut: 30, seed: 0)
        let used = Set(population).union(heldOut)
        let calibration = try StratifiedCellSampler.calibration(count: 26, seed: 0, excluding: used)
        XCTAssertEqual(Set(calibration).count, 26)
        XCTAssertTrue(Set(calibration).isDisjoint(with: used))
        XCTAssertEqual(try StratifiedCellSampler.calibration(count: 26, seed: 0, excluding: used), calibration)
        XCTAssertNotEqual(Array(try StratifiedCellSampler.sample(count: 26, seed: 0).prefix(26)), calibration,
                          "the calibration draw has its own seed")
    }

    func testScoreBinsSpreadASampleEvenlyOverTheScore() throws {
        // Score: the strength (0…12) in 4 equal-width bins 0–3, 3–6, 6–9, 9–12 (12 joins the last).
        var scores: [NB201Cell: Double] = [:]
        for cell in NB201Cell.all { scores[cell] = Double(cell.strength) }
        let stratification = CellStratification.scoreBins(scores: scores, bins: 4)
        XCTAssertEqual(try stratification.scoreRange(), 0...12)
        let allConv = try NB201Cell(ops: Array(repeating: .conv3x3, count: 6))
        XCTAssertEqual(stratification.stratum(of: allConv, range: 0...12)?.level, 3)
        let cells = try StratifiedCellSampler.sample(count: 40, seed: 5, stratification: stratification)
        XCTAssertEqual(Set(cells).count, 40)
        XCTAssertFalse(cells.contains { $0.isDegenerate })
        let perBin = Dictionary(grouping: cells) { min(3, $0.strength / 3) }.mapValues(\.count)
        XCTAssertEqual(perBin, [0: 10, 1: 10, 2: 10, 3: 10], "round-robin over the bins, whatever their sizes")
        // The structural strata draw a different sample from the same seed.
        XCTAssertNotEqual(Set(try StratifiedCellSampler.sample(count: 40, seed: 5)), Set(cells))
        XCTAssertEqual(try StratifiedCellSampler.sample(count: 40, seed: 5, stratification: stratification), cells)
        // Disjointness and the held-out/calibration derivation hold for any stratification.
        let (population, heldOut) = try StratifiedCellSampler.populationAndHeldOut(population: 12, heldOut: 12, seed: 1,
                                                                                 stratification: stratification)
        XCTAssertTrue(Set(population).isDisjoint(with: heldOut))
    }

    func testScoreBinsRejectMissingScoresAndNoBins() throws {
        var scores: [NB201Cell: Double] = [:]
        for cell in NB201Cell.all.prefix(100) { scores[cell] = 1 }
        XCTAssertThrowsError(try StratifiedCellSampler.sample(count: 5, seed: 0,
                                                             stratification: .scoreBins(scores: scores, bins: 3))) { error in
            XCTAssertTrue("\(error)".contains("no finite score for cell"), "\(error)")
        }
        XCTAssertThrowsError(try CellStratification.scoreBins(scores: [:], bins: 0).scoreRange())
    }

    func testStructuralSampleIsPinned() throws {
        // The sessions 3-6 study drew its cells from this sampler; refactoring it must not move them.
        let cells = try StratifiedCellSampler.sample(count: 6, seed: 0).map(\.cellString)
        XCTAssertEqual(cells, [
            "|avg_pool_3x3~0|+|skip_connect~0|none~1|+|none~0|skip_connect~1|none~2|",
            "|skip_connect~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|avg_pool_3x3~1|none~2|",
            "|skip_connect~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|none~0|skip_connect~1|none~2|",
            "|none~0|+|avg_pool_3x3~0|skip_connect~1|+|none~0|nor_conv_1x1~1|nor_conv_1x1~2|",
            "|avg_pool_3x3~0|+|none~0|skip_connect~1|+|nor_conv_1x1~0|avg_pool_3x3~1|skip_connect~2|",
            "|skip_connect~0|+|skip_connect~0|none~1|+|skip_connect~0|nor_conv_1x1~1|none~2|",
        ])
    }
}
