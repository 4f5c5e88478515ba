import Foundation
import XCTest
import ArtifactStore
@testable import Provenance

/// Cache-key, producer and consumer indexes: answers, persistence and rebuilds.
final class LedgerIndexTests: XCTestCase {
    private var store: URL!

    override func setUpWithError() throws { store = try Fixture.store() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: store) }

    private var indexDir: URL { store.appendingPathComponent("index") }

    /// Two pipelines: `prep` makes `d`; `fit` reads `d` and makes `m`, then a re-run reuses it from cache.
    private func populate(_ ledger: Ledger) throws -> (prep: CommitID, fit: CommitID, rerun: CommitID) {
        let d = Fixture.digest("d"), m = Fixture.digest("m")
        let prep = try ledger.commitRun(pipeline: "prep", records: [
            Fixture.record(pipeline: "prep", stage: "data", output: d, key: "k-data", ended: 1_000),
        ], document: Data(), message: "prep")
        let fit = try ledger.commitRun(pipeline: "fit", records: [
            Fixture.record(pipeline: "fit", stage: "train", inputs: ["data": d], output: m, key: "k-train", ended: 2_000),
        ], document: Data(), message: "fit")
        let rerun = try ledger.commitRun(pipeline: "fit", records: [
            Fixture.record(pipeline: "fit", stage: "train", inputs: ["data": d], output: m, key: "k-train",
                           outcome: .cached(from: RecordLocation(pipeline: "fit", commit: fit, stage: "train")),
                           ended: 3_000),
        ], document: Data(), message: "rerun")
        return (prep, fit, rerun)
    }

    private func assertAnswers(_ ledger: Ledger, _ c: (prep: CommitID, fit: CommitID, rerun: CommitID),
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let key = Digest.sha256(Data("k-train".utf8))
        let hit = try ledger.cachedRecord(forCacheKey: key)
        // The cached re-run is newer, but only executed records answer cache lookups.
        XCTAssertEqual(hit?.location, RecordLocation(pipeline: "fit", commit: c.fit, stage: "train"), file: file, line: line)
        XCTAssertEqual(hit?.record.outcome, .executed, file: file, line: line)
        XCTAssertEqual(try ledger.record(forCacheKey: key), hit?.record, file: file, line: line)
        XCTAssertNil(try ledger.record(forCacheKey: Digest.sha256(Data("k-missing".utf8))), file: file, line: line)
        XCTAssertEqual(try ledger.producers(of: Fixture.digest("m")),
                       [RecordLocation(pipeline: "fit", commit: c.rerun, stage: "train"),
                        RecordLocation(pipeline: "fit", commit: c.fit, stage: "train")], file: file, line: line)
        XCTAssertEqual(try ledger.producers(of: Fixture.digest("d")),
                       [RecordLocation(pipeline: "prep", commit: c.prep, stage: "data")], file: file, line: line)
        XCTAssertEqual(try ledger.consumers(of: Fixture.digest("d")).map(\.commit), [c.rerun, c.fit], file: file, line: line)
        XCTAssertEqual(try ledger.consumers(of: Fixture.digest("m")), [], file: file, line: line)
    }

    func testLookupsAnswerFromTheIndex() throws {
        let ledger = try Ledger(storeRoot: store)
        let commits = try populate(ledger)
        try assertAnswers(ledger, commits)
        XCTAssertTrue(FileManager.default.fileExists(atPath: indexDir.appendingPathComponent("tips.json").path))
        let key = Digest.sha256(Data("k-train".utf8))
        let shard = LedgerIndex(storeRoot: store).shardFile(.keys, key)
        XCTAssertEqual(shard.lastPathComponent, "\(key.hex.prefix(2)).json")
        let onDisk = try JSONDecoder().decode([String: IndexEntry].self, from: Data(contentsOf: shard))
        XCTAssertEqual(onDisk[key.hex]?.location, RecordLocation(pipeline: "fit", commit: commits.fit, stage: "train"))
    }

    func testIndexSurvivesReopening() throws {
        let commits = try populate(try Ledger(storeRoot: store))
        let tipsBefore = try Data(contentsOf: indexDir.appendingPathComponent("tips.json"))
        let reopened = try Ledger(storeRoot: store)
        try assertAnswers(reopened, commits)
        // Answering did not need a rebuild: the covered tips are unchanged on disk.
        XCTAssertEqual(try Data(contentsOf: indexDir.appendingPathComponent("tips.json")), tipsBefore)
    }

    func testIndexIsRebuiltAfterDeletion() throws {
        let ledger = try Ledger(storeRoot: store)
        let commits = try populate(ledger)
        try FileManager.default.removeItem(at: indexDir)
        try assertAnswers(try Ledger(storeRoot: store), commits)
        XCTAssertTrue(FileManager.default.fileExists(atPath: indexDir.appendingPathComponent("tips.json").path))
    }

    func testStaleIndexCatchesUpWithCommitsItNeverSaw() throws {
        let ledger = try Ledger(storeRoot: store)
        let commits = try populate(ledger)
        // Simulate a writer that crashed after moving its ref but before updating the index:
        // restore the index files as they were before the last commit.
        let saved = store.appendingPathComponent("saved-index")
        try FileManager.default.copyItem(at: indexDir, to: saved)
        let later = try ledger.commitRun(pipeline: "fit", records: [
            Fixture.record(pipeline: "fit", stage: "train", inputs: ["data": Fixture.digest("d")],
                           output: Fixture.digest("m2"), key: "k-train", ended: 4_000),
        ], document: Data(), message: "retrain")
        try FileManager.default.removeItem(at: indexDir)
        try FileManager.default.moveItem(at: saved, to: indexDir)
        let reopened = try Ledger(storeRoot: store)
        XCTAssertEqual(try reopened.cachedRecord(forCacheKey: Digest.sha256(Data("k-train".utf8)))?.location.commit, later)
        XCTAssertEqual(try reopened.producers(of: Fixture.digest("m2")).map(\.commit), [later])
        XCTAssertEqual(try reopened.consumers(of: Fixture.digest("d")).map(\.commit), [later, commits.rerun, commits.fit])
    }

    func testCorruptIndexFileIsRebuilt() throws {
        let ledger = try Ledger(storeRoot: store)
        let commits = try populate(ledger)
        let index = LedgerIndex(storeRoot: store)
        try Data("{not json".utf8).write(to: index.shardFile(.producers, Fixture.digest("m")))
        try assertAnswers(ledger, commits)
        // A corrupt shard met during an incremental update also forces a rebuild, not data loss.
        try Data("[]".utf8).write(to: index.shardFile(.consumers, Fixture.digest("d")))
        let later = try ledger.commitRun(pipeline: "prep", records: [
            Fixture.record(pipeline: "prep", stage: "more", inputs: ["d": Fixture.digest("d")], output: Fixture.digest("n")),
        ], document: Data(), message: "more")
        XCTAssertEqual(try ledger.consumers(of: Fixture.digest("d")).map(\.commit), [later, commits.rerun, commits.fit])
    }

    func testRemovedRefTriggersFullRebuild() throws {
        let ledger = try Ledger(storeRoot: store)
        _ = try populate(ledger)
        let ref = store.appendingPathComponent(".git/refs/heads/pipelines/prep")
        try FileManager.default.removeItem(at: ref) // as `git update-ref -d` would
        XCTAssertEqual(try ledger.producers(of: Fixture.digest("d")), [], "entries of an unreachable ref must go")
        XCTAssertEqual(try ledger.pipelines(), ["fit"])
    }

    func testReachableDigestsCoverEveryRecord() throws {
        let ledger = try Ledger(storeRoot: store)
        _ = try populate(ledger)
        let failed = Fixture.record(pipeline: "fit", stage: "eval", inputs: ["model": Fixture.digest("m"),
                                                                             "extra": Fixture.digest("x")],
                                    output: nil, outcome: .failed(message: "diverged"))
        try ledger.commitRun(pipeline: "fit", records: [failed], document: Data(), message: "failed eval")
        XCTAssertEqual(try ledger.reachableDigests(), Set(["d", "m", "x"].map(Fixture.digest)))
        // Deleting the index cannot shrink the roots: they come from the ledger itself.
        try FileManager.default.removeItem(at: indexDir)
        XCTAssertEqual(try ledger.reachableDigests().count, 3)
    }

    func testReachableDigestsIncludeRecordsOnlyReachableFromOtherRefs() throws {
        let ledger = try Ledger(storeRoot: store)
        let old = try ledger.commitRun(pipeline: "p", records: [Fixture.record(pipeline: "p", stage: "s", output: Fixture.digest("old"))],
                                       document: Data(), message: "old")
        try ledger.commitRun(pipeline: "p", records: [], document: Data(), message: "new")
        let repo = try ledger.open()
        XCTAssertTrue(try repo.compareAndSwap("refs/tags/keep", to: old, expected: nil, log: "test"))
        XCTAssertEqual(try ledger.reachableDigests(), [Fixture.digest("old")])
        XCTAssertEqual(try Ledger(storeRoot: try Fixture.store()).reachableDigests(), [], "empty ledger")
    }
}
