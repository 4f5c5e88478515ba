import Foundation
import XCTest
import ArtifactStore
@testable import Provenance

/// Repeats: no-op runs committed cheaply, reusing the tree of the run they restate.
final class LedgerRepeatTests: XCTestCase {
    private var store: URL!

    override func setUpWithError() throws { store = try Fixture.store() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: store) }

    private let document = Data("# demo\n".utf8)

    /// One executed run of two stages; returns its commit and its records.
    private func executedRun(_ ledger: Ledger) throws -> (CommitID, [RunRecord]) {
        let records = [
            Fixture.record(stage: "a", output: Fixture.digest("A"), key: "k-a"),
            Fixture.record(stage: "b", inputs: ["a": Fixture.digest("A")], output: Fixture.digest("B"), key: "k-b"),
        ]
        return (try ledger.commitRun(pipeline: "demo", records: records, document: document, message: "run"), records)
    }

    /// The same records as cache reuses of `commit`, as a no-op re-run would produce them.
    private func reuses(_ records: [RunRecord], of commit: CommitID) -> [RunRecord] {
        records.map { record in
            var copy = record
            copy.outcome = .cached(from: RecordLocation(pipeline: "demo", commit: commit, stage: record.stage))
            copy.ended = Timestamp(millisecondsSince1970: record.ended.millisecondsSince1970 + 60_000)
            return copy
        }
    }

    func testAnExactRestatementOfTheTipIsARepeat() throws {
        let ledger = try Ledger(storeRoot: store)
        let (tip, records) = try executedRun(ledger)
        XCTAssertEqual(try ledger.tipRepeated(by: reuses(records, of: tip), pipeline: "demo", document: document), tip)
    }

    func testAnyDifferenceIsNotARepeat() throws {
        let ledger = try Ledger(storeRoot: store)
        let (tip, records) = try executedRun(ledger)
        let again = reuses(records, of: tip)
        XCTAssertNil(try ledger.tipRepeated(by: again, pipeline: "demo", document: Data("# edited\n".utf8)), "document")
        XCTAssertNil(try ledger.tipRepeated(by: Array(again.prefix(1)), pipeline: "demo", document: document), "stage set")
        var otherOutput = again
        otherOutput[1].output = Fixture.digest("B2")
        XCTAssertNil(try ledger.tipRepeated(by: otherOutput, pipeline: "demo", document: document), "output")
        var otherKey = again
        otherKey[0].cacheKey = Fixture.digest("k-a2")
        XCTAssertNil(try ledger.tipRepeated(by: otherKey, pipeline: "demo", document: document), "key")
        XCTAssertNil(try ledger.tipRepeated(by: records, pipeline: "demo", document: document), "executed records")
        XCTAssertNil(try ledger.tipRepeated(by: again, pipeline: "other", document: document), "no tip")
    }

    func testRepeatsAreCommitsThatReuseTheRestatedTreeAndAreNotIndexed() throws {
        let ledger = try Ledger(storeRoot: store)
        let (tip, records) = try executedRun(ledger)
        XCTAssertEqual(try ledger.repeats(pipeline: "demo"), [], "an executed run is not a repeat")
        let first = try XCTUnwrap(try ledger.recordRepeat(pipeline: "demo", of: tip,
                                                         message: "run demo: 0 executed, 2 cached\n\n--set a.x=1",
                                                         time: Timestamp(millisecondsSince1970: 1_700_000_100_000)))
        let second = try XCTUnwrap(try ledger.recordRepeat(pipeline: "demo", of: first, message: "second",
                                                          time: Timestamp(millisecondsSince1970: 1_700_000_200_000)))
        XCTAssertEqual(try ledger.tip(pipeline: "demo"), second)
        let runs = try ledger.runs(pipeline: "demo")
        XCTAssertEqual(runs.map(\.commit), [second, first, tip])
        XCTAssertEqual(runs.map(\.repeatOf), [tip, tip, nil], "a repeat of a repeat names the executed run")
        XCTAssertEqual(runs[0].message, "second")
        XCTAssertEqual(runs[1].message, "run demo: 0 executed, 2 cached\n\n--set a.x=1")
        XCTAssertEqual(runs[1].time, Timestamp(millisecondsSince1970: 1_700_000_100_000))
        XCTAssertEqual(runs[0].records, runs[2].records, "same tree")
        XCTAssertEqual(try ledger.repeats(pipeline: "demo").map(\.commit), [second, first])
        // The index skips repeats: the producer of B is still only the executed run.
        XCTAssertEqual(try ledger.producers(of: Fixture.digest("B")).map(\.commit), [tip])
        XCTAssertEqual(try ledger.cachedRecord(forCacheKey: records[1].cacheKey)?.location.commit, tip)
        if let log = try Fixture.git(["log", "--format=%s", "refs/heads/pipelines/demo"], in: store) {
            XCTAssertEqual(log.status, 0, log.output)
            XCTAssertTrue(log.output.hasPrefix("repeat of \(tip.hex): second\nrepeat of \(tip.hex): run demo"), log.output)
            let fsck = try Fixture.git(["fsck", "--strict", "--no-dangling"], in: store)!
            XCTAssertEqual(fsck.status, 0, fsck.output)
        }
    }

    func testARepeatOfAStaleTipRecordsNothing() throws {
        let ledger = try Ledger(storeRoot: store)
        let (first, records) = try executedRun(ledger)
        let second = try ledger.commitRun(pipeline: "demo", records: reuses(records, of: first), document: document,
                                          message: "moved")
        XCTAssertNotEqual(first, second)
        XCTAssertNil(try ledger.recordRepeat(pipeline: "demo", of: first, message: "late"))
        XCTAssertEqual(try ledger.tip(pipeline: "demo"), second)
        XCTAssertEqual(try ledger.repeats(pipeline: "demo"), [])
    }
}
