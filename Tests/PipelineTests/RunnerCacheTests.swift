import Foundation
import XCTest
import ArtifactStore
import Provenance
@testable import Pipeline

/// Store-backed caching: hits skip execution, only what changed re-runs,
/// early cutoff, run-cache reuse across pipelines, failure and resume.
final class RunnerCacheTests: XCTestCase {
    private var fixture: RunnerFixture!

    override func setUpWithError() throws { fixture = try RunnerFixture() }
    override func tearDown() { fixture.remove() }

    func testSecondRunIsAllCacheHitsAndIsCommittedAsARepeatOfTheTip() async throws {
        let first = try await fixture.run(diamond)
        XCTAssertTrue(first.succeeded)
        XCTAssertEqual(fixture.counter.executed, ["a", "b", "c", "d"])
        let d = try XCTUnwrap(first.report.outcomes["d"]?.output)
        XCTAssertEqual(try fixture.read(d, "value.txt"), "D|B|A|C|A")

        let second = try await fixture.run(diamond)
        XCTAssertEqual(fixture.counter.total, 0)
        XCTAssertEqual(Set(second.report.cached), ["a", "b", "c", "d"])
        XCTAssertEqual(second.report.outcomes["d"]?.output, d)
        // Nothing changed: the run is a cheap commit on the tip reusing its tree.
        XCTAssertTrue(second.repeated)
        let ledger = try Ledger(storeRoot: fixture.storeRoot)
        let runs = try ledger.runs(pipeline: "p")
        XCTAssertEqual(runs.map(\.commit), [second.commit, first.commit].compactMap { $0 })
        XCTAssertEqual(runs[0].repeatOf, first.commit)
        XCTAssertEqual(runs[0].parent, first.commit)
        XCTAssertTrue(runs[0].message.hasPrefix("run p: 0 executed, 4 cached, 0 failed (host "), runs[0].message)
        XCTAssertEqual(try ledger.repeats(pipeline: "p").map(\.commit), [second.commit].compactMap { $0 })
        // A third no-op run restates the same executed run, not the repeat.
        let third = try await fixture.run(diamond)
        XCTAssertTrue(third.repeated)
        XCTAssertEqual(try ledger.runs(pipeline: "p").first?.repeatOf, first.commit)
        XCTAssertEqual(try ledger.runs(pipeline: "p").first?.parent, second.commit)
        XCTAssertEqual(second.records.count, 4, "the result still carries the cached records")
    }

    func testAllCachedRunWithAnEditedDocumentIsOneCommitOfCacheReuses() async throws {
        let first = try await fixture.run(diamond)
        let edited = diamond.replacingOccurrences(of: "Prose.", with: "Other prose.")
        let second = try await fixture.run(edited)
        XCTAssertEqual(fixture.counter.total, 0)
        XCTAssertFalse(second.repeated, "a new document snapshot is worth a commit")

        let ledger = try Ledger(storeRoot: fixture.storeRoot)
        let runs = try ledger.runs(pipeline: "p")
        XCTAssertEqual(runs.count, 2)
        XCTAssertEqual(runs.map(\.commit), [second.commit, first.commit].compactMap { $0 })
        XCTAssertEqual(Set(runs[1].records.map(\.stage)), ["a", "b", "c", "d"])
        XCTAssertTrue(runs[1].records.allSatisfy { $0.outcome == .executed })
        for record in runs[0].records {
            guard case let .cached(from) = record.outcome else { return XCTFail("\(record.stage) not cached") }
            XCTAssertEqual(from.commit, first.commit)
            XCTAssertEqual(record.output, runs[1].records.first { $0.stage == record.stage }?.output)
        }
        XCTAssertEqual(runs[0].message, "run p: 0 executed, 4 cached, 0 failed")
        XCTAssertEqual(String(decoding: try ledger.document(of: runs[0].commit), as: UTF8.self), edited)
        XCTAssertEqual(try ledger.repeats(pipeline: "p"), [])

        // Running the edited document again repeats the new tip.
        let third = try await fixture.run(edited)
        XCTAssertTrue(third.repeated)
        XCTAssertEqual(try ledger.run(XCTUnwrap(third.commit)).repeatOf, second.commit)
    }

    func testProseEditReRunsNothing() async throws {
        try await fixture.run(diamond)
        let edited = diamond.replacingOccurrences(of: "Prose.", with: "Completely *different* prose.\n\nMore.")
        let result = try await fixture.run(edited)
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(fixture.counter.total, 0)
    }

    func testParamChangeReRunsThatStageAndItsDependants() async throws {
        try await fixture.run(diamond)
        let result = try await fixture.run(diamond, overrides: ["b.value=B2"])
        XCTAssertEqual(fixture.counter.executed, ["b", "d"])
        XCTAssertEqual(Set(result.report.cached), ["a", "c"])
        let record = try XCTUnwrap(result.records.first { $0.stage == "b" })
        XCTAssertEqual(record.params["value"], "B2")
        XCTAssertEqual(try Ledger(storeRoot: fixture.storeRoot).runs(pipeline: "p", limit: 1).first?.message,
                       "run p: 2 executed, 2 cached, 0 failed\n\n--set b.value=B2")
    }

