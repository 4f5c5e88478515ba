import CZlib
import Foundation

/// Reads a whole file, gunzipping it when it is gzip-compressed (zlib's gz* functions pass plain
/// files through unchanged, so `x.gz` and `x` need no separate code paths).
/// Throws `NASError.unreadableFile` for a missing file or a corrupt/truncated gzip stream.
func readPossiblyGzippedFile(_ path: String) throws -> [UInt8] {
    guard FileManager.default.fileExists(atPath: path) else {
        throw NASError.unreadableFile(file: path, reason: "no such file")
    }
    guard let handle = gzopen(path, "rb") else {
        throw NASError.unreadableFile(file: path, reason: "cannot open")
    }
    defer { gzclose(handle) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { gzread(handle, $0.baseAddress, UInt32($0.count)) }
        if n < 0 {
            var code: Int32 = 0
            let message = gzerror(handle, &code).map { String(cString: $0) } ?? "gzread failed"
            throw NASError.unreadableFile(file: path, reason: "decompression failed after \(bytes.count) bytes: \(message)")
        }
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<Int(n)])
    }
    // A gzip stream cut short reads as EOF with a pending Z_BUF_ERROR rather than n < 0.
    var code: Int32 = 0
    let message = gzerror(handle, &code).map { String(cString: $0) } ?? ""
    if code != Z_OK {
        throw NASError.unreadableFile(file: path, reason: "decompression failed after \(bytes.count) bytes: \(message)")
    }
    return bytes
}
