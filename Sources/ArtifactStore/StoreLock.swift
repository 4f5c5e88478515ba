import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory `flock(2)` lock on `<root>/locks/store.lock`.
///
/// Writers and pipeline runs hold it *shared* for as long as objects they
/// wrote may still be unreferenced; garbage collection holds it *exclusive*,
/// so it waits for every run to finish and no run starts while it deletes.
/// The kernel drops the lock when the process dies, so a crash never leaves
/// the store locked.
///
/// `flock` locks belong to an open file description, so two `StoreLock`s in
/// one process conflict exactly like two processes would: do not take the
/// exclusive lock while the same process holds a shared one.
public final class StoreLock: @unchecked Sendable {
    // @unchecked: the only mutable state, `fd`, is guarded by `mutex`.

    /// How the lock is held.
    public enum Mode: Sendable {
        /// Many holders at once (runs, writers, verify).
        case shared
        /// One holder and no shared holders (garbage collection).
        case exclusive
    }

    /// The mode this lock was taken in.
    public let mode: Mode
    /// The lock file.
    public let path: String
    private var fd: Int32
    private let mutex = NSLock()

    private init(mode: Mode, path: String, fd: Int32) {
        self.mode = mode
        self.path = path
        self.fd = fd
    }

    deinit { release() }

    /// The lock file of the store at `root`.
    public static func lockPath(root: URL) -> String {
        root.appendingPathComponent("locks/store.lock").path
    }

    /// Takes the lock, waiting as long as another holder prevents it.
    public static func acquire(_ mode: Mode, root: URL) throws -> StoreLock {
        try take(mode, root: root, wait: true)!
    }

    /// Takes the lock if it is free now; nil when another holder prevents it.
    public static func tryAcquire(_ mode: Mode, root: URL) throws -> StoreLock? {
        try take(mode, root: root, wait: false)
    }

    /// Runs `body` while holding the lock, releasing it afterwards even on error.
    public static func withLock<T>(_ mode: Mode, root: URL, _ body: () throws -> T) throws -> T {
        let lock = try acquire(mode, root: root)
        defer { lock.release() }
        return try body()
    }

    /// Releases the lock; calling it again does nothing.
    public func release() {
        mutex.lock()
        defer { mutex.unlock() }
        if fd >= 0 {
            close(fd) // closing the last descriptor drops the flock
            fd = -1
        }
    }

    private static func take(_ mode: Mode, root: URL, wait: Bool) throws -> StoreLock? {
        let path = lockPath(root: root)
        try Posix.makeDirectories(Posix.parentPath(path))
        let fd = try Posix.openFile(path, O_RDWR | O_CREAT, mode: 0o644)
        var operation = mode == .shared ? LOCK_SH : LOCK_EX
        if !wait { operation |= LOCK_NB }
        while flock(fd, operation) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(fd)
            if code == EWOULDBLOCK { return nil }
            throw ArtifactStoreError.io(operation: "lock", path: path, code: code)
        }
        return StoreLock(mode: mode, path: path, fd: fd)
    }
}
