import Foundation
import NAS
import Pipeline

/// Reading a benchmark CSV that arrives as an op input.
///
/// `CSVFile.load` already recognises a zstd-compressed file by its content
/// (the runner materialises an input under its input name, `inputs/table`,
/// without the repository file's `.zst` suffix). What this adds is the op's
/// error convention: NAS errors become `PipelineError.opFailed` naming the op,
/// and they name the input (`table:12: …`) rather than a path under the
/// stage's scratch directory.
enum CSVInput {
    /// Reads `url` (plain or zstd-compressed CSV) and hands it to `parse`
    /// (typically a NAS table initialiser); `displayName` replaces the file
    /// path in every NAS error either step throws.
    static func read<T>(_ url: URL, displayName: String, op: String, parse: (CSVFile) throws -> T) throws -> T {
        do {
            return try parse(try CSVFile.load(path: url.path, name: displayName))
        } catch let error as NASError {
            throw PipelineError.opFailed(op: op, reason: error.description)
        }
    }
}
