/// One named child of a `Tree`: a file blob or a nested tree.
///
/// The initialiser validates the name, so a `TreeEntry` can always be joined
/// to a directory path without escaping it — whether it came from a directory
/// listing or from a manifest someone crafted by hand.
public struct TreeEntry: Hashable, Sendable {
    /// What the entry's digest names.
    public enum Kind: String, Sendable, CaseIterable {
        /// A regular file; the digest names its content.
        case file
        /// A directory; the digest names its manifest blob.
        case tree
    }

    /// The single path component this entry is stored under.
    public let name: String
    /// File or tree.
    public let kind: Kind
    /// Permission bits: 0o644 or 0o755 for files (from the owner exec bit), always 0o755 for trees.
    public let mode: UInt32
    /// Uncompressed size of the blob `digest` names (for trees: of the manifest).
    public let size: Int64
    /// The blob this entry points at.
    public let digest: Digest

    /// Validates and builds an entry; throws `invalidEntryName` or `malformedTree`.
    public init(name: String, kind: Kind, mode: UInt32, size: Int64, digest: Digest) throws {
        try TreeEntry.validate(name: name)
        let allowed: Set<UInt32> = kind == .file ? [0o644, 0o755] : [0o755]
        guard allowed.contains(mode) else {
            throw ArtifactStoreError.malformedTree(
                nil, reason: "entry '\(name)' has mode \(String(mode, radix: 8)); a \(kind.rawValue) must use "
                    + allowed.sorted().map { String($0, radix: 8) }.joined(separator: " or "))
        }
        guard size >= 0 else {
            throw ArtifactStoreError.malformedTree(nil, reason: "entry '\(name)' has negative size \(size)")
        }
        self.name = name
        self.kind = kind
        self.mode = mode
        self.size = size
        self.digest = digest
    }

    /// Whether this file entry is executable.
    public var isExecutable: Bool { mode == 0o755 && kind == .file }

    /// Rejects any name that is not exactly one safe path component:
    /// empty, `.`, `..`, containing `/`, NUL or a line break (which would
    /// break the one-entry-per-line manifest), or longer than 255 bytes.
    public static func validate(name: String) throws {
        let bytes = Array(name.utf8)
        func reject(_ reason: String) -> ArtifactStoreError { .invalidEntryName(name, reason: reason) }
        if bytes.isEmpty { throw reject("empty name") }
        if name == "." || name == ".." { throw reject("'.' and '..' are not allowed") }
        if bytes.contains(UInt8(ascii: "/")) { throw reject("a name cannot contain '/'") }
        if bytes.contains(0) { throw reject("a name cannot contain NUL") }
        if bytes.contains(UInt8(ascii: "\n")) || bytes.contains(UInt8(ascii: "\r")) {
            throw reject("a name cannot contain a line break")
        }
        if bytes.count > 255 { throw reject("longer than 255 bytes") }
    }
}
