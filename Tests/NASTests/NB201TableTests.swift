import XCTest
@testable import NAS

final class NB201TableTests: XCTestCase {
    /// Every row parses; params agree with our count except for the rows the
    /// source averaged (measured: 204 of 15,625), which become warnings.
    func testCifar10TableParamsAndWarnings() throws {
        let table = try TestData.nb201Table.get()
        XCTAssertEqual(table.records.count, 15_625)
        XCTAssertEqual(table.records.map(\.arch), Array(0..<15_625))
        XCTAssertEqual(table.parameterWarnings.count, 204)
        let warned = Set(table.parameterWarnings.map(\.arch))
        let net = NB201Network.cifar10
        for record in table.records where !warned.contains(record.arch) {
            let ours = Double(net.parameterCount(record.cell)) / 1e6
            XCTAssertEqual(record.parametersMillions, ours, accuracy: 1e-6 * ours)
        }
        // arch 737 holds a whole-looking 0.171306M, the mean of 157,306 and 185,306.
        let w737 = try XCTUnwrap(table.parameterWarnings.first { $0.arch == 737 })
        XCTAssertEqual(w737.computed, 185_306)
        XCTAssertEqual(w737.tableMillions, 0.171306)
        XCTAssertEqual(table.records[0].cell.cellString,
                       "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|")
        XCTAssertEqual(try XCTUnwrap(table.records.map(\.testAccuracy).max()), 94.37, accuracy: 0.005)
        XCTAssertEqual(table.archIndex.arch(of: table.records[42].cell), 42)
        // The source left the NASWOT score empty exactly for the degenerate cells.
        XCTAssertEqual(table.records.filter { $0.naswotScore == nil }.count, 341)
        for record in table.records { XCTAssertEqual(record.naswotScore == nil, record.cell.isDegenerate, "\(record.arch)") }
        XCTAssertEqual(table.records[0].naswotScore, -776.4428597251838)
    }

    func testLowFidelityTableSharesTheArchIndex() throws {
        let reference = try TestData.nb201Table.get().archIndex
        let low = try NB201LowFidelityTable.load(path: TestData.nb201LowFidelity, reference: reference)
        XCTAssertEqual(low.records.count, 15_625)
        XCTAssertEqual(low.archIndex, reference)
        XCTAssertEqual(low.records[1].cifar10Test, 88.22)
    }

    let header = NB201Table.columns.joined(separator: ",")
    let row0 = "0,|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|,"
        + "0.129306,-776.44,85.86,81.98,81.52"

    func testMalformedRowsNameFileAndLine() {
        func load(_ lines: [String]) throws -> NB201Table {
            try NB201Table(csv: CSVFile(file: "b.csv", text: lines.joined(separator: "\n")))
        }
        XCTAssertThrowsError(try load([header, row0.replacingOccurrences(of: "avg_pool_3x3~0", with: "avg~0")])) {
            XCTAssertTrue("\($0)".hasPrefix("b.csv:2: invalid NAS-Bench-201 cell"), "\($0)")
            XCTAssertTrue("\($0)".contains("token 'avg~0'"), "\($0)")
        }
        XCTAssertThrowsError(try load([header, row0, row0])) {
            XCTAssertEqual("\($0)", "b.csv:3: arch 0 appears twice")
        }
        XCTAssertThrowsError(try load([header, row0.replacingOccurrences(of: "0.129306", with: "x")])) {
            XCTAssertEqual("\($0)", "b.csv:2: column 'params' is 'x', expected a finite number")
        }
        // A single valid row is still an incomplete table.
        XCTAssertThrowsError(try load([header, row0])) {
            XCTAssertEqual("\($0)", "b.csv:1: bad header: table has no row for arch 1")
        }
    }

    func testLowFidelityRowDisagreeingWithReferenceIsAnError() throws {
        let reference = try TestData.nb201Table.get().archIndex
        let header = NB201LowFidelityTable.columns.joined(separator: ",")
        let row = "0,|none~0|+|none~0|none~1|+|none~0|none~1|none~2|,1,2,3,4,5,6"
        XCTAssertThrowsError(try NB201LowFidelityTable(csv: CSVFile(file: "l.csv", text: header + "\n" + row),
                                                       reference: reference)) {
            XCTAssertTrue("\($0)".hasPrefix("l.csv:2: arch 0 is |none~0|"), "\($0)")
        }
    }
}
