import Foundation
import ArtifactStore
import Provenance

/// Whether a stage would run now, and why.
public struct StageStatus: Sendable, Equatable, Codable {
    /// The two answers `nasbook status` gives.
    public enum State: String, Sendable, Codable {
        /// The key is recorded and its output is in the store.
        case upToDate = "up to date"
        /// The stage would execute.
        case willRun = "will run"
    }

    /// Stage name.
    public var stage: String
    /// Up to date or will run.
    public var state: State
    /// Why it will run: `param train_size 424 → 1000`, `input ingest changed`,
    /// `upstream ingest will run`, `never run`, `output missing from the store`.
    public var reasons: [String]
    /// The recorded output of an up-to-date stage.
    public var output: Digest?
}

extension PipelineRunner {
    /// What `run` would do now, without running, storing or locking anything.
    ///
    /// Keys are computed bottom-up from recorded outputs; a stage whose upstream
    /// will run cannot know its key, so it is reported as running too (early
    /// cutoff may later spare it). Reasons come from comparing the key with the
    /// stage's most recent recorded key in this pipeline's history. Only
    /// repository-file inputs are hashed; everything else is an index lookup.
    public func status(of pipeline: ValidatedPipeline, name: String, environment: [String: String] = [:],
                       historyDepth: Int = 20) throws -> [StageStatus] {
        var lastKeys: [String: RunRecord] = [:]
        // Newest runs first, stopping once every stage has a record (no ref yet: no runs).
        try ledger.visitRuns(pipeline: name, limit: historyDepth) { run in
            for record in run.records where !record.keyRecord.isEmpty && lastKeys[record.stage] == nil {
                lastKeys[record.stage] = record
            }
            return lastKeys.count < pipeline.stages.count
        }
        let lookups = ledger.lookupSession()
        var outputs: [String: Digest] = [:]
        var result: [StageStatus] = []
        for stage in pipeline.orderedStages {
            var digests: [String: Digest] = [:]
            var pendingUpstream: [String] = []
            for input in stage.inputs {
                if let upstream = input.source.stageName, outputs[upstream] == nil {
                    if !pendingUpstream.contains(upstream) { pendingUpstream.append(upstream) }
                    // Stand in the last recorded digest so other differences can still be explained.
                    if let old = lastKeys[stage.name]?.inputs[input.name] { digests[input.name] = old }
                    continue
                }
                digests[input.name] = try resolve(stage, input, upstream: input.source.stageName.flatMap { outputs[$0] },
                                                  store: false)
            }
            let key = try? CacheKey.make(stage: stage, inputDigests: digests, environment: environment)
            var reasons: [String] = []
            if pendingUpstream.isEmpty, let key {
                if let hit = try lookups.cachedRecord(forCacheKey: key.digest), let output = hit.record.output {
                    if store.contains(output) {
                        outputs[stage.name] = output
                        result.append(StageStatus(stage: stage.name, state: .upToDate, reasons: [], output: output))
                        continue
                    }
                    reasons.append("output missing from the store")
                }
            }
            // Parsed only for stages that will run: up-to-date ones need no explanation.
            let previous = try lastKeys[stage.name].map { try KeyRecord(parsing: $0.keyRecord) }
            if let previous, let key {
                reasons += KeyRecord.explainDifferences(from: previous, to: key.record)
                    .filter { line in !pendingUpstream.contains { line == "input \($0) changed" } }
            } else if previous == nil {
                reasons.append("never run")
            }
            reasons += pendingUpstream.map { "upstream \($0) will run" }
            if reasons.isEmpty, let last = lastKeys[stage.name], case let .failed(message) = last.outcome {
                reasons.append("failed last time: \(message)")
            }
            if reasons.isEmpty { reasons.append("not in the cache") }
            result.append(StageStatus(stage: stage.name, state: .willRun, reasons: reasons, output: nil))
        }
        return result
    }

    /// `run(…, dryRun: true)`: the scheduler with a lookup-only cache and an
    /// execute that merely notes the stage and returns a placeholder digest, so
    /// its dependants (whose keys would depend on the real output) run too.
    func dryRun(_ pipeline: ValidatedPipeline, name: String, options: RunOptions,
                onEvent: @escaping @Sendable (RunEvent) -> Void) async throws -> RunResult {
        let placeholders = PlaceholderDigests()
        let lookups = ledger.lookupSession()
        var scheduler = Scheduler(
            jobs: 1, environment: options.environment,
            resolveInput: { stage, input, upstream in
                if let upstream, placeholders.contains(upstream) {
                    return placeholders.make("\(upstream) \(input.source)")
                }
                return try self.resolve(stage, input, upstream: upstream, store: false)
            },
            lookup: { key in
                guard let hit = try lookups.cachedRecord(forCacheKey: key.digest),
                      let output = hit.record.output, self.store.contains(output) else { return nil }
                return output
            },
            execute: { job in
                onEvent(.wouldRun(stage: job.stage.name))
                return placeholders.make(job.key.digest.description)
            })
        scheduler.bypassCache = options.force
        let report = await scheduler.run(pipeline)
        return RunResult(pipeline: name, report: report, commit: nil, records: [], wouldRun: report.executed,
                         interrupted: Task.isCancelled)
    }
}

/// Digests standing in for outputs a dry run did not produce.
private final class PlaceholderDigests: @unchecked Sendable {
    // @unchecked: `digests` is only touched under `lock`.
    private let lock = NSLock()
    private var digests: Set<Digest> = []

    func make(_ seed: String) -> Digest {
        let digest = Digest.sha256(Array("nasbook dry run \(seed)".utf8))
        lock.withLock { _ = digests.insert(digest) }
        return digest
    }

    func contains(_ digest: Digest) -> Bool { lock.withLock { digests.contains(digest) } }
}
