import CZstd
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one stored object back: decompresses its single zstd frame, streams
/// the content to a sink and proves it matches the digest it is filed under.
///
/// Every way an object can be damaged (truncated, bytes flipped, trailing
/// garbage, a second frame, a header size that lies, content that hashes to
/// something else) ends in `ArtifactStoreError.objectCorrupt` naming the digest
/// and path. The sink may already have seen some bytes when that happens, so
/// callers that hand data onwards buffer or write to a temp file first.
enum ObjectDecoder {
    /// Largest zstd frame header (ZSTD_FRAMEHEADERSIZE_MAX, which is not in the stable API).
    static let maxHeaderSize = 18

    /// The uncompressed size recorded in the frame header of the object at `path`.
    static func contentSize(of digest: Digest, at path: String) throws -> Int64 {
        let fd = try openObject(digest, at: path)
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: maxHeaderSize)
        let n = try header.withUnsafeMutableBytes { try Posix.readFully(fd, into: $0, path: path) }
        return try headerSize(header, count: n, digest: digest, path: path)
    }

    /// Decodes and verifies the object, passing content to `sink` in order;
    /// returns the content size.
    @discardableResult
    static func decode(_ digest: Digest, at path: String,
                       sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Int64 {
        let fd = try openObject(digest, at: path)
        defer { close(fd) }
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        func corrupt(_ reason: String) -> ArtifactStoreError {
            .objectCorrupt(digest, path: path, reason: reason)
        }
        guard let context = ZSTD_createDCtx() else {
            throw corrupt("out of memory creating a zstd context")
        }
        defer { ZSTD_freeDCtx(context) }
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { input.deallocate(); output.deallocate() }

        var hasher = DigestHasher()
        var total: Int64 = 0
        var expected: Int64?
        var frameDone = false
        while true {
            let n = try Posix.readFully(fd, into: input, path: path)
            if n == 0 { break }
            if frameDone { throw corrupt("unexpected bytes after the zstd frame") }
            if expected == nil {
                expected = try headerSize(Array(UnsafeRawBufferPointer(rebasing: input[..<min(n, maxHeaderSize)])),
                                          count: min(n, maxHeaderSize), digest: digest, path: path)
            }
            var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: n, pos: 0)
            while inBuffer.pos < inBuffer.size || !frameDone {
                var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
                let hint = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
                if ZSTD_isError(hint) != 0 {
                    throw corrupt(String(cString: ZSTD_getErrorName(hint)))
                }
                if outBuffer.pos > 0 {
                    let chunk = UnsafeRawBufferPointer(start: output.baseAddress, count: outBuffer.pos)
                    total += Int64(outBuffer.pos)
                    if let expected, total > expected {
                        throw corrupt("more content than the \(expected) bytes its header records")
                    }
                    hasher.update(chunk)
                    try sink(chunk)
                }
                if hint == 0 {
                    frameDone = true
                    if inBuffer.pos < inBuffer.size { throw corrupt("unexpected bytes after the zstd frame") }
                    break
                }
                // Input used up and the output buffer was not filled: zstd needs more input.
                if inBuffer.pos == inBuffer.size && outBuffer.pos < outBuffer.size { break }
            }
        }
        guard frameDone else { throw corrupt("truncated (the zstd frame does not end)") }
        guard total == expected else {
            throw corrupt("holds \(total) bytes but its header records \(expected ?? -1)")
        }
        let actual = hasher.finalize()
        guard actual == digest else { throw corrupt("content hashes to \(actual)") }
        return total
    }

    private static func openObject(_ digest: Digest, at path: String) throws -> Int32 {
        do {
            return try Posix.openFile(path, O_RDONLY)
        } catch ArtifactStoreError.io(_, _, let code) where code == ENOENT || code == ENOTDIR {
            throw ArtifactStoreError.objectMissing(digest, path: path)
        }
    }

    private static func headerSize(_ header: [UInt8], count: Int, digest: Digest, path: String) throws -> Int64 {
        let size = header.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, count) }
        // Large sentinel values (unknown / error) exceed Int64.max; the store always records the size.
        guard size <= UInt64(Int64.max) else {
            throw ArtifactStoreError.objectCorrupt(
                digest, path: path, reason: count == 0 ? "empty file" : "no valid zstd frame header with a content size")
        }
        return Int64(size)
    }
}
