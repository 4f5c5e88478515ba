import CZstd

/// Streaming zstd decompression of an in-memory buffer (one or more frames),
/// used to read the `.zst` benchmark tables without a temporary file.
enum ZstdDecoder {
    /// Decompresses `input`; `file` only names the source in errors.
    static func decompress(_ input: [UInt8], file: String) throws -> [UInt8] {
        guard let stream = ZSTD_createDStream() else {
            throw NASError.unreadableFile(file: file, reason: "cannot allocate a zstd stream")
        }
        defer { ZSTD_freeDStream(stream) }
        ZSTD_initDStream(stream)
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 6)
        let chunk = ZSTD_DStreamOutSize()
        var scratch = [UInt8](repeating: 0, count: chunk)
        var lastHint = 0
        try input.withUnsafeBytes { raw in
            var inBuffer = ZSTD_inBuffer(src: raw.baseAddress, size: raw.count, pos: 0)
            // Keep draining while input remains or the decoder still fills whole
            // output chunks (it may hold buffered data after consuming the input).
            while true {
                let (hint, produced) = try scratch.withUnsafeMutableBytes { out -> (Int, Int) in
                    var outBuffer = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                    let result = ZSTD_decompressStream(stream, &outBuffer, &inBuffer)
                    if ZSTD_isError(result) != 0 {
                        throw NASError.unreadableFile(
                            file: file, reason: "zstd: \(String(cString: ZSTD_getErrorName(result)))")
                    }
                    return (result, outBuffer.pos)
                }
                output.append(contentsOf: scratch[0..<produced])
                lastHint = hint
                if inBuffer.pos == inBuffer.size && produced < chunk { break }
            }
        }
        // A non-zero hint after all input means the last frame is cut short.
        guard lastHint == 0 else {
            throw NASError.unreadableFile(file: file, reason: "zstd: truncated frame")
        }
        return output
    }
}
