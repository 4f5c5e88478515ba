import CZstd
import Foundation

/// Where compressed bytes go. The sink calls `fill` with free space, once or
/// several times; `fill` writes compressed bytes at the start of that space
/// and returns how many. Handing out space instead of receiving finished
/// chunks lets zstd write straight into the write-behind buffers, saving a
/// copy of the whole compressed stream.
typealias CompressedSink = (_ fill: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> Void

/// Streaming zstd compressor producing exactly one frame with a content
/// checksum and (when pledged) the content size in the header.
///
/// With `workers > 0` zstd compresses on its own threads: `compress` only
/// copies input into job buffers and returns, so the caller's thread is free
/// to hash the next chunk while the previous one is being compressed. That is
/// how `DiskBlobStore.put(file:)` overlaps hashing with compression.
final class ZstdCompressor {
    private let context: OpaquePointer
    /// Path the frame is written to, for error messages only.
    private let path: String

    /// - Parameters:
    ///   - level: zstd level (zstd clamps out-of-range values itself).
    ///   - workers: compression threads; 0 compresses on the caller's thread.
    ///   - pledgedSize: the exact input size, recorded in the frame header so
    ///     readers know the size without decompressing; a mismatch fails.
    init(level: Int, workers: Int, pledgedSize: UInt64, path: String) throws {
        guard let context = ZSTD_createCCtx() else {
            throw ArtifactStoreError.compression(path: path, reason: "out of memory creating a context")
        }
        self.context = context
        self.path = path
        try check(ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, Int32(clamping: level)))
        try check(ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1))
        try check(ZSTD_CCtx_setParameter(context, ZSTD_c_contentSizeFlag, 1))
        if workers > 0 {
            // Fails only when libzstd was built without threads; single-threaded output is equally valid.
            _ = ZSTD_CCtx_setParameter(context, ZSTD_c_nbWorkers, Int32(clamping: workers))
        }
        try check(ZSTD_CCtx_setPledgedSrcSize(context, pledgedSize))
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Feeds `input`; compressed bytes that become available go to `sink`.
    func compress(_ input: UnsafeRawBufferPointer, sink: CompressedSink) throws {
        try run(input, directive: ZSTD_e_continue, sink: sink)
    }

    /// Ends the frame (writing the checksum) and flushes everything to `sink`.
    func finish(sink: CompressedSink) throws {
        try run(UnsafeRawBufferPointer(start: nil, count: 0), directive: ZSTD_e_end, sink: sink)
    }

    private func run(_ input: UnsafeRawBufferPointer, directive: ZSTD_EndDirective, sink: CompressedSink) throws {
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var done = false
        while !done {
            try sink { space in
                var outBuffer = ZSTD_outBuffer(dst: space.baseAddress, size: space.count, pos: 0)
                let remaining = ZSTD_compressStream2(context, &outBuffer, &inBuffer, directive)
                try check(remaining)
                done = directive == ZSTD_e_end ? remaining == 0 : inBuffer.pos == inBuffer.size
                return outBuffer.pos
            }
        }
    }

    private func check(_ code: Int) throws {
        if ZSTD_isError(code) != 0 {
            if ZSTD_getErrorCode(code) == ZSTD_error_srcSize_wrong {
                throw ArtifactStoreError.fileChanged(path: path)
            }
            throw ArtifactStoreError.compression(path: path, reason: String(cString: ZSTD_getErrorName(code)))
        }
    }
}

/// The number of compression threads to use for an input of `size` bytes.
///
/// Small inputs stay single-threaded: spawning workers costs more than it
/// saves below a few megabytes, and zstd would not split them into jobs anyway.
func zstdWorkerCount(forInputSize size: UInt64) -> Int {
    size >= 4 << 20 ? ProcessInfo.processInfo.activeProcessorCount : 0
}
