import Foundation

/// One run as the ledger stores it: a commit on the pipeline's ref.
public struct RunSummary: Sendable, Equatable {
    /// Pipeline the run belongs to.
    public let pipeline: String
    /// The run's commit.
    public let commit: CommitID
    /// The previous run on the same ref, nil for the first.
    public let parent: CommitID?
    /// Commit time given to `commitRun` (millisecond precision, from `run.json`).
    public let time: Timestamp
    /// The run message given to `commitRun`.
    public let message: String
    /// The run's records, in the order they were committed.
    public let records: [RunRecord]
}
