import Foundation
import ArtifactStore

/// What one stage did in one run: the op and its parameters, the digests it read
/// and wrote, the cache key (and the text it is the SHA-256 of), times and outcome.
///
/// Stored as canonical JSON (`CanonicalJSON`) at `records/<stage>.json` in the
/// run's commit. Maps are `[String: …]` and are written with sorted keys, so the
/// in-memory order never leaks into the stored text.
public struct RunRecord: Sendable, Codable, Equatable {
    /// Pipeline the stage belongs to.
    public var pipeline: String
    /// Stage name, unique within a run.
    public var stage: String
    /// Op the stage ran (e.g. `nas.sample`).
    public var op: String
    /// Version of the op's implementation; part of the cache key.
    public var opVersion: Int
    /// Parameters, as canonical JSON values.
    public var params: [String: ParamValue]
    /// Input name → digest of the artifact read.
    public var inputs: [String: Digest]
    /// Digest of the artifact written; nil exactly when the stage failed.
    public var output: Digest?
    /// The stage's cache key, `sha256(keyRecord)`.
    public var cacheKey: Digest
    /// Human-readable canonical text the cache key is the SHA-256 of.
    public var keyRecord: String
    /// When the stage started.
    public var started: Timestamp
    /// When the stage finished (or was found in the cache).
    public var ended: Timestamp
    /// Host name of the machine that ran it.
    public var host: String
    /// nasbook version that ran it.
    public var toolVersion: String
    /// Whether the stage executed, reused a cached result, or failed.
    public var outcome: Outcome

    /// Builds a record; every field is explicit so callers cannot forget one.
    public init(pipeline: String, stage: String, op: String, opVersion: Int, params: [String: ParamValue],
                inputs: [String: Digest], output: Digest?, cacheKey: Digest, keyRecord: String,
                started: Timestamp, ended: Timestamp, host: String, toolVersion: String, outcome: Outcome) {
        self.pipeline = pipeline
        self.stage = stage
        self.op = op
        self.opVersion = opVersion
        self.params = params
        self.inputs = inputs
        self.output = output
        self.cacheKey = cacheKey
        self.keyRecord = keyRecord
        self.started = started
        self.ended = ended
        self.host = host
        self.toolVersion = toolVersion
        self.outcome = outcome
    }

    /// The canonical JSON bytes stored in the ledger.
    public func canonicalJSON() throws -> Data { try CanonicalJSON.encode(self) }

    /// Every digest the record names (inputs and output), for garbage-collection roots.
    public var digests: Set<Digest> {
        var all = Set(inputs.values)
        if let output { all.insert(output) }
        return all
    }
}

/// How a stage's output came to be.
public enum Outcome: Sendable, Codable, Equatable {
    /// The op ran and produced the output.
    case executed
    /// The output was reused from an earlier executed record with the same cache key.
    case cached(from: RecordLocation)
    /// The op failed; the message is the one-line error.
    case failed(message: String)

    private enum CodingKeys: String, CodingKey { case status, from, message }

    /// Encodes as `{"status":"executed"}`, `{"from":{…},"status":"cached"}` or `{"message":…,"status":"failed"}`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .executed:
            try c.encode("executed", forKey: .status)
        case .cached(let from):
            try c.encode("cached", forKey: .status)
            try c.encode(from, forKey: .from)
        case .failed(let message):
            try c.encode("failed", forKey: .status)
            try c.encode(message, forKey: .message)
        }
    }

    /// Decodes the forms `encode(to:)` writes; an unknown status is a decoding error.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .status) {
        case "executed": self = .executed
        case "cached": self = .cached(from: try c.decode(RecordLocation.self, forKey: .from))
        case "failed": self = .failed(message: try c.decode(String.self, forKey: .message))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .status, in: c, debugDescription: "unknown outcome '\(other)'")
        }
    }

    /// True for `.executed`.
    public var isExecuted: Bool { if case .executed = self { return true } else { return false } }
}
