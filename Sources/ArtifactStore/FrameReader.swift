import CZstd
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decompresses the single zstd frame of one object file into caller buffers.
///
/// It checks the framing (a header with the content size, a frame that ends,
/// nothing after it, zstd's own content checksum); the SHA-256 check is the
/// caller's, because hashing may run on another thread (see `ObjectDecoder`).
final class FrameReader {
    /// Largest zstd frame header (ZSTD_FRAMEHEADERSIZE_MAX, which is not in the stable API).
    static let maxHeaderSize = 18

    let digest: Digest
    let path: String
    /// Content size recorded in the frame header (untrusted until the hash matches).
    private(set) var expectedSize: Int64
    /// True once the frame has ended and nothing follows it.
    private(set) var frameDone = false

    private let fd: Int32
    private let context: OpaquePointer
    private let input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
    private var inPos = 0
    private var inSize = 0
    private var eof = false

    /// Opens the object and reads its header; throws `objectMissing` or `objectCorrupt`.
    init(digest: Digest, path: String) throws {
        self.digest = digest
        self.path = path
        do {
            fd = try Posix.openFile(path, O_RDONLY)
        } catch ArtifactStoreError.io(_, _, let code) where code == ENOENT || code == ENOTDIR {
            input.deallocate()
            throw ArtifactStoreError.objectMissing(digest, path: path)
        } catch {
            input.deallocate()
            throw error
        }
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        guard let context = ZSTD_createDCtx() else {
            close(fd)
            input.deallocate()
            throw ArtifactStoreError.objectCorrupt(digest, path: path, reason: "out of memory creating a zstd context")
        }
        self.context = context
        // A partly built instance still runs deinit, which releases fd, context and input.
        expectedSize = -1
        inSize = try Posix.readFully(fd, into: input, path: path)
        eof = inSize < input.count
        expectedSize = try FrameReader.headerSize(
            UnsafeRawBufferPointer(rebasing: input[..<min(inSize, FrameReader.maxHeaderSize)]), digest: digest, path: path)
    }

    deinit {
        ZSTD_freeDCtx(context)
        close(fd)
        input.deallocate()
    }

    /// Decompresses into `output` until it is full or the frame ends; returns
    /// the bytes produced (0 only once `frameDone`).
    func fill(_ output: UnsafeMutableRawBufferPointer) throws -> Int {
        var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        while outBuffer.pos < outBuffer.size && !frameDone {
            if inPos == inSize && !eof {
                inSize = try Posix.readFully(fd, into: input, path: path)
                inPos = 0
                eof = inSize < input.count
            }
            let before = outBuffer.pos
            var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: inSize, pos: inPos)
            let hint = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
            inPos = inBuffer.pos
            if ZSTD_isError(hint) != 0 { throw corrupt(String(cString: ZSTD_getErrorName(hint))) }
            if hint == 0 {
                frameDone = true
                try checkNothingFollows()
            } else if eof && inPos == inSize && outBuffer.pos == before {
                throw corrupt("truncated (the zstd frame does not end)")
            }
        }
        return outBuffer.pos
    }

    /// The error for damage found in this object.
    func corrupt(_ reason: String) -> ArtifactStoreError {
        .objectCorrupt(digest, path: path, reason: reason)
    }

    private func checkNothingFollows() throws {
        if inPos < inSize { throw corrupt("unexpected bytes after the zstd frame") }
        if !eof {
            inSize = try Posix.readFully(fd, into: input, path: path)
            inPos = 0
            eof = true
            if inSize > 0 { throw corrupt("unexpected bytes after the zstd frame") }
        }
    }

    /// The content size in a frame header; every store object records one.
    static func headerSize(_ header: UnsafeRawBufferPointer, digest: Digest, path: String) throws -> Int64 {
        let size = ZSTD_getFrameContentSize(header.baseAddress, header.count)
        // Large sentinel values (unknown / error) exceed Int64.max.
        guard size <= UInt64(Int64.max) else {
            throw ArtifactStoreError.objectCorrupt(
                digest, path: path,
                reason: header.isEmpty ? "empty file" : "no valid zstd frame header with a content size")
        }
        return Int64(size)
    }
}
