import XCTest
@testable import NAS

final class NB101TableTests: XCTestCase {
    /// Loading validates every one of the 20,001 rows: our fingerprint equals
    /// the `hash` column and our parameter count the `params` column.
    func testEveryRowReproducesHashAndParams() throws {
        let table = try TestData.nb101Table.get()
        XCTAssertEqual(table.records.count, 20_001)
        var hasher = NB101Fingerprinter()
        for record in table.records {
            XCTAssertEqual(hasher.digest(rows: record.cell.rows, labels: record.cell.fingerprintLabels).hex, record.hash)
            XCTAssertEqual(NB101Network.cifar10.parameterCount(record.cell), record.parameters)
        }
        let first = try XCTUnwrap(table.record(hash: "00005c142e6f48ac74fdcf73e3439874"))
        XCTAssertEqual(first.parameters, 8_555_530)
        XCTAssertEqual(first.validationAccuracy108, 0.9304887652397156)
        let best = table.records.map(\.validationAccuracy108).max()!
        XCTAssertEqual(best, 0.949, accuracy: 0.0005)
    }

    let header = NB101Table.columns.joined(separator: ",")
    let good = "00005c142e6f48ac74fdcf73e3439874,7,9,0100110001000000010010000010000001000000010000000,"
        + "input|conv3x3-bn-relu|maxpool3x3|conv3x3-bn-relu|conv3x3-bn-relu|conv1x1-bn-relu|output,"
        + "0.36,0.42,0.90,0.93,1768.9,8555530"

    func load(_ lines: [String]) throws -> NB101Table {
        try NB101Table(csv: CSVFile(file: "t.csv", text: lines.joined(separator: "\n") + "\n"))
    }

    func testAcceptsAGoodRow() throws {
        XCTAssertEqual(try load([header, good]).records.count, 1)
    }

    func testMalformedRowsNameFileAndLine() {
        let cases: [(String, String)] = [
            (good.replacingOccurrences(of: "00005c14", with: "11115c14"), "t.csv:3: hash 11115c14"),
            (good.replacingOccurrences(of: ",8555530", with: ",8555531"), "t.csv:3: params 8555531 disagree"),
            (good.replacingOccurrences(of: ",0.42,", with: ",zero,"), "t.csv:3: column 'val_acc_12' is 'zero'"),
            (good.replacingOccurrences(of: ",1768.9", with: ""), "t.csv:3: 10 fields, expected 11"),
            (good.replacingOccurrences(of: ",0100110001", with: ",0100110002"), "t.csv:3: invalid NAS-Bench-101 cell"),
            (good.replacingOccurrences(of: ",7,9,", with: ",7,8,"), "t.csv:3: num_vertices/num_edges 7/8"),
        ]
        for (row, prefix) in cases {
            XCTAssertThrowsError(try load([header, good, row])) { error in
                XCTAssertTrue("\(error)".hasPrefix(prefix), "\(error)")
            }
        }
        XCTAssertThrowsError(try load([header, good, good])) {
            XCTAssertTrue("\($0)".hasPrefix("t.csv:3: duplicate hash"), "\($0)")
        }
        XCTAssertThrowsError(try load(["hash,num_vertices", good])) {
            XCTAssertTrue("\($0)".hasPrefix("t.csv:1: bad header"), "\($0)")
        }
    }
}
