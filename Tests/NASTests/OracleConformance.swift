import XCTest
@testable import NAS

/// Checks every `Oracle` must pass: the first question about a cell costs one
/// query, a repeat costs nothing and returns the same answer, and reporting
/// test accuracy never costs a query. `cells` must be distinct cells the
/// oracle knows (at least two).
func assertOracleConformance<O: Oracle>(_ make: () throws -> O, cells: [O.Cell],
                                        file: StaticString = #filePath, line: UInt = #line) throws {
    XCTAssertGreaterThanOrEqual(Set(cells).count, 2, "need two distinct cells", file: file, line: line)
    var oracle = try make()
    XCTAssertEqual(oracle.queryCount, 0, "a fresh oracle has no queries", file: file, line: line)
    _ = oracle.reportedTestAccuracy(of: cells[0])
    XCTAssertEqual(oracle.queryCount, 0, "test accuracy is free", file: file, line: line)
    let first = try oracle.validationAccuracy(of: cells[0])
    XCTAssertEqual(oracle.queryCount, 1, file: file, line: line)
    XCTAssertEqual(try oracle.validationAccuracy(of: cells[0]), first, "a repeat gives the same answer", file: file, line: line)
    XCTAssertEqual(oracle.queryCount, 1, "a repeat is free", file: file, line: line)
    for (i, cell) in cells.enumerated().dropFirst() {
        XCTAssertTrue(try oracle.validationAccuracy(of: cell).isFinite, file: file, line: line)
        XCTAssertEqual(oracle.queryCount, i + 1, file: file, line: line)
    }
}
