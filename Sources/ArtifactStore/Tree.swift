import Foundation

/// A directory snapshot: entries sorted by the UTF-8 bytes of their names.
///
/// A tree is stored as a canonical text manifest (docs/store-format.md):
///
///     nasbook-tree v1
///     file 644 12 sha256:… a.txt
///     tree 755 87 sha256:… sub
///
/// One line per entry, fields separated by single spaces, the name last so it
/// may contain spaces. The same directory always encodes to the same bytes,
/// so the same directory always has the same digest.
public struct Tree: Hashable, Sendable {
    /// Manifest format version written in the first line.
    public static let formatVersion = 1
    /// The first line of every manifest blob; how `readTree` tells trees from files.
    public static let magicLine = "nasbook-tree v\(formatVersion)"
    /// Manifests larger than this are refused, which bounds what `readTree` loads.
    public static let maxManifestBytes: Int64 = 64 << 20

    /// Entries in canonical order (no two with the same name).
    public let entries: [TreeEntry]

    /// Sorts `entries` canonically; throws `malformedTree` on a duplicate name.
    public init(entries: [TreeEntry]) throws {
        let sorted = entries.sorted { Tree.precedes($0.name, $1.name) }
        for (a, b) in zip(sorted, sorted.dropFirst()) where Array(a.name.utf8) == Array(b.name.utf8) {
            throw ArtifactStoreError.malformedTree(nil, reason: "duplicate entry '\(a.name)'")
        }
        self.entries = sorted
    }

    /// The entry called `name`, if any.
    public subscript(name: String) -> TreeEntry? {
        entries.first { Array($0.name.utf8) == Array(name.utf8) }
    }

    /// The canonical manifest bytes.
    public func encoded() -> Data {
        var text = Tree.magicLine + "\n"
        for e in entries {
            text += "\(e.kind.rawValue) \(String(e.mode, radix: 8)) \(e.size) \(e.digest) \(e.name)\n"
        }
        return Data(text.utf8)
    }

    /// Parses a manifest, accepting only the canonical encoding: any deviation
    /// (unknown kind, bad mode, unsafe name, unsorted or duplicate entries,
    /// missing final newline) throws `malformedTree` or `invalidEntryName`.
    /// `digest` only labels errors.
    public static func decode(_ data: Data, digest: Digest? = nil) throws -> Tree {
        func malformed(_ reason: String) -> ArtifactStoreError { .malformedTree(digest, reason: reason) }
        guard let text = String(data: data, encoding: .utf8) else { throw malformed("not UTF-8") }
        guard text.hasSuffix("\n") else { throw malformed("missing final newline") }
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
        guard let first = lines.first, String(decoding: first, as: UTF8.self) == magicLine else {
            throw malformed("first line is not '\(magicLine)'")
        }
        lines = lines.dropFirst()
        var entries: [TreeEntry] = []
        for (index, line) in lines.enumerated() {
            let fields = line.split(separator: UInt8(ascii: " "), maxSplits: 4, omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            guard fields.count == 5 else { throw malformed("line \(index + 2) does not have 5 fields") }
            guard let kind = TreeEntry.Kind(rawValue: fields[0]) else {
                throw malformed("line \(index + 2): unknown kind '\(fields[0])'")
            }
            guard let mode = UInt32(fields[1], radix: 8), String(mode, radix: 8) == fields[1] else {
                throw malformed("line \(index + 2): bad mode '\(fields[1])'")
            }
            guard let size = Int64(fields[2]), String(size) == fields[2] else {
                throw malformed("line \(index + 2): bad size '\(fields[2])'")
            }
            guard let entryDigest = Digest(fields[3]) else {
                throw malformed("line \(index + 2): bad digest '\(fields[3])'")
            }
            do {
                entries.append(try TreeEntry(name: fields[4], kind: kind, mode: mode, size: size, digest: entryDigest))
            } catch ArtifactStoreError.malformedTree(_, let reason) {
                throw malformed(reason)
            }
        }
        let tree = try Tree(entries: entries)
        guard tree.entries == entries else { throw malformed("entries are not sorted by name") }
        guard tree.encoded() == data else { throw malformed("not in canonical form") }
        return tree
    }

    /// Canonical order: plain byte order of the UTF-8 names, independent of locale
    /// and of Unicode normalisation.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
