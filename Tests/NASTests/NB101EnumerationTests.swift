import XCTest
@testable import NAS

final class NB101EnumerationTests: XCTestCase {
    /// Counts per vertex bound, derived independently with a direct Python
    /// transcription of the benchmark generator (see docs/search-spaces.md).
    func testCountsOfReducedSpaces() throws {
        XCTAssertEqual(try NB101SearchSpace.enumerate(maxVertices: 2).count, 1)
        XCTAssertEqual(try NB101SearchSpace.enumerate(maxVertices: 3).count, 7)
        XCTAssertEqual(try NB101SearchSpace.enumerate(maxVertices: 4).count, 91)
        XCTAssertEqual(try NB101SearchSpace.enumerate(maxVertices: 5).count, 2532)
    }

    /// Enumerated cells are valid, pruned, distinct, and exactly the
    /// representatives the table holds for cells of ≤ 5 vertices.
    func testRepresentativesMatchTheTable() throws {
        let cells = try NB101SearchSpace.enumerate(maxVertices: 5)
        var byHash: [String: NB101Cell] = [:]
        for cell in cells {
            let rebuilt = try NB101Cell(matrix: cell.matrix, ops: cell.ops)
            XCTAssertEqual(rebuilt, cell)
            XCTAssertNil(byHash.updateValue(cell, forKey: cell.fingerprint))
        }
        let table = try TestData.nb101Table.get()
        let small = table.records.filter { $0.cell.vertexCount <= 5 }
        XCTAssertGreaterThan(small.count, 50)
        for record in small {
            XCTAssertEqual(byHash[record.hash], record.cell, record.hash)
        }
    }

    func testRejectsBadBounds() {
        XCTAssertThrowsError(try NB101SearchSpace.enumerate(maxVertices: 8))
        XCTAssertThrowsError(try NB101SearchSpace.enumerate(maxVertices: 5, maxEdges: 0))
    }

    #if !DEBUG
    /// The full space (release builds only: about a minute of CPU in debug).
    func testFullSpaceHas423624Cells() throws {
        let cells = try NB101SearchSpace.enumerate()
        XCTAssertEqual(cells.count, NB101SearchSpace.cellCount)
        let table = try TestData.nb101Table.get()
        let byHash = Dictionary(uniqueKeysWithValues: cells.map { ($0.fingerprint, $0) })
        for record in table.records { XCTAssertEqual(byHash[record.hash], record.cell) }
    }
    #endif
}
