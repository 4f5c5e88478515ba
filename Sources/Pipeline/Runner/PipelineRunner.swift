import Foundation
import ArtifactStore
import Provenance
#if canImport(Glibc)
import Glibc
#endif

/// Runs validated pipelines for real: inputs and outputs live in a
/// `DiskBlobStore`, cache hits come from the provenance `Ledger`, and every run
/// ends in one ledger commit on the pipeline's ref.
///
/// The `Scheduler` decides order, concurrency, early cutoff and failure
/// propagation; this type supplies its store-backed closures and the locking
/// around them: the store's shared `StoreLock` for the whole run (garbage
/// collection waits) and a per-pipeline `PipelineLock` (a second run of the same
/// pipeline waits, other pipelines do not).
public struct PipelineRunner: Sendable {
    /// The artifact store.
    public let store: DiskBlobStore
    /// The provenance ledger inside the store.
    public let ledger: Ledger
    /// Root that repository-file inputs are relative to.
    public let repositoryRoot: URL
    /// Ops available to op stages.
    public let registry: OpRegistry

    /// A runner over the store at `storeRoot` (its ledger is created when absent).
    public init(storeRoot: URL, repositoryRoot: URL, registry: OpRegistry) throws {
        self.store = DiskBlobStore(root: storeRoot.standardizedFileURL)
        self.ledger = try Ledger(storeRoot: storeRoot.standardizedFileURL)
        self.repositoryRoot = repositoryRoot.standardizedFileURL
        self.registry = registry
    }

    /// The store directory.
    public var storeRoot: URL { store.root }

