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

    func testStratifiedSampleSpansStrengthsEvenly() throws {
        let strata = StratifiedCellSampler.strata()
        XCTAssertEqual(strata.keys.sorted(), Array(0...12))
        XCTAssertEqual(strata[12]?.count, 1)
        let cells = try StratifiedCellSampler.sample(count: 26, seed: 7)
        XCTAssertEqual(Set(cells).count, 26)
        XCTAssertFalse(cells.contains { $0.isDegenerate })
        var perLevel = [Int: Int]()
        for cell in cells { perLevel[cell.strength, default: 0] += 1 }
        // 13 levels, 2 rounds; level 12 has a single cell, so one level gets 3.
        XCTAssertEqual(perLevel[12], 1)
        XCTAssertEqual(perLevel.keys.count, 13)
        XCTAssertTrue(perLevel.values.allSatisfy { (1...3).contains($0) }, "\(perLevel)")
        XCTAssertEqual(try StratifiedCellSampler.sample(count: 26, seed: 7), cells)
        XCTAssertNotEqual(try StratifiedCellSampler.sample(count: 26, seed: 8), cells)
    }

    func testHeldOutIsDisjointFromPopulation() throws {
        let (population, heldOut) = try StratifiedCellSampler.populationAndHeldOut(population: 40, heldOut: 30, seed: 3)
        XCTAssertEqual(population.count, 40)
        XCTAssertEqual(heldOut.count, 30)
        XCTAssertTrue(Set(population).isDisjoint(with: Set(heldOut)))
        XCTAssertThrowsError(try StratifiedCellSampler.sample(count: 20_000, seed: 0))
    }
}
