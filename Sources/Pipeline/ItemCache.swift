import ArtifactStore
import Foundation

/// Per-item caching inside one op run, so that an op doing many independent
/// units of work (training 60 architectures) can resume after an
/// interruption: each unit's result is stored as its own content-addressed
/// artifact, and a re-run loads the finished units instead of redoing them.
///
/// The runner supplies an implementation through `OpContext.itemCache` that
/// already knows the op's name and version and the stage's input digests; the
/// op passes only the item's own parameters. Every parameter that changes the
/// item's result must be among them (stage parameters are deliberately NOT
/// added, so that growing a population from 60 to 80 architectures re-uses
/// the first 60).
public protocol ItemCache: Sendable {
    /// The stored result of the item described by `item`, or nil on a miss.
    func load(_ item: [String: String]) throws -> Data?
    /// Stores the result of the item described by `item`.
    func store(_ item: [String: String], _ data: Data) throws
}

/// The identity of one cached item: a canonical, sorted, human-readable
/// record and its SHA-256, which is the key.
public struct ItemKey: Hashable, Sendable {
    /// The canonical record: `op`, `version`, one `input NAME DIGEST` line per
    /// input and one `item NAME VALUE` line per item parameter, each group
    /// sorted by name; newlines and backslashes in values are escaped.
    public let record: String
    /// SHA-256 of the record's UTF-8 bytes.
    public let digest: Digest

    /// The key of `item` of op `op` at `version` run on `inputs`.
    public init(op: String, version: Int, inputs: [String: Digest], item: [String: String]) {
        var lines = ["op \(Self.escape(op))", "version \(version)"]
        for name in inputs.keys.sorted() { lines.append("input \(Self.escape(name)) \(inputs[name]!)") }
        for name in item.keys.sorted() { lines.append("item \(Self.escape(name)) \(Self.escape(item[name]!))") }
        record = lines.joined(separator: "\n") + "\n"
        digest = Digest.sha256(Data(record.utf8))
    }

    /// Escapes `\` and newlines so every field stays on one line.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }
}
