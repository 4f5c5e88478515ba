import Foundation

/// The small text ops every registry has; they make the quickstart and the
/// module's own tests runnable without any NAS code.
public enum BuiltinOps {
    /// `text.write`, `text.concat`, `text.stats`.
    public static var all: [any Op] { [TextWriteOp(), TextConcatOp(), TextStatsOp()] }

    /// Output file names are relative paths inside the output directory; this
    /// rejects absolute paths and `..` so an op never writes outside it.
    static func outputFile(_ name: String, in directory: URL, op: String) throws -> URL {
        let parts = name.split(separator: "/")
        guard !name.hasPrefix("/"), !parts.isEmpty, !parts.contains("..") else {
            throw PipelineError.opFailed(op: op, reason: "output file '\(name)' must be a relative path inside the output")
        }
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        return url
    }

    /// Regular files under `url` (itself if it is a file), in sorted relative-path
    /// order so results do not depend on directory listing order.
    static func files(under url: URL) throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [url] }
        let base = url.standardizedFileURL.path
        var found: [(String, URL)] = []
        if let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let file as URL in walker {
                guard (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
                let path = file.standardizedFileURL.path
                found.append((path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path, file))
            }
        }
        return found.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
