import XCTest
@testable import NAS

final class CSVFileTests: XCTestCase {
    func testSplitsLinesWithBothLineEndsAndSkipsBlankLines() throws {
        let csv = try CSVFile(file: "x.csv", text: "a,b\r\n1,2\r\n\n3,\n")
        XCTAssertEqual(csv.header, ["a", "b"])
        XCTAssertEqual(csv.records.map(\.line), [2, 4])
        XCTAssertEqual(csv.records.map { $0.fields.map(String.init) }, [["1", "2"], ["3", ""]])
        XCTAssertThrowsError(try CSVFile(file: "e.csv", text: "")) {
            XCTAssertEqual("\($0)", "e.csv:1: bad header: file is empty")
        }
    }

    func testReadsZstdTablesAndRejectsTruncatedOnes() throws {
        let csv = try CSVFile.load(path: TestData.nb201LowFidelity)
        XCTAssertEqual(csv.header, NB201LowFidelityTable.columns)
        XCTAssertEqual(csv.records.count, 15_625)
        XCTAssertEqual(csv.records.last?.line, 15_626)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestData.nb201LowFidelity)))
        let cut = try TestData.temporaryFile("cut.csv.zst", Array(bytes.prefix(bytes.count / 2)))
        defer { try? FileManager.default.removeItem(atPath: cut) }
        XCTAssertThrowsError(try CSVFile.load(path: cut)) {
            XCTAssertEqual("\($0)", "\(cut): cannot read: zstd: truncated frame")
        }
        let garbage = try TestData.temporaryFile("bad.csv.zst", Array("not zstd".utf8))
        defer { try? FileManager.default.removeItem(atPath: garbage) }
        XCTAssertThrowsError(try CSVFile.load(path: garbage)) {
            XCTAssertTrue("\($0)".hasPrefix("\(garbage): cannot read: zstd: "), "\($0)")
        }
        XCTAssertThrowsError(try CSVFile.load(path: "/nonexistent/t.csv")) {
            XCTAssertEqual("\($0)", "/nonexistent/t.csv: cannot read: no such file or not readable")
        }
    }

    func testAZstdFileWithoutItsSuffixIsRecognisedByContentAndNamedAsAsked() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestData.nb201LowFidelity)))
        let bare = try TestData.temporaryFile("table", bytes)
        defer { try? FileManager.default.removeItem(atPath: bare) }
        let csv = try CSVFile.load(path: bare, name: "inputs/table")
        XCTAssertEqual(csv.file, "inputs/table")
        XCTAssertEqual(csv.records.count, 15_625)
        let cut = try TestData.temporaryFile("cut", Array(bytes.prefix(bytes.count / 2)))
        defer { try? FileManager.default.removeItem(atPath: cut) }
        XCTAssertThrowsError(try CSVFile.load(path: cut, name: "table")) {
            XCTAssertEqual("\($0)", "table: cannot read: zstd: truncated frame")
        }
    }
}
