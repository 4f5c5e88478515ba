import Foundation
import NAS
import Pipeline

/// Reading a benchmark CSV that arrives as an op input.
///
/// The runner materialises an input under its input name (`inputs/table`), so
/// the repository file's `.zst` suffix is gone and `CSVFile.load`, which
/// decides by suffix, would read compressed bytes as text. The zstd frame
/// magic decides instead; a compressed input is read through a temporary
/// `.zst` link so the NAS loader decompresses it. Errors are re-labelled with
/// `displayName` (the input name) so a bad row reads `table:12: …` rather than
/// naming a temporary path.
enum CSVInput {
    /// The zstd frame magic number, little-endian on disk.
    static let zstdMagic: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD]

    /// Reads `url` (plain or zstd-compressed CSV) and hands it to `parse`
    /// (typically a NAS table initialiser); `displayName` replaces the file
    /// path in every NAS error either step throws.
    static func read<T>(_ url: URL, displayName: String, op: String, parse: (CSVFile) throws -> T) throws -> T {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw PipelineError.opFailed(op: op, reason: "\(displayName): cannot read \(url.lastPathComponent)")
        }
        let head = [UInt8]((try? handle.read(upToCount: 4)) ?? Data())
        try? handle.close()
        var path = url.path
        var scratch: URL?
        if head == zstdMagic && !url.path.hasSuffix(".zst") {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nasstages-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let link = dir.appendingPathComponent("input.csv.zst")
            try FileManager.default.createSymbolicLink(at: link, withDestinationURL: url.standardizedFileURL)
            scratch = dir
            path = link.path
        }
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
        do {
            return try parse(try CSVFile.load(path: path))
        } catch let error as NASError {
            throw PipelineError.opFailed(op: op, reason: relabel(error, as: displayName).description)
        }
    }

    /// `error` with any file path replaced by `name`.
    static func relabel(_ error: NASError, as name: String) -> NASError {
        switch error {
        case let .unreadableFile(_, reason): return .unreadableFile(file: name, reason: reason)
        case let .badHeader(_, reason): return .badHeader(file: name, reason: reason)
        case let .badRow(_, line, reason): return .badRow(file: name, line: line, reason: reason)
        default: return error
        }
    }
}
