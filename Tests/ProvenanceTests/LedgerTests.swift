import Foundation
import XCTest
import ArtifactStore
@testable import Provenance

final class LedgerTests: XCTestCase {
    private var store: URL!

    override func setUpWithError() throws { store = try Fixture.store() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: store) }

    private let document = Data("# Demo\n\n```stage train\nop: test.op\n```\n".utf8)

    func testCommittedRecordsReadBackEqual() throws {
        let ledger = try Ledger(storeRoot: store)
        let a = Fixture.record(stage: "data", params: ["n": 10, "frac": 0.25], output: Fixture.digest("d"))
        let b = Fixture.record(stage: "train", params: ["opt": ["lr": 0.1]], inputs: ["data": Fixture.digest("d")],
                               output: Fixture.digest("m"))
        let time = Timestamp(millisecondsSince1970: 1_700_000_010_250)
        // Committed in non-alphabetical order: the run keeps the given order.
        let commit = try ledger.commitRun(pipeline: "demo", records: [b, a], document: document,
                                          message: "first run", time: time)
        let runs = try ledger.runs(pipeline: "demo")
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs[0].commit, commit)
        XCTAssertNil(runs[0].parent)
        XCTAssertEqual(runs[0].time, time)
        XCTAssertEqual(runs[0].message, "first run")
        XCTAssertEqual(runs[0].records, [b, a])
        XCTAssertEqual(try ledger.record(at: RecordLocation(pipeline: "demo", commit: commit, stage: "data")), a)
        XCTAssertEqual(try ledger.document(of: commit), document)
        XCTAssertEqual(try ledger.pipelines(), ["demo"])
        XCTAssertEqual(try ledger.tip(pipeline: "demo"), commit)

        // A reopened ledger (a new process, as far as libgit2 is concerned) reads the same.
        let reopened = try Ledger(storeRoot: store)
        XCTAssertEqual(try reopened.runs(pipeline: "demo"), runs)
    }

    func testRunsAreNewestFirstAndLinear() throws {
        let ledger = try Ledger(storeRoot: store)
        var commits: [CommitID] = []
        for i in 0..<4 {
            commits.append(try ledger.commitRun(pipeline: "demo", records: [Fixture.record(stage: "s", output: Fixture.digest("o\(i)"))],
                                                document: document, message: "run \(i)"))
        }
        let runs = try ledger.runs(pipeline: "demo")
        XCTAssertEqual(runs.map(\.commit), commits.reversed())
        XCTAssertEqual(runs.map(\.message), ["run 3", "run 2", "run 1", "run 0"])
        XCTAssertEqual(runs.dropLast().map(\.parent), runs.dropFirst().map(\.commit))
        XCTAssertEqual(try ledger.runs(pipeline: "demo", limit: 2).map(\.commit), Array(commits.reversed().prefix(2)))
        XCTAssertEqual(try ledger.runs(pipeline: "never-ran"), [])
    }

    func testInvalidNamesAreRejected() throws {
        let ledger = try Ledger(storeRoot: store)
        for bad in ["", "a/b", "..", ".hidden", "x.lock", "a..b", "sp ace", "tilde~1"] {
            XCTAssertThrowsError(try ledger.commitRun(pipeline: bad, records: [], document: document, message: "m"),
                                 "pipeline name '\(bad)'") { error in
                guard case ProvenanceError.invalidPipelineName = error else { return XCTFail("got \(error)") }
            }
        }
        XCTAssertThrowsError(try ledger.commitRun(pipeline: "demo", records: [Fixture.record(stage: "a/b", output: nil)],
                                                  document: document, message: "m")) { error in
            guard case ProvenanceError.invalidStageName = error else { return XCTFail("got \(error)") }
        }
        let dup = Fixture.record(stage: "s", output: Fixture.digest("x"))
        XCTAssertThrowsError(try ledger.commitRun(pipeline: "demo", records: [dup, dup], document: document, message: "m")) {
            XCTAssertEqual($0 as? ProvenanceError, .duplicateStage("s", pipeline: "demo"))
        }
        let foreign = Fixture.record(pipeline: "other", stage: "s", output: nil)
        XCTAssertThrowsError(try ledger.commitRun(pipeline: "demo", records: [foreign], document: document, message: "m"))
        XCTAssertEqual(try ledger.pipelines(), [], "nothing may be committed by a rejected run")
    }

    func testStockGitAcceptsTheLedger() throws {
        let ledger = try Ledger(storeRoot: store)
        let d = Fixture.digest("d")
        try ledger.commitRun(pipeline: "alpha", records: [Fixture.record(pipeline: "alpha", stage: "data", output: d)],
                             document: document, message: "alpha run")
        try ledger.commitRun(pipeline: "alpha", records: [], document: document, message: "empty run")
        try ledger.commitRun(pipeline: "beta", records: [Fixture.record(pipeline: "beta", stage: "use", inputs: ["d": d],
                                                                       output: Fixture.digest("e"))],
                             document: document, message: "beta run")
        guard let log = try Fixture.git(["log", "--all", "--format=%H %an <%ae> %s"], in: store) else {
            throw XCTSkip("/usr/bin/git not installed")
        }
        XCTAssertEqual(log.status, 0, log.output)
        XCTAssertEqual(log.output.split(separator: "\n").count, 3, log.output)
        XCTAssertTrue(log.output.contains("nasbook <nasbook@localhost> beta run"), log.output)
        let fsck = try Fixture.git(["fsck", "--strict", "--no-dangling"], in: store)!
        XCTAssertEqual(fsck.status, 0, fsck.output)
        let show = try Fixture.git(["show", "pipelines/alpha~1:records/data.json"], in: store)!
        XCTAssertEqual(show.status, 0, show.output)
        XCTAssertEqual(Data(show.output.utf8),
                       try Fixture.record(pipeline: "alpha", stage: "data", output: d).canonicalJSON())
        // The working tree (the artifact store) is never touched or tracked.
        let status = try Fixture.git(["status", "--porcelain"], in: store)!
        XCTAssertEqual(status.output, "")
    }

    func testLedgerDoesNotAdoptAnEnclosingRepository() throws {
        // Stores often live inside a project checkout; the ledger must be its own repo.
        let outer = try Ledger(storeRoot: store)
        try outer.commitRun(pipeline: "outer", records: [], document: document, message: "m")
        let inner = try Ledger(storeRoot: store.appendingPathComponent("nested/artifacts"))
        XCTAssertEqual(try inner.pipelines(), [])
        XCTAssertTrue(FileManager.default.fileExists(atPath: store.appendingPathComponent("nested/artifacts/.git/HEAD").path))
    }

    func testLibgit2FailuresCarryLibgit2Message() throws {
        let ledger = try Ledger(storeRoot: store)
        let missing = CommitID(String(repeating: "0", count: 40))!
        XCTAssertThrowsError(try ledger.run(missing)) { error in
            guard case let ProvenanceError.git(operation, code, message) = error else { return XCTFail("got \(error)") }
            XCTAssertTrue(operation.contains(missing.hex), operation)
            XCTAssertEqual(code, -3, "GIT_ENOTFOUND")
            XCTAssertFalse(message.isEmpty)
            XCTAssertFalse("\(error)".contains("\n"), "messages are one line")
        }
        XCTAssertThrowsError(try ledger.record(at: RecordLocation(pipeline: "demo", commit: missing, stage: "s")))
    }

    func testVisitRunsStopsWhenTheVisitorSaysSo() throws {
        let ledger = try Ledger(storeRoot: store)
        var commits: [CommitID] = []
        for i in 0..<3 {
            commits.append(try ledger.commitRun(pipeline: "demo", records: [], document: Data(), message: "run \(i)"))
        }
        var seen: [CommitID] = []
        try ledger.visitRuns(pipeline: "demo") { seen.append($0.commit); return seen.count < 2 }
        XCTAssertEqual(seen, [commits[2], commits[1]], "newest first, and no run read after the visitor stopped")
        seen = []
        try ledger.visitRuns(pipeline: "demo", limit: 1) { seen.append($0.commit); return true }
        XCTAssertEqual(seen, [commits[2]])
        try ledger.visitRuns(pipeline: "none") { _ in XCTFail("a pipeline without a ref has no runs"); return true }
    }
}
