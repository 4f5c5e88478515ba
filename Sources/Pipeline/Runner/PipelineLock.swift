import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory `flock(2)` lock on `<store>/locks/pipeline-NAME.lock`, held for a
/// whole run so two runs of one pipeline never interleave their stages, while
/// runs of different pipelines proceed side by side.
///
/// The holder writes its pid into the file so a waiter can say whom it waits for.
/// The kernel drops a `flock` when its process dies, so a lock left by a killed
/// run clears itself; the stale pid in the file is then simply overwritten.
public final class PipelineLock: @unchecked Sendable {
    // @unchecked: the only mutable state, `fd`, is guarded by `mutex`.
    /// The lock file.
    public let path: String
    private var fd: Int32
    private let mutex = NSLock()

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { release() }

    /// The lock file of `pipeline` in the store at `storeRoot`.
    public static func lockPath(storeRoot: URL, pipeline: String) -> String {
        storeRoot.appendingPathComponent("locks/pipeline-\(pipeline).lock").path
    }

    /// Takes the lock if it is free now; otherwise returns nil and the pid written
    /// by the current holder (nil when unreadable).
    public static func tryAcquire(storeRoot: URL, pipeline: String) throws -> (lock: PipelineLock?, holder: Int32?) {
        let path = lockPath(storeRoot: storeRoot, pipeline: pipeline)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PipelineError.lockFailed(path: path, reason: String(cString: strerror(errno))) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(fd)
            guard code == EWOULDBLOCK else {
                throw PipelineError.lockFailed(path: path, reason: String(cString: strerror(code)))
            }
            return (nil, readHolder(path))
        }
        // We hold it: record our pid for whoever waits next.
        let text = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        return (PipelineLock(path: path, fd: fd), nil)
    }

    /// Takes the lock, polling every 50 ms while another run holds it (so the
    /// wait can be cancelled); `onWait` is called once with the holder's pid.
    /// With `wait == false` a held lock throws `PipelineError.pipelineBusy`.
    public static func acquire(storeRoot: URL, pipeline: String, wait: Bool,
                               onWait: (Int32?) -> Void) async throws -> PipelineLock {
        var told = false
        while true {
            let (lock, holder) = try tryAcquire(storeRoot: storeRoot, pipeline: pipeline)
            if let lock { return lock }
            guard wait else { throw PipelineError.pipelineBusy(pipeline: pipeline, pid: holder) }
            if !told { onWait(holder); told = true }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
    }

    private static func readHolder(_ path: String) -> Int32? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Releases the lock; calling it again does nothing.
    public func release() {
        mutex.lock()
        defer { mutex.unlock() }
        if fd >= 0 {
            close(fd)
            fd = -1
        }
    }
}
