import Foundation
import ArtifactStore
import Provenance

/// What a run learns while its stages go by — input digests, start times,
/// where cache hits came from — gathered from scheduler callbacks running on
/// many tasks, and turned into ledger records at the end.
final class RunJournal: @unchecked Sendable {
    // @unchecked: every stored property is read and written under `lock`.
    private let lock = NSLock()
    private var inputs: [String: [String: Digest]] = [:]
    private var starts: [String: (Timestamp, Date)] = [:]
    private var hits: [Digest: RecordLocation] = [:]
    private var ends: [String: Timestamp] = [:]
    private var tails: [String: String] = [:]

    /// Failed shell stage `stage` left this log tail.
    func noteLogTail(_ stage: String, _ tail: String) {
        lock.withLock { tails[stage] = tail }
    }

    /// Log tails noted so far.
    var logTails: [String: String] { lock.withLock { tails } }

    /// Stage `stage` resolved input `name` to `digest`.
    func noteInput(_ stage: String, _ name: String, _ digest: Digest) {
        lock.withLock { inputs[stage, default: [:]][name] = digest }
    }

    /// A cache hit for `key` came from `location`.
    func noteHit(_ key: Digest, _ location: RecordLocation) {
        lock.withLock { hits[key] = location }
    }

    /// Stage `stage` starts executing with these inputs.
    func noteStart(_ stage: String, inputs stageInputs: [String: Digest]) {
        lock.withLock {
            starts[stage] = (Timestamp.now(), Date())
            inputs[stage] = stageInputs
        }
    }

    /// Stage `stage` finished; returns how long it executed (0 when it did not).
    func finish(_ stage: String) -> Double {
        lock.withLock {
            ends[stage] = Timestamp.now()
            return starts[stage].map { Date().timeIntervalSince($0.1) } ?? 0
        }
    }

    /// One record per executed, cached or failed stage, in completion order;
    /// skipped and cancelled stages did nothing worth recording.
    func records(for pipeline: ValidatedPipeline, report: SchedulerReport, pipeline name: String,
                 options: RunOptions, runStart: Timestamp) -> [RunRecord] {
        lock.withLock {
            report.completionOrder.compactMap { stageName -> RunRecord? in
                guard let stage = pipeline.stage(named: stageName), let outcome = report.outcomes[stageName] else { return nil }
                let recorded: Outcome
                switch outcome {
                case .executed: recorded = .executed
                case let .cached(key, _):
                    guard let from = hits[key.digest] else { return nil }
                    recorded = .cached(from: from)
                case let .failed(_, message): recorded = .failed(message: message)
                case .skipped, .cancelled: return nil
                }
                let ended = ends[stageName] ?? Timestamp.now()
                let key = outcome.key
                return RunRecord(
                    pipeline: name, stage: stageName, op: stage.kindLabel, opVersion: stage.opVersion ?? 0,
                    params: stage.params, inputs: inputs[stageName] ?? [:], output: outcome.output,
                    cacheKey: key?.digest ?? Digest.sha256([UInt8]()), keyRecord: key?.record.text ?? "",
                    started: starts[stageName]?.0 ?? ended, ended: ended, host: options.host,
                    toolVersion: options.toolVersion, outcome: recorded)
            }
        }
    }
}
