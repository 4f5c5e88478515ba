import Foundation
import NAS
@testable import NASStages
import Pipeline
import XCTest

final class NB101EnumerateOpTests: XCTestCase {
    func testSmallSpaceMatchesLibraryAndRoundTrips() async throws {
        let harness = try OpHarness()
        let (result, out) = try await harness.run(NB101EnumerateOp()) { $0.params["max_vertices"] = .int(5) }
        let expected = try NB101SearchSpace.enumerate(maxVertices: 5)
        XCTAssertEqual(result.metrics["count"], Double(expected.count))
        XCTAssertNotNil(result.metrics["seconds"])
        let bytes = [UInt8](try Data(contentsOf: out.appendingPathComponent("cells.bin")))
        XCTAssertEqual(bytes.count, NB101CellFile.headerSize + NB101CellFile.recordSize * expected.count)
        let decoded = try NB101CellFile.decode(bytes, file: "cells.bin")
        XCTAssertEqual(decoded.map(\.cell), expected)
        XCTAssertEqual(decoded.map(\.fingerprint), expected.map(\.fingerprint))
        let meta = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("cells.json"))) as? [String: Any]
        XCTAssertEqual(meta?["count"] as? Int, expected.count)
        XCTAssertEqual(meta?["max_vertices"] as? Int, 5)
        XCTAssertEqual(result.tables.first?.rows.last, ["total", String(expected.count)])
    }

    func testCellFileRejectsCorruption() throws {
        let cells = try NB101SearchSpace.enumerate(maxVertices: 3)
        var bytes = NB101CellFile.encode(cells)
        XCTAssertThrowsError(try NB101CellFile.decode(Array(bytes.dropLast()), file: "x")) {
            XCTAssertTrue("\($0)".contains("bytes for"), "\($0)")
        }
        bytes[NB101CellFile.headerSize] = 9  // vertex count of record 1
        XCTAssertThrowsError(try NB101CellFile.decode(bytes, file: "x")) {
            XCTAssertEqual("\($0)", "x:1: vertex count 9")
        }
    }
}