    /// Runs `pipeline` (recorded under `name`, with `document` as its snapshot).
    ///
    /// Cancelling the calling task (the CLI does so on SIGINT/SIGTERM) kills
    /// running shell stages, starts nothing new, and still commits the stages
    /// that completed or failed, so the next run resumes from them. Store and
    /// lock failures throw; stage failures are reported in the result.
    public func run(_ pipeline: ValidatedPipeline, name: String, document: Data, options: RunOptions,
                    onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }) async throws -> RunResult {
        let selected = try options.until.map { try pipeline.until($0) } ?? pipeline
        for stage in options.force.sorted() where pipeline.stage(named: stage) == nil {
            throw PipelineError.unknownStage(stage, suggestion: Suggestion.closest(to: stage, among: pipeline.graph.nodes))
        }
        try Ledger.validatePipelineName(name)
        if options.dryRun { return try await dryRun(selected, name: name, options: options, onEvent: onEvent) }

        let storeLock = try await acquireStoreLock(onEvent: onEvent)
        defer { storeLock.release() }
        let pipelineLock = try await PipelineLock.acquire(storeRoot: storeRoot, pipeline: name, wait: !options.noWait) {
            onEvent(.waitingForLock(pipeline: name, pid: $0))
        }
        defer { pipelineLock.release() }
        removeStaleScratch()

        let scratchRoot = storeRoot.appendingPathComponent("tmp/run-\(getpid())-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: scratchRoot) }
        let journal = RunJournal()
        let lookups = ledger.lookupSession()
        var scheduler = Scheduler(
            jobs: options.jobs, environment: options.environment,
            resolveInput: { stage, input, upstream in
                let digest = try self.resolve(stage, input, upstream: upstream, store: true)
                journal.noteInput(stage.name, input.name, digest)
                return digest
            },
            lookup: { key in
                guard let hit = try lookups.cachedRecord(forCacheKey: key.digest),
                      let output = hit.record.output, self.store.contains(output) else { return nil }
                journal.noteHit(key.digest, hit.location)
                return output
            },
            execute: { job in
                journal.noteStart(job.stage.name, inputs: job.inputDigests)
                onEvent(.started(stage: job.stage.name))
                do {
                    return try await self.execute(job, scratchRoot: scratchRoot, environment: options.environment,
                                                  progress: { onEvent(.progress(stage: job.stage.name, $0)) })
                } catch let PipelineError.shellFailed(stage, status, logTail) {
                    journal.noteLogTail(stage, logTail)
                    throw PipelineError.shellFailed(stage: stage, status: status, logTail: logTail)
                }
            },
            onEvent: { event in
                if case let .finished(stage, outcome) = event {
                    onEvent(.finished(stage: stage, outcome: outcome, seconds: journal.finish(stage)))
                }
            })
        scheduler.bypassCache = options.force
        let started = Timestamp.now()
        let report = await scheduler.run(selected)
        let interrupted = Task.isCancelled || report.outcomes.values.contains(.cancelled)

        let records = journal.records(for: selected, report: report, pipeline: name, options: options, runStart: started)
        let message = Self.message(name: name, report: report, interrupted: interrupted, preset: options.preset,
                                   overrides: options.overrides)
        var commit: CommitID?
        var repeated = false
        // A run that only restates the tip (the usual no-op re-run) is a cheap commit
        // reusing the tip's tree: see `Ledger.recordRepeat` and docs/provenance.md.
        if !records.isEmpty, !interrupted,
           let tip = try ledger.tipRepeated(by: records, pipeline: name, document: document),
           let repeatCommit = try ledger.recordRepeat(pipeline: name, of: tip, message: Self.repeatMessage(message, options)) {
            commit = repeatCommit
            repeated = true
        } else if !records.isEmpty {
            commit = try ledger.commitRun(pipeline: name, records: records, document: document, message: message)
        }
        var result = RunResult(pipeline: name, report: report, commit: commit, records: records, wouldRun: [],
                               interrupted: interrupted)
        result.logTails = journal.logTails
        result.repeated = repeated
        return result
    }

    /// The shared store lock, polling (cancellably) while garbage collection holds it.
    private func acquireStoreLock(onEvent: @Sendable (RunEvent) -> Void) async throws -> StoreLock {
        var told = false
        while true {
            if let lock = try StoreLock.tryAcquire(.shared, root: storeRoot) { return lock }
            if !told { onEvent(.waitingForStore); told = true }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
    }

    /// Removes `tmp/run-PID-…` scratch directories of processes that no longer exist
    /// (a killed run cannot clean up after itself).
    func removeStaleScratch() {
        let tmp = storeRoot.appendingPathComponent("tmp")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: tmp.path) else { return }
        for name in names where name.hasPrefix("run-") {
            let parts = name.split(separator: "-")
            guard parts.count >= 2, let pid = Int32(parts[1]) else { continue }
            if pid != getpid(), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(at: tmp.appendingPathComponent(name))
            }
        }
    }

    /// The commit message: counts per outcome, then the preset and the overrides.
    static func message(name: String, report: SchedulerReport, interrupted: Bool, preset: String? = nil,
                        overrides: [ParamOverride]) -> String {
        let failed = report.failures.count
        let skipped = report.outcomes.values.filter { if case .skipped = $0 { return true } else { return false } }.count
        var line = "run \(name): \(report.executed.count) executed, \(report.cached.count) cached, \(failed) failed"
        if skipped > 0 { line += ", \(skipped) skipped" }
        if interrupted { line += " (interrupted)" }
        let flags = (preset.map { ["--preset \($0)"] } ?? []) + overrides.map { "--set \($0.text)" }
        if !flags.isEmpty { line += "\n\n" + flags.joined(separator: "\n") }
        return line
    }

    /// A repeat's message: the run message with host and tool version on its first line
    /// (a repeat commit holds no `run.json` of its own to carry them).
    static func repeatMessage(_ message: String, _ options: RunOptions) -> String {
        var lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[0] += " (host \(options.host), nasbook \(options.toolVersion))"
        return lines.joined(separator: "\n")
    }
}

/// What one `PipelineRunner.run` did.
public struct RunResult: Sendable {
    /// Pipeline name (the ledger ref component).
    public var pipeline: String
    /// Outcome of every scheduled stage.
    public var report: SchedulerReport
    /// The ledger commit of this run (a repeat's own cheap commit, see `repeated`); nil for dry runs
    /// and runs where no stage got as far as a record.
    public var commit: CommitID?
    /// The records committed, in completion order.
    public var records: [RunRecord]
    /// Dry runs: stages that would execute, in the order the scheduler reached them.
    public var wouldRun: [String]
    /// True when the run was cancelled before every stage finished.
    public var interrupted: Bool
    /// Failed shell stages: the end of their log (stdout and stderr), for the error display.
    public var logTails: [String: String] = [:]
    /// True when the run restated its pipeline's tip exactly (every stage cached with the
    /// tip's keys and outputs) and was recorded as a reflog entry on the ref instead of a
    /// new commit; `commit` is then the tip it repeated.
    public var repeated = false

    /// A result.
    public init(pipeline: String, report: SchedulerReport, commit: CommitID?, records: [RunRecord],
                wouldRun: [String], interrupted: Bool) {
        self.pipeline = pipeline
        self.report = report
        self.commit = commit
        self.records = records
        self.wouldRun = wouldRun
        self.interrupted = interrupted
    }

    /// True when every stage is cached or executed and the run was not interrupted.
    public var succeeded: Bool { report.succeeded && !interrupted }
}
