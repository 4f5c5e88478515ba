import Foundation
import XCTest
import ArtifactStore
@testable import Provenance

/// Compare-and-swap behaviour of pipeline refs under lost races and real concurrency.
final class LedgerConcurrencyTests: XCTestCase {
    private var store: URL!

    override func setUpWithError() throws { store = try Fixture.store() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: store) }

    private static func run(_ i: Int, pipeline: String = "demo") -> [RunRecord] {
        [Fixture.record(pipeline: pipeline, stage: "s", output: Fixture.digest("\(pipeline)-\(i)"))]
    }

    func testStaleExpectedTipIsRejected() throws {
        let ledger = try Ledger(storeRoot: store)
        let first = try ledger.commitRun(pipeline: "demo", records: Self.run(0), document: Data(), message: "0")
        let second = try ledger.commitRun(pipeline: "demo", records: Self.run(1), document: Data(), message: "1")
        let repo = try ledger.open()
        let ref = Ledger.refName(pipeline: "demo")
        // Swapping from the stale tip `first` must fail and leave the ref alone.
        XCTAssertFalse(try repo.compareAndSwap(ref, to: first, expected: first, log: "test"))
        XCTAssertEqual(try repo.referenceTarget(ref), second)
        // Creating a ref that already exists (expected: nil) must fail too.
        XCTAssertFalse(try repo.compareAndSwap(ref, to: first, expected: nil, log: "test"))
        XCTAssertEqual(try repo.referenceTarget(ref), second)
        // The right expectation succeeds.
        XCTAssertTrue(try repo.compareAndSwap(ref, to: first, expected: second, log: "test"))
        XCTAssertEqual(try repo.referenceTarget(ref), first)
    }

    func testLostRaceIsRetriedOnTheNewTip() throws {
        let ledger = try Ledger(storeRoot: store)
        let base = try ledger.commitRun(pipeline: "demo", records: Self.run(0), document: Data(), message: "base")
        var intruder: CommitID?
        var attempts: [Int] = []
        let mine = try ledger.commitRun(pipeline: "demo", records: Self.run(1), document: Data(), message: "mine",
                                        time: .now()) { attempt in
            attempts.append(attempt)
            // Another writer lands between our tip read and our swap, once.
            if attempt == 1 {
                intruder = try Ledger(storeRoot: self.store).commitRun(pipeline: "demo", records: Self.run(2),
                                                                       document: Data(), message: "intruder")
            }
        }
        XCTAssertEqual(attempts, [1, 2])
        let runs = try ledger.runs(pipeline: "demo")
        XCTAssertEqual(runs.map(\.commit), [mine, intruder!, base])
        XCTAssertEqual(runs[0].parent, intruder, "the retried commit must sit on the new tip")
    }

    func testPersistentContentionFailsWithoutLosingCommits() throws {
        let ledger = try Ledger(storeRoot: store, maxCommitAttempts: 3)
        var intruders: [CommitID] = []
        XCTAssertThrowsError(try ledger.commitRun(pipeline: "demo", records: Self.run(9), document: Data(), message: "loser",
                                                  time: .now()) { attempt in
            intruders.append(try Ledger(storeRoot: self.store).commitRun(
                pipeline: "demo", records: Self.run(attempt), document: Data(), message: "intruder \(attempt)"))
        }) { error in
            XCTAssertEqual(error as? ProvenanceError, .refContention(ref: "refs/heads/pipelines/demo", attempts: 3))
        }
        XCTAssertEqual(try ledger.runs(pipeline: "demo").map(\.commit), intruders.reversed())
    }

    func testConcurrentCommitsToTwoRefsBothLand() throws {
        let perThread = 8
        let errors = ErrorBox()
        let store = self.store!
        DispatchQueue.concurrentPerform(iterations: 2) { t in
            let pipeline = t == 0 ? "left" : "right"
            do {
                let ledger = try Ledger(storeRoot: store) // one handle per thread, like two processes
                for i in 0..<perThread {
                    try ledger.commitRun(pipeline: pipeline, records: Self.run(i, pipeline: pipeline), document: Data(),
                                         message: "\(pipeline) \(i)")
                }
            } catch { errors.append(error) }
        }
        XCTAssertEqual(errors.all.map { "\($0)" }, [])
        let ledger = try Ledger(storeRoot: store)
        XCTAssertEqual(try ledger.pipelines(), ["left", "right"])
        for pipeline in ["left", "right"] {
            XCTAssertEqual(try ledger.runs(pipeline: pipeline).map(\.message),
                           (0..<perThread).reversed().map { "\(pipeline) \($0)" })
        }
    }

    func testConcurrentCommitsToOneRefAllLandLinearly() throws {
        let threads = 4, perThread = 6
        let errors = ErrorBox()
        let store = self.store!
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            do {
                let ledger = try Ledger(storeRoot: store)
                for i in 0..<perThread {
                    try ledger.commitRun(pipeline: "shared", records: Self.run(t * 100 + i, pipeline: "shared"),
                                         document: Data(), message: "t\(t) #\(i)")
                }
            } catch { errors.append(error) }
        }
        XCTAssertEqual(errors.all.map { "\($0)" }, [])
        let runs = try Ledger(storeRoot: store).runs(pipeline: "shared")
        XCTAssertEqual(runs.count, threads * perThread, "no commit may be lost")
        XCTAssertEqual(Set(runs.map(\.message)).count, threads * perThread)
        XCTAssertNil(runs.last?.parent)
        XCTAssertEqual(runs.dropLast().map(\.parent), runs.dropFirst().map(\.commit), "history must be linear")
        // Each thread's own runs appear in its own order.
        for t in 0..<threads {
            let mine = runs.reversed().map(\.message).filter { $0.hasPrefix("t\(t) ") }
            XCTAssertEqual(mine, (0..<perThread).map { "t\(t) #\($0)" })
        }
        // And the index saw every one of them.
        let ledger = try Ledger(storeRoot: store)
        for t in 0..<threads {
            for i in 0..<perThread {
                XCTAssertEqual(try ledger.producers(of: Fixture.digest("shared-\(t * 100 + i)")).count, 1)
            }
        }
    }
}

/// Collects errors from `concurrentPerform` workers.
/// `@unchecked Sendable`: every access to `errors` goes through `lock`.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Error] = []
    func append(_ error: Error) { lock.lock(); errors.append(error); lock.unlock() }
    var all: [Error] { lock.lock(); defer { lock.unlock() }; return errors }
}
