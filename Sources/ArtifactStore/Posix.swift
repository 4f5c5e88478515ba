#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin, throwing wrappers over the POSIX calls the store needs.
///
/// Foundation's file APIs hide `fsync`, `O_EXCL`, `flock` and directory
/// syncing, which the atomic-write protocol depends on, so the store talks to
/// the kernel directly. Every failure becomes `ArtifactStoreError.io` naming
/// the operation and the path.
enum Posix {
    /// Opens `path`, retrying on EINTR.
    static func openFile(_ path: String, _ flags: Int32, mode: mode_t = 0o644, operation: String = "open") throws -> Int32 {
        while true {
            let fd = open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno == EINTR { continue }
            throw ArtifactStoreError.io(operation: operation, path: path, code: errno)
        }
    }

    /// Reads until `buffer` is full or end of file; returns the byte count.
    static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = read(fd, buffer.baseAddress! + filled, buffer.count - filled)
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw ArtifactStoreError.io(operation: "read", path: path, code: errno)
            }
            filled += n
        }
        return filled
    }

    /// Writes all of `bytes`, looping over short writes.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw ArtifactStoreError.io(operation: "write", path: path, code: errno)
            }
            done += n
        }
    }

    /// Flushes a file's data and metadata to stable storage.
    static func sync(_ fd: Int32, path: String) throws {
        if fsync(fd) != 0 {
            throw ArtifactStoreError.io(operation: "fsync", path: path, code: errno)
        }
    }

    /// Makes a rename or unlink inside `directory` durable.
    static func syncDirectory(_ directory: String) throws {
        let fd = try openFile(directory, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try sync(fd, path: directory)
    }

    /// Atomically replaces `to` with `from`.
    static func renameFile(_ from: String, _ to: String) throws {
        if rename(from, to) != 0 {
            throw ArtifactStoreError.io(operation: "rename into", path: to, code: errno)
        }
    }

    /// Creates `path` (and missing parents); returns true when `path` itself was created.
    @discardableResult
    static func makeDirectories(_ path: String) throws -> Bool {
        if mkdir(path, 0o755) == 0 { return true }
        switch errno {
        case EEXIST:
            return false
        case ENOENT:
            let parent = parentPath(path)
            guard parent != path, !parent.isEmpty else {
                throw ArtifactStoreError.io(operation: "create directory", path: path, code: ENOENT)
            }
            try makeDirectories(parent)
            if mkdir(path, 0o755) == 0 || errno == EEXIST { return true }
            fallthrough
        default:
            throw ArtifactStoreError.io(operation: "create directory", path: path, code: errno)
        }
    }

    /// `lstat` of `path`, or nil when it does not exist.
    static func status(_ path: String) throws -> stat? {
        var info = stat()
        if lstat(path, &info) == 0 { return info }
        if errno == ENOENT || errno == ENOTDIR { return nil }
        throw ArtifactStoreError.io(operation: "stat", path: path, code: errno)
    }

    /// Removes a file; a file that is already gone is not an error.
    static func unlinkIfPresent(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT {
            throw ArtifactStoreError.io(operation: "remove", path: path, code: errno)
        }
    }

    /// Names in `directory` except `.` and `..`, or nil when it does not exist.
    /// Names that are not valid UTF-8 are returned as nil elements so callers can reject them.
    static func listDirectory(_ directory: String) throws -> [String?]? {
        guard let dir = opendir(directory) else {
            if errno == ENOENT { return nil }
            throw ArtifactStoreError.io(operation: "list directory", path: directory, code: errno)
        }
        defer { closedir(dir) }
        var names: [String?] = []
        while let entry = readdir(dir) {
            let name: String? = withUnsafePointer(to: &entry.pointee.d_name) { raw in
                raw.withMemoryRebound(to: CChar.self, capacity: 256) { String(validatingCString: $0) }
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names
    }

    /// The directory part of a slash-separated path.
    static func parentPath(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// A name that no other process or thread will pick: pid plus 64 random bits.
    static func uniqueSuffix() -> String {
        "\(getpid())-\(Hex.encode(withUnsafeBytes(of: UInt64.random(in: .min ... .max)) { Array($0) }))"
    }
}
