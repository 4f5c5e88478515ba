import Foundation
import XCTest
import ArtifactStore
import Provenance
@testable import Pipeline

/// `test.items`: processes items 0..<count, each through `context.itemCache`;
/// records every executed item in the counter and throws after `fail_after`
/// executed items (0 = never), imitating an interruption mid-stage.
private struct ItemsOp: Op {
    let counter: ExecutionCounter

    var descriptor: OpDescriptor {
        OpDescriptor(name: "test.items", version: 1, summary: "item cache test op",
                     params: [ParamSpec("count", .int, default: 5, doc: "items"),
                              ParamSpec("fail_after", .int, default: 0, doc: "throw after this many executed items")],
                     inputs: [])
    }

    func run(_ context: OpContext) async throws -> OpResult {
        let count = try context.param("count", op: "test.items").intValue ?? 0
        let failAfter = try context.param("fail_after", op: "test.items").intValue ?? 0
        var executed = 0, total = 0
        for i in 0..<count {
            let item = ["index": "\(i)"]
            if let data = try context.itemCache?.load(item) {
                total += Int(String(decoding: data, as: UTF8.self))!
                continue
            }
            if failAfter > 0, executed == failAfter { throw PipelineError.opFailed(op: "test.items", reason: "interrupted") }
            counter.record("item\(i)")
            executed += 1
            try context.itemCache?.store(item, Data("\(i * i)".utf8))
            total += i * i
        }
        try Data("\(total)".utf8).write(to: context.outputDirectory.appendingPathComponent("sum.txt"))
        return OpResult(outputDirectory: context.outputDirectory)
    }
}

final class ItemCacheTests: XCTestCase {
    private var fixture: RunnerFixture!

    override func setUpWithError() throws { fixture = try RunnerFixture() }
    override func tearDown() { fixture.remove() }

    private func document(count: Int, failAfter: Int) -> String {
        """
        # Items

        ```stage work
        op: test.items
        with:
          count: \(count)
          fail_after: \(failAfter)
        ```
        """
    }

    private func run(_ text: String) async throws -> RunResult {
        fixture.counter.reset()
        var registry = OpRegistry.builtins
        registry.register(ItemsOp(counter: fixture.counter))
        let result = PipelineValidator(registry: registry, repositoryRoot: fixture.repo).check(text, path: "p.md", overrides: [])
        let pipeline = try XCTUnwrap(result.pipeline, "\(result.diagnostics)")
        let runner = try PipelineRunner(storeRoot: fixture.storeRoot, repositoryRoot: fixture.repo, registry: registry)
        return try await runner.run(pipeline, name: "items", document: Data(text.utf8), options: RunOptions(jobs: 1))
    }

    func testInterruptedStageReRunsOnlyTheRemainingItems() async throws {
        let failed = try await run(document(count: 6, failAfter: 4))
        XCTAssertFalse(failed.succeeded)
        XCTAssertEqual(fixture.counter.executed, ["item0", "item1", "item2", "item3"])

        // fail_after is a stage parameter, not an item parameter: the items keep their keys.
        let resumed = try await run(document(count: 6, failAfter: 0))
        XCTAssertTrue(resumed.succeeded)
        XCTAssertEqual(fixture.counter.executed, ["item4", "item5"])
        let output = try XCTUnwrap(resumed.report.outcomes["work"]?.output)
        XCTAssertEqual(try fixture.read(output, "sum.txt"), "55")  // 0 + 1 + 4 + 9 + 16 + 25

        // Growing the stage re-uses every finished item.
        _ = try await run(document(count: 8, failAfter: 0))
        XCTAssertEqual(fixture.counter.executed, ["item6", "item7"])
    }

    func testItemBlobsSurviveGarbageCollectionWhileTheirEntryExists() async throws {
        _ = try await run(document(count: 3, failAfter: 2))
        let store = DiskBlobStore(root: fixture.storeRoot)
        let roots = StoreItemCache.itemCacheRoots(storeRoot: fixture.storeRoot)
        XCTAssertEqual(roots, Set(["0", "1"].map { Digest.sha256(Data($0.utf8)) }))
        // Collect as `nasbook gc` does (ledger roots ∪ item roots): the item blobs stay, the resume finds them.
        let ledger = try Ledger(storeRoot: fixture.storeRoot)
        _ = try store.collectGarbage(dryRun: false) { try ledger.reachableDigests().union(roots) }
        _ = try await run(document(count: 3, failAfter: 0))
        XCTAssertEqual(fixture.counter.executed, ["item2"])
        // Without the item roots gc removes the blobs and the cache misses safely.
        try FileManager.default.removeItem(at: StoreItemCache.directory(storeRoot: fixture.storeRoot))
        _ = try store.collectGarbage(dryRun: false) { try ledger.reachableDigests() }
        let cache = StoreItemCache(store: store, op: "test.items", version: 1, inputs: [:])
        XCTAssertNil(try cache.load(["index": "0"]))
    }

    func testKeyRecordIsCanonicalSortedAndEscaped() {
        let digest = Digest.sha256(Data("x".utf8))
        let a = ItemKey(op: "o", version: 2, inputs: ["b": digest, "a": digest], item: ["z": "1", "y": "two\nlines"])
        let b = ItemKey(op: "o", version: 2, inputs: ["a": digest, "b": digest], item: ["y": "two\nlines", "z": "1"])
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.record, "op o\nversion 2\ninput a \(digest)\ninput b \(digest)\nitem y two\\nlines\nitem z 1\n")
        XCTAssertEqual(a.digest, Digest.sha256(Data(a.record.utf8)))
        XCTAssertNotEqual(a.digest, ItemKey(op: "o", version: 3, inputs: [:], item: ["z": "1"]).digest)
    }
}
