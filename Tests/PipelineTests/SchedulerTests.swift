import XCTest
import ArtifactStore
@testable import Pipeline

/// An in-memory cache and executor standing in for the store-backed runner.
actor MemoryRunner {
    /// Key digest → output digest, as the store index would hold it.
    var cache: [Digest: Digest] = [:]
    /// Stages executed, in start order.
    var executions: [String] = []
    /// "start X" / "end X" in the order they happened.
    var log: [String] = []
    /// Stages whose execution throws.
    var failing: Set<String> = []
    /// Stages whose output ignores parameters (to exercise early cutoff).
    var constantOutput: Set<String> = []
    /// Stages that wait at `barrier` after starting.
    var barrierStages: Set<String> = []
    private var arrived = 0

    func configure(failing: Set<String> = [], constantOutput: Set<String> = [], barrier: Set<String> = []) {
        self.failing = failing
        self.constantOutput = constantOutput
        self.barrierStages = barrier
        self.arrived = 0
    }

    func lookup(_ key: CacheKey) -> Digest? { cache[key.digest] }

    /// Output is a function of the key (or of the stage name alone for
    /// `constantOutput` stages), recorded in the cache like a real runner would.
    func execute(_ job: StageJob) async throws -> Digest {
        let name = job.stage.name
        executions.append(name)
        log.append("start \(name)")
        if barrierStages.contains(name) {
            arrived += 1
            // Wait (bounded) until every barrier stage has started; only possible
            // when they run concurrently. The bound keeps a regression from hanging.
            var polls = 0
            while arrived < barrierStages.count && polls < 2_000 {
                try await Task.sleep(nanoseconds: 1_000_000)
                polls += 1
            }
        }
        log.append("end \(name)")
        if failing.contains(name) { throw PipelineError.opFailed(op: name, reason: "boom") }
        let output = constantOutput.contains(name)
            ? Digest.sha256(Array("constant \(name)".utf8)) : Digest.sha256(Array(job.key.record.text.utf8))
        cache[job.key.digest] = output
        return output
    }

    func resetLog() {
        executions = []
        log = []
    }
}

final class SchedulerTests: XCTestCase {
    private func scheduler(_ runner: MemoryRunner, jobs: Int = 1) -> Scheduler {
        Scheduler(jobs: jobs, environment: ["LANG": "C"],
                  lookup: { await runner.lookup($0) },
                  execute: { try await runner.execute($0) })
    }

    func testCacheHitMeansStageIsNotExecuted() async throws {
        let runner = MemoryRunner()
        let pipeline = try Fixtures.pipeline(Fixtures.demo)
        let first = await scheduler(runner).run(pipeline)
        XCTAssertTrue(first.succeeded)
        XCTAssertEqual(first.executed, ["hello", "world", "joined", "shout"])
        await runner.resetLog()
        let second = await scheduler(runner).run(pipeline)
        let executions = await runner.executions
        XCTAssertEqual(executions, [])
        XCTAssertEqual(second.cached, ["hello", "world", "joined", "shout"])
        XCTAssertEqual(second.outcomes["shout"]?.output, first.outcomes["shout"]?.output)
    }

    func testProseEditAndReorderingRerunNothing() async throws {
        let runner = MemoryRunner()
        _ = await scheduler(runner).run(try Fixtures.pipeline(Fixtures.demo))
        await runner.resetLog()
        let report = await scheduler(runner, jobs: 2).run(try Fixtures.pipeline(Fixtures.demoEdited))
        let executions = await runner.executions
        XCTAssertEqual(executions, [])
        XCTAssertEqual(Set(report.cached), ["hello", "world", "joined", "shout"])
    }

    func testParamChangeRerunsExactlyThatStageAndDependants() async throws {
        let runner = MemoryRunner()
        _ = await scheduler(runner).run(try Fixtures.pipeline(Fixtures.demo))
        await runner.resetLog()
        let changed = try Fixtures.pipeline(Fixtures.demo, overrides: [try ParamOverride.parse("world.repeat=3")])
        let report = await scheduler(runner).run(changed)
        let executions = await runner.executions
        XCTAssertEqual(executions, ["world", "joined", "shout"])
        XCTAssertEqual(report.cached, ["hello"])
    }

    func testEarlyCutoffWhenUpstreamReproducesItsOutput() async throws {
        let runner = MemoryRunner()
        await runner.configure(constantOutput: ["world"])
        _ = await scheduler(runner).run(try Fixtures.pipeline(Fixtures.demo))
        await runner.resetLog()
        let changed = try Fixtures.pipeline(Fixtures.demo, overrides: [try ParamOverride.parse("world.repeat=3")])
        let report = await scheduler(runner).run(changed)
        let executions = await runner.executions
        XCTAssertEqual(executions, ["world"], "dependants of an unchanged output must not re-run")
        XCTAssertEqual(report.cached, ["hello", "joined", "shout"])
    }

