import Foundation
import CGit2

/// Repeats: the cheap commit of a no-op run.
///
/// A run that changes nothing (every stage restored from the cache with the
/// tip's keys, inputs and outputs, same document) is still one commit on the
/// pipeline's ref, as every run is, but a cheap one: it reuses the tree of the
/// run it restates (no new blobs or trees), and its message says
/// `repeat of <commit>: <summary>`. The ledger index skips repeat commits
/// (their records are the restated run's, already indexed), so a no-op run
/// writes one commit object, one compare-and-swap and the small `tips.json`,
/// and the index no longer grows with every no-op run.
///
/// Reading a repeat (`runs`, `nasbook log`) gives the restated run's records
/// with the repeat's own commit, time and message and `repeatOf` set; lineage
/// through a repeat's id resolves to the same records.
extension Ledger {
    /// First-line prefix of a repeat commit's message.
    static let repeatPrefix = "repeat of "

    /// The restated commit when `message` is a repeat commit's message, and the summary after it.
    static func parseRepeat(_ message: String) -> (of: CommitID, summary: String)? {
        guard message.hasPrefix(repeatPrefix) else { return nil }
        let rest = message.dropFirst(repeatPrefix.count)
        guard rest.count >= 42, let id = CommitID(String(rest.prefix(40))),
              rest.dropFirst(40).hasPrefix(": ") else { return nil }
        return (id, String(rest.dropFirst(42)))
    }

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

    /// Commits a run of `pipeline` that restated `tip` exactly: a commit whose
    /// parent is `tip`, whose tree is `tip`'s, and whose message is
    /// `repeat of <restated>: <message>`, where `<restated>` is the run whose
    /// records the tree holds (`tip` itself, or what `tip` repeated).
    ///
    /// Returns nil, moving nothing, when the ref no longer points at `tip`
    /// (another run moved it): the caller then commits the run normally.
    @discardableResult
    public func recordRepeat(pipeline: String, of tip: CommitID, message: String,
                             time: Timestamp = .now()) throws -> CommitID? {
        try Ledger.validatePipelineName(pipeline)
        let repo = try open()
        let ref = Ledger.refName(pipeline: pipeline)
        guard try repo.referenceTarget(ref) == tip else { return nil }
        let info = try repo.commit(tip)
        let restated = Ledger.parseRepeat(info.message)?.of ?? tip
        let summary = message.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let body = message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first
        let text = Ledger.repeatPrefix + "\(restated.hex): \(summary)\n" + (body.map { "\($0)\n" } ?? "")
        let commit = try repo.writeCommit(tree: info.tree, parent: tip, message: text, seconds: time.secondsSince1970)
        guard try repo.compareAndSwap(ref, to: commit, expected: tip, log: "nasbook: repeat \(pipeline)") else {
            return nil
        }
        try? index.refresh(repo) // cheap: the index skips repeat commits and only records the new tip
        return commit
    }

    /// The repeat commits of `pipeline` (no-op runs), newest first.
    public func repeats(pipeline: String, limit: Int? = nil) throws -> [RunSummary] {
        var out: [RunSummary] = []
        try visitRuns(pipeline: pipeline) { run in
            if run.repeatOf != nil { out.append(run) }
            return limit.map { out.count < $0 } ?? true
        }
        return out
    }
}
