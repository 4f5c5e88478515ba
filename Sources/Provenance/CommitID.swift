import Foundation
import ArtifactStore

/// A git commit id in the ledger (40 lower-case hex digits of the SHA-1 object name).
///
/// Kept distinct from `Digest`: commit ids name ledger history, digests name artifacts.
public struct CommitID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The 40-digit lower-case hex object name.
    public let hex: String

    /// Accepts exactly 40 lower-case hex digits; nil otherwise.
    public init?(_ hex: String) {
        guard hex.utf8.count == 40, Hex.decode(hex) != nil else { return nil }
        self.hex = hex
    }

    /// The hex object name.
    public var description: String { hex }

    /// The first 12 digits, for compact listings.
    public var short: String { String(hex.prefix(12)) }

    /// Orders by hex text.
    public static func < (lhs: CommitID, rhs: CommitID) -> Bool { lhs.hex < rhs.hex }

    /// Encodes as the hex string.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }

    /// Decodes the hex string; anything else is a decoding error.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let id = CommitID(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected 40 hex digits, got '\(text)'")
        }
        self = id
    }
}

/// Where one record lives: the pipeline ref, the commit, and the stage file `records/<stage>.json`.
public struct RecordLocation: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Pipeline name (the ref is `refs/heads/pipelines/<pipeline>`).
    public let pipeline: String
    /// Commit holding the record.
    public let commit: CommitID
    /// Stage name (the file is `records/<stage>.json`).
    public let stage: String

    /// Names a record.
    public init(pipeline: String, commit: CommitID, stage: String) {
        self.pipeline = pipeline
        self.commit = commit
        self.stage = stage
    }

    /// `pipeline@commit12:stage`, as listings print it.
    public var description: String { "\(pipeline)@\(commit.short):\(stage)" }

    /// Orders by pipeline, commit, stage (a stable, time-independent order).
    public static func < (lhs: RecordLocation, rhs: RecordLocation) -> Bool {
        (lhs.pipeline, lhs.commit.hex, lhs.stage) < (rhs.pipeline, rhs.commit.hex, rhs.stage)
    }
}

/// A record together with where it was read from.
public struct LocatedRecord: Sendable, Equatable {
    /// Where the record lives.
    public let location: RecordLocation
    /// The record itself.
    public let record: RunRecord

    /// Pairs a record with its location.
    public init(location: RecordLocation, record: RunRecord) {
        self.location = location
        self.record = record
    }
}
