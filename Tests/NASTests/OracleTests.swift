import XCTest
@testable import NAS

final class OracleTests: XCTestCase {
    func testSyntheticTableOracleConforms() throws {
        try assertOracleConformance({ try SyntheticSpace.oracle(bits: 4) }, cells: [0, 5, 15, 7])
    }

    func testNB201OracleAnswersValidationAndReportsTest() throws {
        let table = try TestData.nb201Table.get()
        let cells = [6111, 0, 9930].map { table.records[$0].cell }
        try assertOracleConformance({ try TableOracle.nb201(table) }, cells: cells)
        var oracle = try TableOracle.nb201(table)
        // arch 6111: the best-validation cell, whose test accuracy is also the table's best.
        XCTAssertEqual(try oracle.validationAccuracy(of: cells[0]), 91.60666665039064)
        XCTAssertEqual(oracle.reportedTestAccuracy(of: cells[0]), 94.37333333333333)
    }

    func testNB101OracleUsesVal108InPercentWithoutTest() throws {
        let table = try TestData.nb101Table.get()
        try assertOracleConformance({ try TableOracle.nb101(table) }, cells: table.records.prefix(3).map(\.cell))
        var oracle = try TableOracle.nb101(table)
        let record = table.records[0]
        XCTAssertEqual(try oracle.validationAccuracy(of: record.cell), 100 * record.validationAccuracy108, accuracy: 1e-12)
        XCTAssertNil(oracle.reportedTestAccuracy(of: record.cell))
        XCTAssertEqual(oracle.entry(of: table.records[1].cell)?.validation, 100 * table.records[1].validationAccuracy108)
        XCTAssertEqual(oracle.queryCount, 1, "reading an entry is not a query")
    }

    func testUnknownCellThrowsWithoutCounting() throws {
        var oracle = try SyntheticSpace.oracle(bits: 3)
        XCTAssertThrowsError(try oracle.validationAccuracy(of: 99)) {
            XCTAssertTrue("\($0)".contains("99 is not in oracle 'bits3'"), "\($0)")
        }
        XCTAssertEqual(oracle.queryCount, 0)
        XCTAssertThrowsError(try TableOracle<Int>(name: "empty", entries: [:]))
        XCTAssertThrowsError(try TableOracle(name: "nan", entries: [1: .init(validation: .nan, test: nil)]))
    }

    func testSearchesQueryEachCellOnceAndStopAtTheBudget() throws {
        let space = try SyntheticSpace.space(bits: 6)
        let methods = SyntheticSpace.methods(budget: 30, subset: 12) + [.random(RandomSearch(budget: 30))]
        for method in methods {
            let log = CallLog()
            let oracle = LoggingOracle(inner: try SyntheticSpace.oracle(bits: 6), log: log)
            let trace = try method.run(space: space, oracle: oracle, seed: 3)
            XCTAssertEqual(trace.count, 30, method.name)
            XCTAssertEqual(Set(trace.queried).count, 30, "\(method.name): distinct queries")
            XCTAssertEqual(log.calls, trace.queried, "\(method.name): the oracle saw exactly the trace")
            XCTAssertEqual(trace.test, trace.validation.map { $0 - 1 }, method.name)
        }
    }
}
