import Foundation
import XCTest
import Provenance
@testable import Pipeline

/// `nasbook log` lines and JSON.
final class ReportTestsLog: XCTestCase {
    func testLinesAreNewestFirstWithOutcomeCounts() throws {
        let f = try ReportFixture()
        let runs = try f.ledger.runs(pipeline: "demo")
        XCTAssertEqual(runs.map(RunLog.line), [
            "\(f.run2.short)  2023-11-14T22:13:29.000Z  second run  [1 executed, 2 cached, 0 failed]",
            "\(f.run1.short)  2023-11-14T22:13:20.000Z  first run  [2 executed, 0 cached, 1 failed]",
        ])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: RunLog.json(runs)) as? [[String: Any]])
        XCTAssertEqual(json.count, 2)
        XCTAssertEqual(json[1]["commit"] as? String, f.run1.hex)
        XCTAssertEqual(json[1]["failed"] as? Int, 1)
        XCTAssertEqual(json[1]["stages"] as? [String: String],
                       ["ingest": "executed", "train": "executed", "plot": "failed"])
    }

    func testMultiLineMessageShowsItsFirstLine() throws {
        let f = try ReportFixture()
        let id = try f.ledger.commitRun(pipeline: "demo", records: [], document: Data(),
                                        message: "headline\nmore detail", time: Timestamp(millisecondsSince1970: 0))
        XCTAssertEqual(RunLog.line(try f.ledger.run(id)), "\(id.short)  1970-01-01T00:00:00.000Z  headline  [0 executed, 0 cached, 0 failed]")
    }

    func testRepeatsReadAsRepeatsOfTheRunTheyRestate() throws {
        let f = try ReportFixture()
        let repeated = try XCTUnwrap(try f.ledger.recordRepeat(pipeline: "demo", of: f.run2,
                                                            message: "run demo: 0 executed, 3 cached, 0 failed",
                                                            time: Timestamp(millisecondsSince1970: 1_700_000_100_000)))
        let runs = try f.ledger.runs(pipeline: "demo")
        XCTAssertEqual(runs.map(RunLog.line), [
            "\(repeated.short)  2023-11-14T22:15:00.000Z  repeat of \(f.run2.short): run demo: 0 executed, 3 cached, 0 failed  [0 executed, 3 cached, 0 failed]",
            "\(f.run2.short)  2023-11-14T22:13:29.000Z  second run  [1 executed, 2 cached, 0 failed]",
            "\(f.run1.short)  2023-11-14T22:13:20.000Z  first run  [2 executed, 0 cached, 1 failed]",
        ])
        XCTAssertEqual(try f.ledger.repeats(pipeline: "demo").map(\.commit), [repeated])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: RunLog.json(runs)) as? [[String: Any]])
        XCTAssertEqual(json[0]["repeat_of"] as? String, f.run2.hex)
        XCTAssertEqual(json[0]["cached"] as? Int, 3)
        XCTAssertNil(json[1]["repeat_of"])
    }
}
