import Foundation
import CGit2
import ArtifactStore

/// The provenance ledger: a git repository at `<store>/.git`, written through
/// libgit2 straight into the object database (the working tree is never touched).
///
/// Each pipeline has a ref `refs/heads/pipelines/<name>`; each run is one commit on
/// it whose tree holds `records/<stage>.json`, `pipeline.md` and `run.json` (a
/// no-op run reuses the tree of the run it restates: see `recordRepeat`).
/// Ref moves are compare-and-swap, so concurrent runs never lose a commit.
///
/// Sendable because it holds only the store path: every call opens its own
/// libgit2 handle, which is what libgit2's threading rules require.
public final class Ledger: Sendable {
    /// The artifact store root; the repository is `<storeRoot>/.git`.
    public let storeRoot: URL
    /// How many times `commitRun` re-reads the tip after losing a compare-and-swap.
    public let maxCommitAttempts: Int

    /// Prefix of every pipeline ref.
    public static let refPrefix = "refs/heads/pipelines/"

    /// Opens the ledger of the store at `storeRoot`, creating the repository when absent.
    public init(storeRoot: URL, maxCommitAttempts: Int = 100) throws {
        self.storeRoot = storeRoot.standardizedFileURL
        self.maxCommitAttempts = max(1, maxCommitAttempts)
        _ = try GitRepository.openOrCreate(root: self.storeRoot)
    }

    /// The ref holding a pipeline's history.
    public static func refName(pipeline: String) -> String { refPrefix + pipeline }

    func open() throws -> GitRepository { try GitRepository.openOrCreate(root: storeRoot) }

    var index: LedgerIndex { LedgerIndex(storeRoot: storeRoot) }

    // MARK: Writing

    /// Commits one run of `pipeline` and moves its ref by compare-and-swap.
    ///
    /// The tree is `records/<stage>.json` per record, `pipeline.md` (the document
    /// snapshot) and `run.json` (a summary). The parent is the ref's tip as read just
    /// before the swap; when another writer moves the ref first, the commit is rebuilt
    /// on the new tip and retried, up to `maxCommitAttempts` times, so history stays
    /// linear and no run is lost. The ref is never force-updated.
    /// - Parameter time: commit time; defaults to now.
    @discardableResult
    public func commitRun(pipeline: String, records: [RunRecord], document: Data, message: String,
                          time: Timestamp = .now()) throws -> CommitID {
        try commitRun(pipeline: pipeline, records: records, document: document, message: message, time: time,
                      beforeSwap: nil)
    }

    /// `commitRun` with a hook called between reading the tip and the swap (attempt number
    /// starting at 1), so tests can force a lost race deterministically.
    func commitRun(pipeline: String, records: [RunRecord], document: Data, message: String, time: Timestamp,
                   beforeSwap: ((Int) throws -> Void)?) throws -> CommitID {
        try Ledger.validatePipelineName(pipeline)
        var stages = Set<String>()
        for record in records {
            try Ledger.validateStageName(record.stage)
            guard record.pipeline == pipeline else {
                throw ProvenanceError.malformedRecord(
                    "record of stage '\(record.stage)'",
                    reason: "it names pipeline '\(record.pipeline)' but is committed to '\(pipeline)'")
            }
            guard stages.insert(record.stage).inserted else {
                throw ProvenanceError.duplicateStage(record.stage, pipeline: pipeline)
            }
        }
        let repo = try open()
        // Objects do not depend on the parent, so they are written once, outside the retry loop.
        var recordEntries: [(name: String, oid: git_oid, isTree: Bool)] = []
        for record in records {
            recordEntries.append((record.stage + ".json", try repo.writeBlob(try record.canonicalJSON()), false))
        }
        let summary = RunFile(formatVersion: ProvenanceModule.formatVersion, pipeline: pipeline, message: message,
                              time: time, stages: records.map(\.stage))
        var rootEntries: [(name: String, oid: git_oid, isTree: Bool)] = [
            ("pipeline.md", try repo.writeBlob(document), false),
            ("run.json", try repo.writeBlob(try CanonicalJSON.encode(summary)), false),
        ]
        if !recordEntries.isEmpty {
            rootEntries.append(("records", try repo.writeTree(recordEntries), true))
        }
        let tree = try repo.writeTree(rootEntries)
        let ref = Ledger.refName(pipeline: pipeline)
        let commitMessage = message.hasSuffix("\n") ? message : message + "\n"

        for attempt in 1...maxCommitAttempts {
            let tip = try repo.referenceTarget(ref)
            let commit = try repo.writeCommit(tree: tree, parent: tip, message: commitMessage,
                                              seconds: time.secondsSince1970)
            try beforeSwap?(attempt)
            if try repo.compareAndSwap(ref, to: commit, expected: tip, log: "nasbook: run \(pipeline)") {
                // The ledger is the source of truth; an index that fails to update here is
                // detected as stale (its recorded tips differ) and rebuilt by the next query.
                try? index.refresh(repo)
                return commit
            }
            // Lost the race: back off a little (growing, jittered) and rebuild on the new tip.
            usleep(UInt32(Int.random(in: 100...1000) * min(attempt, 20)))
        }
        throw ProvenanceError.refContention(ref: ref, attempts: maxCommitAttempts)
    }

    // MARK: Reading history

    /// Names of all pipelines with at least one run, sorted.
    public func pipelines() throws -> [String] {
        try open().references(matching: Ledger.refPrefix + "*").map { String($0.name.dropFirst(Ledger.refPrefix.count)) }
    }

