import Foundation

/// A content-addressed store of immutable blobs, keyed by the SHA-256 of
/// their uncompressed content.
///
/// Implementations must be safe to call from several threads at once, must
/// store identical content once, and must never hand back bytes that do not
/// hash to the requested digest (they throw `objectCorrupt` instead).
/// Trees, verification helpers and string conveniences are built on these six
/// requirements in extensions.
public protocol BlobStore: Sendable {
    /// Stores `data` and returns its digest; storing existing content is a cheap no-op.
    func put(_ data: Data) throws -> Digest

    /// Stores the regular file at `file` without loading it into memory.
    /// Throws `fileChanged` when the file grows or shrinks while being read.
    func put(file: URL) throws -> Digest

    /// The verified content of `digest`; throws `objectMissing` or `objectCorrupt`.
    func get(_ digest: Digest) throws -> Data

    /// Writes the verified content of `digest` to `destination` (replacing a
    /// file there). Nothing appears at `destination` unless every byte verified.
    func get(_ digest: Digest, to destination: URL) throws

    /// Whether an object for `digest` is present (not whether it is intact; see `verify`).
    func contains(_ digest: Digest) -> Bool

    /// The uncompressed size of the content of `digest`.
    func size(of digest: Digest) throws -> Int64
}

extension BlobStore {
    /// Stores the UTF-8 bytes of `text`.
    public func put(_ text: String) throws -> Digest {
        try put(Data(text.utf8))
    }

    /// Stores raw bytes.
    public func put(bytes: [UInt8]) throws -> Digest {
        try put(Data(bytes))
    }

    /// The verified content of `digest` decoded as UTF-8 (invalid sequences are repaired).
    public func getString(_ digest: Digest) throws -> String {
        String(decoding: try get(digest), as: UTF8.self)
    }

    /// Stores a file or a whole directory: a file becomes one blob, a
    /// directory a tree (see `putTree(directory:)`). Returns the digest to
    /// hand to `export(_:to:)`.
    public func putArtifact(at url: URL) throws -> Digest {
        guard let info = try Posix.status(url.path) else {
            throw ArtifactStoreError.io(operation: "read", path: url.path, code: ENOENT)
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return try putTree(directory: url)
        case S_IFREG: return try put(file: url)
        default:
            // Follow a top-level symlink the user named explicitly; inside trees they are rejected.
            let resolved = url.resolvingSymlinksInPath()
            guard resolved.path != url.path, (try Posix.status(resolved.path)) != nil else {
                throw ArtifactStoreError.unsupportedFileType(path: url.path)
            }
            return try putArtifact(at: resolved)
        }
    }
}