    func testIntForDoubleParamGivesTheSameKeyAsTheDouble() async throws {
        try await fixture.run(diamond, overrides: ["a.scale=2.0"])
        try await fixture.run(diamond, overrides: ["a.scale=2"])
        XCTAssertEqual(fixture.counter.total, 0)
    }

    func testEarlyCutoffSparesDependantsOfAnIdenticalOutput() async throws {
        try await fixture.run(diamond)
        // `label` changes a's key but not its bytes: only a re-runs.
        let result = try await fixture.run(diamond, overrides: ["a.label=renamed"])
        XCTAssertEqual(fixture.counter.executed, ["a"])
        XCTAssertEqual(Set(result.report.cached), ["b", "c", "d"])
    }

    func testRunCacheRestoresAcrossPipelinesWithoutExecuting() async throws {
        try await fixture.run(diamond, name: "first")
        try await fixture.run(diamond, name: "first", overrides: ["a.value=Z"])
        XCTAssertEqual(fixture.counter.executed, ["a", "b", "c", "d"])
        // Switching the param back in another pipeline restores every stage from the first one's history.
        let back = try await fixture.run(diamond, name: "second")
        XCTAssertEqual(fixture.counter.total, 0)
        XCTAssertEqual(Set(back.report.cached), ["a", "b", "c", "d"])
        for record in back.records {
            guard case let .cached(from) = record.outcome else { return XCTFail("not cached") }
            XCTAssertEqual(from.pipeline, "first")
        }
    }

    func testForceExecutesACachedStage() async throws {
        try await fixture.run(diamond)
        let result = try await fixture.run(diamond, options: RunOptions(jobs: 1, force: ["c"]))
        // c re-ran to the same bytes, so d stays cached (early cutoff).
        XCTAssertEqual(fixture.counter.executed, ["c"])
        XCTAssertEqual(result.report.executed, ["c"])
    }

    func testUntilRunsOnlyTheAncestors() async throws {
        let result = try await fixture.run(diamond, options: RunOptions(jobs: 2, until: "b"))
        XCTAssertEqual(fixture.counter.executed, ["a", "b"])
        XCTAssertEqual(Set(result.records.map(\.stage)), ["a", "b"])
    }

    func testFailureKeepsCompletedOutputsAndTheNextRunResumes() async throws {
        fixture.counter.setFailing(["b"])
        let failed = try await fixture.run(diamond, options: RunOptions(jobs: 1))
        XCTAssertFalse(failed.succeeded)
        XCTAssertEqual(fixture.counter.executed, ["a", "b", "c"])
        XCTAssertEqual(failed.report.outcomes["d"], .skipped(upstream: "b"))
        let records = Dictionary(uniqueKeysWithValues: failed.records.map { ($0.stage, $0) })
        XCTAssertEqual(Set(records.keys), ["a", "b", "c"])
        XCTAssertEqual(records["b"]?.outcome, .failed(message: "op 'test.count' failed: asked to fail"))
        XCTAssertNil(records["b"]?.output)
        XCTAssertNotNil(failed.commit)
        XCTAssertEqual(try Ledger(storeRoot: fixture.storeRoot).runs(pipeline: "p", limit: 1).first?.message,
                       "run p: 2 executed, 0 cached, 1 failed, 1 skipped")

        fixture.counter.setFailing([])
        let resumed = try await fixture.run(diamond, options: RunOptions(jobs: 1))
        XCTAssertTrue(resumed.succeeded)
        XCTAssertEqual(fixture.counter.executed, ["b", "d"])
        XCTAssertEqual(Set(resumed.report.cached), ["a", "c"])
    }

    func testDryRunExecutesAndRecordsNothing() async throws {
        try await fixture.run(diamond)
        let dry = try await fixture.run(diamond, overrides: ["c.value=C2"], options: RunOptions(dryRun: true))
        XCTAssertEqual(fixture.counter.total, 0)
        XCTAssertEqual(dry.wouldRun, ["c", "d"])
        XCTAssertNil(dry.commit)
        XCTAssertEqual(try Ledger(storeRoot: fixture.storeRoot).runs(pipeline: "p").count, 1)
    }

    func testCancellationRecordsOnlyFinishedStages() async throws {
        let text = """
            ```stage fast
            op: test.count
            ```

            ```stage slow
            run: sleep 30; echo done > out.txt
            outputs: [out.txt]
            ```
            """
        let pipeline = try fixture.validate(text)
        let runner = try fixture.runner()
        let started = expectation(description: "slow started")
        let task = Task {
            try await runner.run(pipeline, name: "p", document: Data(text.utf8), options: RunOptions(jobs: 2)) { event in
                if case .started("slow") = event { started.fulfill() }
            }
        }
        await fulfillment(of: [started], timeout: 20)
        try await Task.sleep(nanoseconds: 200_000_000)
        task.cancel()
        let result = try await task.value
        XCTAssertTrue(result.interrupted)
        XCTAssertEqual(result.report.outcomes["slow"], .cancelled)
        XCTAssertEqual(result.records.map(\.stage), ["fast"])
        let tmp = fixture.storeRoot.appendingPathComponent("tmp")
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: tmp.path))?.filter { $0.hasPrefix("run-") }
        XCTAssertEqual(leftovers ?? [], [])
    }
}
