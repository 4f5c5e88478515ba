import Foundation

/// One run as the ledger stores it: a commit on the pipeline's ref.
public struct RunSummary: Sendable, Equatable {
    /// Pipeline the run belongs to.
    public let pipeline: String
    /// The run's commit.
    public let commit: CommitID
    /// The previous run on the same ref, nil for the first.
    public let parent: CommitID?
    /// Commit time given to `commitRun` (millisecond precision, from `run.json`);
    /// for a repeat, its commit time (whole seconds).
    public let time: Timestamp
    /// The run message given to `commitRun` (for a repeat, the message given to `recordRepeat`).
    public let message: String
    /// The run's records, in the order they were committed (for a repeat, the restated run's).
    public let records: [RunRecord]
    /// For a no-op run committed as a repeat (`Ledger.recordRepeat`), the run it restated.
    public var repeatOf: CommitID? = nil
}
