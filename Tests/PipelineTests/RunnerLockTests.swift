import Foundation
import XCTest
import ArtifactStore
import Provenance
@testable import Pipeline

/// Per-pipeline locking: a second run of the same pipeline waits (or fails
/// fast with `noWait`); other pipelines are not blocked.
final class RunnerLockTests: XCTestCase {
    private var fixture: RunnerFixture!

    override func setUpWithError() throws { fixture = try RunnerFixture() }
    override func tearDown() { fixture.remove() }

    func testNoWaitFailsWhileAnotherRunHoldsThePipeline() async throws {
        let (held, _) = try PipelineLock.tryAcquire(storeRoot: fixture.storeRoot, pipeline: "p")
        let lock = try XCTUnwrap(held)
        do {
            try await fixture.run(diamond, options: RunOptions(noWait: true))
            XCTFail("expected pipelineBusy")
        } catch let error as PipelineError {
            XCTAssertEqual(error, .pipelineBusy(pipeline: "p", pid: getpid()))
        }
        XCTAssertEqual(fixture.counter.total, 0)
        // Another pipeline is not blocked by p's lock.
        let other = try await fixture.run(diamond, name: "other", options: RunOptions(noWait: true))
        XCTAssertTrue(other.succeeded)
        lock.release()
        let after = try await fixture.run(diamond, options: RunOptions(noWait: true))
        XCTAssertTrue(after.succeeded)
    }

    func testSecondRunWaitsForTheFirstAndThenProceeds() async throws {
        let (held, _) = try PipelineLock.tryAcquire(storeRoot: fixture.storeRoot, pipeline: "p")
        let lock = try XCTUnwrap(held)
        let waiting = expectation(description: "waiting reported")
        let fixture = self.fixture!
        let task = Task {
            try await fixture.run(diamond) { event in
                if case let .waitingForLock(pipeline, pid) = event, pipeline == "p", pid == getpid() { waiting.fulfill() }
            }
        }
        await fulfillment(of: [waiting], timeout: 10)
        XCTAssertEqual(fixture.counter.total, 0, "nothing runs while the lock is held")
        lock.release()
        let result = try await task.value
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(fixture.counter.total, 4)
    }

    func testLockOfADeadProcessDoesNotBlock() async throws {
        // A pid file left behind with no flock held (the holder died) must not block.
        let path = PipelineLock.lockPath(storeRoot: fixture.storeRoot, pipeline: "p")
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data("999999\n".utf8).write(to: URL(fileURLWithPath: path))
        let result = try await fixture.run(diamond, options: RunOptions(noWait: true))
        XCTAssertTrue(result.succeeded)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "\(getpid())\n")
    }
}
