import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file replacement that readers can never observe half done: the bytes
/// go to a uniquely named temp file beside the target (same directory, so the
/// same filesystem), which is then renamed over it.
///
/// This is the store's one atomic writer; other modules (the ledger's index
/// files) use it rather than keeping their own temp-and-rename code.
public enum AtomicFile {
    /// Replaces the file at `path` with `data`, creating missing parent directories.
    ///
    /// - Parameters:
    ///   - mode: permission bits of the new file.
    ///   - durable: fsync the file before the rename and the directory after it,
    ///     so the new content survives a power loss. Derived files that can be
    ///     rebuilt (indexes) skip it: the rename alone already guarantees that a
    ///     crash leaves either the old or the new file, never a partial one.
    /// - Throws: `ArtifactStoreError.io` naming the failing call and path; the
    ///   temp file is removed on every failure.
    public static func write(_ data: Data, to path: String, mode: mode_t = 0o644, durable: Bool) throws {
        let directory = Posix.parentPath(path)
        let name = path.split(separator: "/").last.map(String.init) ?? "file"
        let temp = try TempObject(directory: directory, prefix: ".\(name).tmp-")
        defer { temp.discard() }
        try data.withUnsafeBytes { try Posix.writeAll(temp.fd, $0, path: temp.path) }
        _ = fchmod(temp.fd, mode)
        if durable { try Posix.sync(temp.fd, path: temp.path) }
        try Posix.renameFile(temp.path, path)
        temp.committed()
        if durable { try Posix.syncDirectory(directory) }
    }
}
