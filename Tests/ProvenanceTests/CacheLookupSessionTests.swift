import Foundation
import XCTest
import ArtifactStore
@testable import Provenance

/// `CacheLookupSession`: the per-run lookups answer like `Ledger.cachedRecord`.
final class CacheLookupSessionTests: XCTestCase {
    private var store: URL!

    override func setUpWithError() throws { store = try Fixture.store() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: store) }

    private func commitTwoStages(_ ledger: Ledger) throws -> CommitID {
        try ledger.commitRun(pipeline: "demo", records: [
            Fixture.record(stage: "a", output: Fixture.digest("A"), key: "k-a"),
            Fixture.record(stage: "b", output: Fixture.digest("B"), key: "k-b",
                           outcome: .cached(from: RecordLocation(pipeline: "x", commit: CommitID(String(repeating: "ab", count: 20))!,
                                                                 stage: "b"))),
        ], document: Data(), message: "run")
    }

    func testAnswersMatchTheLedgersOwnLookups() throws {
        let ledger = try Ledger(storeRoot: store)
        _ = try commitTwoStages(ledger)
        let session = ledger.lookupSession()
        for key in ["k-a", "k-b", "k-missing"].map({ Digest.sha256(Data($0.utf8)) }) {
            XCTAssertEqual(try session.cachedRecord(forCacheKey: key)?.location, try ledger.cachedRecord(forCacheKey: key)?.location)
            XCTAssertEqual(try session.cachedRecord(forCacheKey: key)?.record, try ledger.cachedRecord(forCacheKey: key)?.record)
        }
        XCTAssertNotNil(try session.cachedRecord(forCacheKey: Digest.sha256(Data("k-a".utf8))))
        XCTAssertNil(try session.cachedRecord(forCacheKey: Digest.sha256(Data("k-b".utf8))), "only executed records answer")
    }

    func testAnUnreadableShardIsRebuiltOnce() throws {
        let ledger = try Ledger(storeRoot: store)
        _ = try commitTwoStages(ledger)
        let key = Digest.sha256(Data("k-a".utf8))
        _ = try ledger.cachedRecord(forCacheKey: key)  // builds the index
        let shard = LedgerIndex(storeRoot: store).shardFile(.keys, key)
        try Data("{not json".utf8).write(to: shard)
        let hit = try ledger.lookupSession().cachedRecord(forCacheKey: key)
        XCTAssertEqual(hit?.record.stage, "a")
        XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(contentsOf: shard)), "the shard was rewritten")
    }
}