    func testIndependentBranchesOverlapWithTwoJobs() async throws {
        let runner = MemoryRunner()
        await runner.configure(barrier: ["hello", "world"])
        let report = await scheduler(runner, jobs: 2).run(try Fixtures.pipeline(Fixtures.demo))
        XCTAssertTrue(report.succeeded)
        let log = await runner.log
        // Both branch roots started before either ended: their executions overlapped.
        XCTAssertEqual(Set(log.prefix(2)), ["start hello", "start world"], "\(log)")
        XCTAssertEqual(Array(log.suffix(4)), ["start joined", "end joined", "start shout", "end shout"])
    }

    func testOneJobNeverOverlaps() async throws {
        let runner = MemoryRunner()
        _ = await scheduler(runner, jobs: 1).run(try Fixtures.pipeline(Fixtures.demo))
        let log = await runner.log
        XCTAssertEqual(log, ["start hello", "end hello", "start world", "end world",
                             "start joined", "end joined", "start shout", "end shout"])
    }

    func testFailureSkipsDependantsAndIndependentBranchesComplete() async throws {
        let text = """
        ```stage a
        op: text.write
        with: {text: a}
        ```
        ```stage b
        op: text.concat
        needs: [a]
        ```
        ```stage c
        op: text.write
        with: {text: c}
        ```
        ```stage d
        op: text.concat
        needs: [b, c]
        ```
        ```stage e
        op: text.write
        with: {text: e}
        ```
        ```stage f
        op: text.concat
        needs: [c]
        ```
        """
        let runner = MemoryRunner()
        await runner.configure(failing: ["a", "e"])
        let report = await scheduler(runner, jobs: 2).run(try Fixtures.pipeline(text))
        XCTAssertFalse(report.succeeded)
        XCTAssertEqual(report.failures.map(\.stage).sorted(), ["a", "e"])
        XCTAssertEqual(report.failures.first?.message, "op 'a' failed: boom")
        XCTAssertEqual(report.outcomes["b"], .skipped(upstream: "a"))
        XCTAssertEqual(report.outcomes["d"], .skipped(upstream: "a"))
        XCTAssertNotNil(report.outcomes["c"]?.output)
        XCTAssertNotNil(report.outcomes["f"]?.output)
        let executions = await runner.executions
        XCTAssertFalse(executions.contains("b"))
        XCTAssertFalse(executions.contains("d"))
    }

    func testLookupAndResolveErrorsAreStageFailures() async throws {
        let pipeline = try Fixtures.pipeline("```stage a\nop: text.stats\ninputs: {text: data/x.txt}\n```\n",
                                             files: ["data/x.txt"])
        let report = await Scheduler(jobs: 1, lookup: { _ in nil }, execute: { _ in Digest.sha256([]) }).run(pipeline)
        XCTAssertEqual(report.failures.map(\.message),
                       ["stage 'a': cannot resolve input 'text': 'data/x.txt' needs a store to resolve"])
    }

    func testCancellationStopsRunningAndPendingStages() async throws {
        let pipeline = try Fixtures.pipeline(Fixtures.demo)
        let started = StartFlag()
        let scheduler = Scheduler(
            jobs: 1, environment: [:], lookup: { _ in nil },
            execute: { job in
                await started.set()
                // Far longer than the test; only cancellation ends it early.
                try await Task.sleep(nanoseconds: 600 * 1_000_000_000)
                return Digest.sha256(Array(job.stage.name.utf8))
            })
        let task = Task { await scheduler.run(pipeline) }
        while !(await started.value) { await Task.yield() }
        task.cancel()
        let report = await task.value
        XCTAssertEqual(report.outcomes["hello"], .cancelled)
        XCTAssertEqual(Set(report.outcomes.values), [.cancelled])
        XCTAssertEqual(report.outcomes.count, 4)
    }

    func testEventsReportStartsAndFinishes() async throws {
        let events = EventLog()
        let runner = MemoryRunner()
        let scheduler = Scheduler(jobs: 1, environment: [:], lookup: { await runner.lookup($0) },
                                  execute: { try await runner.execute($0) },
                                  onEvent: { event in events.append(event) })
        _ = await scheduler.run(try Fixtures.pipeline(Fixtures.demo).until("hello"))
        let kinds = events.snapshot.map { event -> String in
            switch event {
            case let .started(stage, _): return "started \(stage)"
            case let .finished(stage, outcome): return "finished \(stage) \(outcome.output != nil)"
            }
        }
        XCTAssertEqual(kinds, ["started hello", "finished hello true"])
    }
}

/// Set once the first stage has started.
actor StartFlag {
    private(set) var value = false
    func set() { value = true }
}

/// Thread-safe event collector for the synchronous `onEvent` callback.
final class EventLog: @unchecked Sendable {
    // @unchecked: every access to `events` goes through `lock`.
    private let lock = NSLock()
    private var events: [SchedulerEvent] = []
    func append(_ event: SchedulerEvent) { lock.lock(); events.append(event); lock.unlock() }
    var snapshot: [SchedulerEvent] { lock.lock(); defer { lock.unlock() }; return events }
}
