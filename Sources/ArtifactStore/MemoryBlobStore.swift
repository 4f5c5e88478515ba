import Foundation

/// An in-memory `BlobStore` for tests and dry runs.
///
/// It keeps the same promises as `DiskBlobStore` (re-hash on read, atomic
/// file retrieval) so code tested against it behaves the same on disk.
public final class MemoryBlobStore: BlobStore, @unchecked Sendable {
    // @unchecked: `blobs` is only touched while holding `mutex`.
    private var blobs: [Digest: Data] = [:]
    private let mutex = NSLock()

    /// An empty store.
    public init() {}

    /// Digests of every stored blob, sorted.
    public var allDigests: [Digest] {
        mutex.withLock { blobs.keys.sorted() }
    }

    /// Drops a blob (for garbage-collection style tests); returns whether it was present.
    @discardableResult
    public func remove(_ digest: Digest) -> Bool {
        mutex.withLock { blobs.removeValue(forKey: digest) != nil }
    }

    /// Replaces the stored bytes of `digest` without changing its key, to
    /// simulate corruption in tests; reads of it must then fail.
    public func overwriteStoredBytes(of digest: Digest, with bytes: Data) {
        mutex.withLock { blobs[digest] = bytes }
    }

    public func put(_ data: Data) throws -> Digest {
        let digest = Digest.sha256(data)
        mutex.withLock {
            if blobs[digest] == nil { blobs[digest] = data }
        }
        return digest
    }

    public func put(file: URL) throws -> Digest {
        guard let info = try Posix.status(file.path) else {
            throw ArtifactStoreError.io(operation: "open", path: file.path, code: ENOENT)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ArtifactStoreError.unsupportedFileType(path: file.path)
        }
        do {
            return try put(Data(contentsOf: file))
        } catch let error as ArtifactStoreError {
            throw error
        } catch {
            throw ArtifactStoreError.io(operation: "read", path: file.path, code: EIO)
        }
    }

    public func get(_ digest: Digest) throws -> Data {
        let path = "memory:\(digest)"
        guard let data = mutex.withLock({ blobs[digest] }) else {
            throw ArtifactStoreError.objectMissing(digest, path: path)
        }
        let actual = Digest.sha256(data)
        guard actual == digest else {
            throw ArtifactStoreError.objectCorrupt(digest, path: path, reason: "content hashes to \(actual)")
        }
        return data
    }

    public func get(_ digest: Digest, to destination: URL) throws {
        let data = try get(digest)
        do {
            try data.write(to: destination, options: .atomic)
        } catch {
            throw ArtifactStoreError.io(operation: "write", path: destination.path, code: EIO)
        }
    }

    public func contains(_ digest: Digest) -> Bool {
        mutex.withLock { blobs[digest] != nil }
    }

    public func size(of digest: Digest) throws -> Int64 {
        guard let data = mutex.withLock({ blobs[digest] }) else {
            throw ArtifactStoreError.objectMissing(digest, path: "memory:\(digest)")
        }
        return Int64(data.count)
    }
}
