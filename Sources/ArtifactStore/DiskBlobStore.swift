import Foundation
import CZstd
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The on-disk blob store: one zstd frame per object at
/// `<root>/objects/sha256/ab/cdef…` (two hex digits as a fan-out directory,
/// the remaining 62 as the file name), named by the SHA-256 of the
/// *uncompressed* content. The layout is documented in docs/store-format.md.
///
/// Writes are atomic: content is compressed into `<root>/tmp/`, fsynced and
/// renamed into place, so a process killed at any instant leaves either no
/// object or a complete one, and concurrent writers of the same content both
/// succeed. Every read decompresses and re-hashes.
public struct DiskBlobStore: BlobStore {
    /// The store directory (`./artifacts` for the CLI).
    public let root: URL
    /// zstd level for new objects; existing objects are never recompressed.
    public let compressionLevel: Int

    /// A store rooted at `root`; directories are created on the first write.
    public init(root: URL, compressionLevel: Int = 3) {
        self.root = root.standardizedFileURL
        self.compressionLevel = compressionLevel
    }

    /// `<root>/objects/<algorithm>`: the fan-out directories live here.
    var objectsPath: String { root.appendingPathComponent("objects/sha256").path }
    /// `<root>/tmp`: in-flight writes; anything here is garbage once no writer holds the lock.
    var tmpPath: String { root.appendingPathComponent("tmp").path }

    /// Where the object for `digest` lives (whether or not it exists).
    public func objectPath(for digest: Digest) -> String {
        let hex = digest.hex
        let split = hex.index(hex.startIndex, offsetBy: 2)
        return "\(root.path)/objects/\(digest.algorithm.rawValue)/\(hex[..<split])/\(hex[split...])"
    }

    /// Whether an object file for `digest` exists (integrity is checked by reads and `verify`).
    public func contains(_ digest: Digest) -> Bool {
        guard let info = try? Posix.status(objectPath(for: digest)) else { return false }
        return info.st_mode & S_IFMT == S_IFREG
    }

    /// The uncompressed size of `digest`, read from the stored header without decompressing.
    public func size(of digest: Digest) throws -> Int64 {
        try ObjectDecoder.contentSize(of: digest, at: objectPath(for: digest))
    }

    /// Stores `data` (hashing first, so known content costs no compression).
    public func put(_ data: Data) throws -> Digest {
        // Hashing first is cheap next to compressing, and lets known content skip all work.
        let digest = Digest.sha256(data)
        // Taken before the existence check: a gc between the check and the caller
        // recording the digest could otherwise delete the object we rely on.
        let lock = try StoreLock.acquire(.shared, root: root)
        defer { lock.release() }
        if isStored(digest, size: Int64(data.count)) { return digest }
        let temp = try TempObject(directory: tmpPath)
        defer { temp.discard() }
        try writeFrame(size: UInt64(data.count), to: temp, label: temp.path) { compress in
            try data.withUnsafeBytes { try compress($0) }
        }
        try commit(temp, as: digest, size: Int64(data.count))
        return digest
    }

    /// Streams the regular file at `file` into the store in bounded memory.
    public func put(file: URL) throws -> Digest {
        let path = file.path
        let input = try Posix.openFile(path, O_RDONLY)
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0 else { throw ArtifactStoreError.io(operation: "stat", path: path, code: errno) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw ArtifactStoreError.unsupportedFileType(path: path) }
        let size = UInt64(info.st_size)
        _ = posix_fadvise(input, 0, 0, POSIX_FADV_SEQUENTIAL)

        let lock = try StoreLock.acquire(.shared, root: root)
        defer { lock.release() }
        let temp = try TempObject(directory: tmpPath)
        defer { temp.discard() }
        let digest = try writeFrame(size: size, to: temp, label: path) { compress in
            try HashingFileReader.read(fd: input, path: path, expectedSize: size, chunk: compress)
        }
        try commit(temp, as: digest, size: Int64(size))
        return digest
    }

    /// Compresses the bytes `produce` passes to its argument into `temp` as
    /// one frame of exactly `size` bytes; returns what `produce` returns.
    ///
    /// Large inputs get zstd worker threads and a write-behind thread, so the
    /// calling thread only moves data between them.
    private func writeFrame<T>(size: UInt64, to temp: TempObject, label: String,
                               produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> T) throws -> T {
        let workers = zstdWorkerCount(forInputSize: size)
        let compressor = try ZstdCompressor(level: compressionLevel, workers: workers, pledgedSize: size, path: label)
        let writer = workers > 0 ? AsyncFileWriter(fd: temp.fd, path: temp.path) : nil
        defer { writer?.abandon() }
        // Small objects: one zstd-sized buffer, written out after every fill.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: writer == nil ? ZSTD_CStreamOutSize() : 0,
                                                            alignment: 64)
        defer { buffer.deallocate() }
        let sink: CompressedSink = { fill in
            if let writer { return try writer.fill(fill) }
            let n = try fill(buffer)
            try Posix.writeAll(temp.fd, UnsafeRawBufferPointer(rebasing: buffer[..<n]), path: temp.path)
        }
        let result = try produce { try compressor.compress($0, sink: sink) }
        try compressor.finish(sink: sink)
        try writer?.finish()
        return result
    }

    /// True when an object for `digest` exists and its header records `size`
    /// bytes: enough to skip a rewrite, since objects only appear by atomic rename.
    func isStored(_ digest: Digest, size: Int64) -> Bool {
        (try? self.size(of: digest)) == size
    }

    /// Makes a finished temp file the object for `digest`: fsync, rename into
    /// its fan-out directory, fsync that directory.
    private func commit(_ temp: TempObject, as digest: Digest, size: Int64) throws {
        // Objects are read-only: nothing should ever edit one in place.
        _ = fchmod(temp.fd, 0o444)
        try Posix.sync(temp.fd, path: temp.path)
        if isStored(digest, size: size) { return } // a concurrent writer won; its object is equally valid
        let final = objectPath(for: digest)
        let fanOut = Posix.parentPath(final)
        if try Posix.makeDirectories(fanOut) {
            try Posix.syncDirectory(Posix.parentPath(fanOut))
        }
        try Posix.renameFile(temp.path, final)
        temp.committed()
        try Posix.syncDirectory(fanOut)
    }
}