    /// The commit a pipeline's ref points to, or nil when it has no runs.
    public func tip(pipeline: String) throws -> CommitID? {
        try Ledger.validatePipelineName(pipeline)
        return try open().referenceTarget(Ledger.refName(pipeline: pipeline))
    }

    /// Runs of `pipeline`, newest first, following first parents from the tip.
    /// - Parameter limit: at most this many runs (nil: all).
    public func runs(pipeline: String, limit: Int? = nil) throws -> [RunSummary] {
        var out: [RunSummary] = []
        try visitRuns(pipeline: pipeline, limit: limit) { out.append($0); return true }
        return out
    }

    /// Reads runs of `pipeline` newest first, one at a time, until `body` returns
    /// false or `limit` runs were read; for callers that usually stop early
    /// (`status` needs only as many runs as it takes to see every stage).
    public func visitRuns(pipeline: String, limit: Int? = nil, _ body: (RunSummary) throws -> Bool) throws {
        try Ledger.validatePipelineName(pipeline)
        let repo = try open()
        var count = 0
        var next = try repo.referenceTarget(Ledger.refName(pipeline: pipeline))
        while let id = next, limit.map({ count < $0 }) ?? true {
            let run = try readRun(repo, id)
            count += 1
            guard try body(run) else { return }
            next = run.parent
        }
    }

    /// The run committed as `commit`.
    public func run(_ commit: CommitID) throws -> RunSummary { try readRun(try open(), commit) }

    /// The `pipeline.md` snapshot stored with a run.
    public func document(of commit: CommitID) throws -> Data {
        guard let data = try open().blob(commit: commit, path: "pipeline.md") else {
            throw ProvenanceError.notFound("pipeline.md in \(commit)")
        }
        return data
    }

    /// The record at `location`.
    public func record(at location: RecordLocation) throws -> RunRecord {
        try readRecord(try open(), location)
    }

    func readRecord(_ repo: GitRepository, _ location: RecordLocation) throws -> RunRecord {
        let path = "records/\(location.stage).json"
        guard let data = try repo.blob(commit: location.commit, path: path) else {
            throw ProvenanceError.notFound("\(location.commit):\(path)")
        }
        return try CanonicalJSON.decode(RunRecord.self, from: data, what: "\(location.commit):\(path)")
    }

    func readRun(_ repo: GitRepository, _ id: CommitID) throws -> RunSummary {
        let info = try repo.commit(id)
        guard let data = try repo.blob(commit: id, path: "run.json") else {
            throw ProvenanceError.malformedRecord("commit \(id)", reason: "no run.json in its tree")
        }
        let file = try CanonicalJSON.decode(RunFile.self, from: data, what: "\(id):run.json")
        let records = try readRecords(repo, id)
        let byStage = Dictionary(records.map { ($0.stage, $0) }, uniquingKeysWith: { a, _ in a })
        // Keep the run's own stage order; records not listed (none, normally) follow by name.
        var ordered = file.stages.compactMap { byStage[$0] }
        let listed = Set(file.stages)
        ordered += records.filter { !listed.contains($0.stage) }
        if let repeated = Ledger.parseRepeat(info.message) {
            // A repeat shares the restated run's tree; its own time and message are the commit's.
            var message = repeated.summary
            while message.hasSuffix("\n") { message.removeLast() }
            return RunSummary(pipeline: file.pipeline, commit: id, parent: info.parents.first,
                              time: Timestamp(millisecondsSince1970: info.time * 1000), message: message,
                              records: ordered, repeatOf: repeated.of)
        }
        return RunSummary(pipeline: file.pipeline, commit: id, parent: info.parents.first, time: file.time,
                          message: file.message, records: ordered)
    }

    /// All records of a commit, sorted by stage name.
    func readRecords(_ repo: GitRepository, _ id: CommitID) throws -> [RunRecord] {
        try repo.entries(commit: id, directory: "records").map { entry in
            try CanonicalJSON.decode(RunRecord.self, from: try repo.blobData(entry.oid, what: "\(id):records/\(entry.name)"),
                                     what: "\(id):records/\(entry.name)")
        }
    }

    // MARK: Validation

    /// Pipeline names become one ref component: letters, digits, `.`, `_`, `-`, and
    /// whatever else git accepts in a ref, minus `/` (which would let `a` and `a/b` collide).
    public static func validatePipelineName(_ name: String) throws {
        guard !name.isEmpty else { throw ProvenanceError.invalidPipelineName(name, reason: "empty") }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard name.allSatisfy({ allowed.contains($0) }) else {
            throw ProvenanceError.invalidPipelineName(name, reason: "use only letters, digits, '.', '_' and '-'")
        }
        ensureLibgit2()
        var valid: Int32 = 0
        try gitCheck(git_reference_name_is_valid(&valid, refName(pipeline: name)), "validate ref name")
        guard valid == 1 else {
            throw ProvenanceError.invalidPipelineName(name, reason: "not a valid git ref component (e.g. '..', leading '.', '.lock')")
        }
    }

    /// Stage names become file names `records/<stage>.json`.
    public static func validateStageName(_ name: String) throws {
        guard !name.isEmpty else { throw ProvenanceError.invalidStageName(name, reason: "empty") }
        guard !name.contains("/"), !name.contains("\0") else {
            throw ProvenanceError.invalidStageName(name, reason: "must not contain '/' or NUL")
        }
    }
}

/// The `run.json` file of each run commit.
struct RunFile: Codable {
    let formatVersion: Int
    let pipeline: String
    let message: String
    let time: Timestamp
    let stages: [String]
}
