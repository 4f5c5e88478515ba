import Foundation

/// Every failure the Provenance module reports; each message is one line naming what failed and where.
public enum ProvenanceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A libgit2 call failed; `message` is libgit2's own `git_error_last()` text.
    case git(operation: String, code: Int32, message: String)
    /// The pipeline name cannot be used as a ref component under `refs/heads/pipelines/`.
    case invalidPipelineName(String, reason: String)
    /// The stage name cannot be used as a file name under `records/`.
    case invalidStageName(String, reason: String)
    /// Two records in one run share a stage name (each stage has one record per run).
    case duplicateStage(String, pipeline: String)
    /// The compare-and-swap on a pipeline ref kept losing to other writers.
    case refContention(ref: String, attempts: Int)
    /// A stored record, summary or index file could not be decoded.
    case malformedRecord(String, reason: String)
    /// A value could not be written as canonical JSON (e.g. a NaN parameter).
    case encodingFailed(String, reason: String)
    /// A file-system operation on the index or lock files failed.
    case io(path: String, message: String)
    /// A commit id or record location names nothing in the ledger.
    case notFound(String)

    /// One line naming what failed and where.
    public var description: String {
        switch self {
        case let .git(operation, code, message):
            return "git: \(operation) failed (libgit2 error \(code)): \(message)"
        case let .invalidPipelineName(name, reason):
            return "invalid pipeline name '\(name)': \(reason)"
        case let .invalidStageName(name, reason):
            return "invalid stage name '\(name)': \(reason)"
        case let .duplicateStage(stage, pipeline):
            return "pipeline '\(pipeline)': stage '\(stage)' has more than one record in the same run"
        case let .refContention(ref, attempts):
            return "ref \(ref): gave up after \(attempts) compare-and-swap attempts lost to concurrent writers"
        case let .malformedRecord(what, reason):
            return "malformed ledger data in \(what): \(reason)"
        case let .encodingFailed(what, reason):
            return "cannot encode \(what) as canonical JSON: \(reason)"
        case let .io(path, message):
            return "I/O error at \(path): \(message)"
        case let .notFound(what):
            return "not found in ledger: \(what)"
        }
    }
}
