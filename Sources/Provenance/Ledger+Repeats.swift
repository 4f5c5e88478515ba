import Foundation
import CGit2

/// A run that reproduced its pipeline's latest commit exactly (every stage
/// restored from the cache with the same keys and outputs, same document), as
/// recorded in the pipeline ref's reflog.
public struct RepeatedRun: Sendable, Equatable {
    /// Pipeline the run belongs to.
    public let pipeline: String
    /// The commit the run repeated (the ref's tip at the time).
    public let commit: CommitID
    /// When the run was recorded (whole seconds: reflog precision).
    public let secondsSince1970: Int64
    /// The run's summary line (counts, host, tool version, overrides).
    public let message: String
}

/// Repeats: the cheap record of a no-op run.
///
/// A run that changes nothing would otherwise add a commit whose records only
/// restate the tip's keys and outputs with new times, and every such commit
/// grows the producer and consumer indexes (cache reuses are indexed too).
/// Instead the run appends one line to the ref's reflog
/// (`<store>/.git/logs/refs/heads/pipelines/NAME`): the tip commit (old and new
/// id are equal: the ref did not move), a `nasbook` signature with the time,
/// and `nasbook: repeat of <commit>: <message>`. `git log -g
/// refs/heads/pipelines/NAME` and `Ledger.repeats(pipeline:)` list them, so the
/// run stays auditable; the lineage of every artifact is the tip's.
extension Ledger {
    /// Reflog message prefix that marks a repeat (compare-and-swap entries say `nasbook: run`).
    static let repeatPrefix = "nasbook: repeat of "

    /// The tip of `pipeline` when a run with `records` and `document` would only
    /// restate it, else nil. A repeat needs: every new record a cache reuse; the
    /// tip's records covering the same stages with the same cache keys, inputs and
    /// outputs, and none of them failed; the same document snapshot.
    public func tipRepeated(by records: [RunRecord], pipeline: String, document: Data) throws -> CommitID? {
        try Ledger.validatePipelineName(pipeline)
        guard !records.isEmpty, records.allSatisfy({ if case .cached = $0.outcome { true } else { false } }) else {
            return nil
        }
        let repo = try open()
        guard let tip = try repo.referenceTarget(Ledger.refName(pipeline: pipeline)) else { return nil }
        let old = try readRecords(repo, tip)
        guard old.count == records.count else { return nil }
        let byStage = Dictionary(old.map { ($0.stage, $0) }, uniquingKeysWith: { a, _ in a })
        for record in records {
            guard let previous = byStage[record.stage], previous.cacheKey == record.cacheKey,
                  previous.output == record.output, previous.inputs == record.inputs else { return nil }
            if case .failed = previous.outcome { return nil }
        }
        guard try repo.blob(commit: tip, path: "pipeline.md") == document else { return nil }
        return tip
    }

    /// Records a run of `pipeline` that repeated `tip` exactly, as a reflog entry.
    ///
    /// Returns false, recording nothing, when the ref no longer points at `tip`
    /// (another run moved it): the caller then commits the run normally.
    /// - Parameter message: one line; newlines are replaced by `; ` (reflog lines cannot hold them).
    @discardableResult
    public func recordRepeat(pipeline: String, of tip: CommitID, message: String, time: Timestamp = .now()) throws -> Bool {
        try Ledger.validatePipelineName(pipeline)
        let repo = try open()
        let ref = Ledger.refName(pipeline: pipeline)
        guard try repo.referenceTarget(ref) == tip else { return false }
        let line = Ledger.repeatPrefix + "\(tip.hex): "
            + message.split(separator: "\n", omittingEmptySubsequences: true).joined(separator: "; ")
        var reflog: OpaquePointer?
        try gitCheck(git_reflog_read(&reflog, repo.pointer, ref), "read reflog of \(ref)")
        defer { git_reflog_free(reflog) }
        var signature: UnsafeMutablePointer<git_signature>?
        try gitCheck(git_signature_new(&signature, "nasbook", "nasbook@localhost", git_time_t(time.secondsSince1970), 0),
                     "create signature")
        defer { git_signature_free(signature) }
        var oid = git_oid(tip)
        try gitCheck(git_reflog_append(reflog, &oid, signature, line), "append to reflog of \(ref)")
        try gitCheck(git_reflog_write(reflog), "write reflog of \(ref)")
        return true
    }

    /// Repeats recorded for `pipeline`, newest first.
    public func repeats(pipeline: String) throws -> [RepeatedRun] {
        try Ledger.validatePipelineName(pipeline)
        let repo = try open()
        let ref = Ledger.refName(pipeline: pipeline)
        var reflog: OpaquePointer?
        try gitCheck(git_reflog_read(&reflog, repo.pointer, ref), "read reflog of \(ref)")
        defer { git_reflog_free(reflog) }
        var out: [RepeatedRun] = []
        // Index 0 is the newest entry.
        for index in 0..<git_reflog_entrycount(reflog) {
            guard let entry = git_reflog_entry_byindex(reflog, index),
                  let text = git_reflog_entry_message(entry).map({ String(cString: $0) }),
                  text.hasPrefix(Ledger.repeatPrefix),
                  let id = git_reflog_entry_id_new(entry)?.pointee.commitID,
                  let committer = git_reflog_entry_committer(entry) else { continue }
            // `<40 hex>: <summary>`
            let summary = text.dropFirst(Ledger.repeatPrefix.count + 42)
            out.append(RepeatedRun(pipeline: pipeline, commit: id, secondsSince1970: Int64(committer.pointee.when.time),
                                   message: String(summary)))
        }
        return out
    }
}
