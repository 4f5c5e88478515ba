import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a byte stream to a file on a helper thread.
///
/// On the VMs this project runs on, copying into the page cache costs about
/// 1 s of kernel time per GB; doing it beside compression instead of between
/// compression calls is what keeps `put(file:)` close to `zstd -T0`, which
/// also writes on its own thread.
///
/// The object must be durable before it is renamed (the commit fsyncs it), so
/// the disk has to write every byte before `put` returns; the only question is
/// whether it does so while compression runs or afterwards. Every 8 MiB the
/// helper asks the kernel to *start* write-back of what it wrote
/// (`POSIX_FADV_DONTNEED`, which on Linux queues the dirty range for writing
/// without waiting, then drops what is already clean), so the disk stays busy
/// alongside compression and the final fsync waits only for the tail. An
/// earlier version called `fdatasync` every 64 MiB instead: that blocked the
/// helper until the disk caught up, and left the disk idle while the next
/// 64 MiB sat dirty in the page cache.
final class AsyncFileWriter {
    private static let writeBackInterval = 8 << 20

    private let ring = BufferRing(count: 8, size: 4 << 20)
    private let finished = DispatchSemaphore(value: 0)
    private let failure = ErrorBox()
    private let path: String
    private var current: (index: Int, buffer: BufferRing.Buffer)?
    private var used = 0
    private var joined = false

    /// Starts the helper thread writing to `fd` (which stays owned by the caller).
    init(fd: Int32, path: String) {
        self.path = path
        let ring = self.ring, finished = self.finished, failure = self.failure
        let thread = Thread {
            defer { finished.signal() }
            var written = 0, queued = 0
            do {
                while let (index, bytes) = try ring.next() {
                    defer { ring.recycle(index) }
                    try Posix.writeAll(fd, bytes, path: path)
                    written += bytes.count
                    if written - queued >= AsyncFileWriter.writeBackInterval {
                        // Advice only: an error here resurfaces at the final fsync.
                        _ = posix_fadvise(fd, off_t(queued), off_t(written - queued), POSIX_FADV_DONTNEED)
                        queued = written
                    }
                }
            } catch {
                failure.record(error)
                ring.cancel()
            }
        }
        thread.start()
    }

    deinit { abandon() }

    /// Lets `body` write straight into the current buffer (no copy): `body` gets
    /// the buffer's free part and returns how many bytes it wrote at its start.
    /// Full buffers are handed to the helper. Throws the helper's error if it has failed.
    func fill(_ body: (UnsafeMutableRawBufferPointer) throws -> Int) throws {
        if current == nil {
            guard let slot = ring.acquire() else { throw failure.error ?? cancelled() }
            current = slot
            used = 0
        }
        let buffer = current!.buffer.bytes
        let n = try body(UnsafeMutableRawBufferPointer(rebasing: buffer[used...]))
        precondition(n <= buffer.count - used, "fill reported more bytes than it was given")  // programmer error
        used += n
        if used == buffer.count { publishCurrent() }
    }

    /// Waits until everything queued is written; throws the first write error.
    func finish() throws {
        publishCurrent()
        ring.finish(error: nil)
        join()
        if let error = failure.error { throw error }
    }

    /// Stops the helper without finishing the stream (the caller is failing anyway).
    func abandon() {
        ring.finish(error: cancelled())
        join()
    }

    private func publishCurrent() {
        if let slot = current, used > 0 { ring.publish(slot.index, count: used) }
        current = nil
    }

    private func join() {
        if !joined {
            finished.wait()
            joined = true
        }
    }

    private func cancelled() -> ArtifactStoreError {
        .io(operation: "write", path: path, code: ECANCELED)
    }
}

/// The first error a helper thread hit, read by the thread that joins it.
final class ErrorBox: @unchecked Sendable {
    // @unchecked: `stored` is only touched while holding `mutex`.
    private var stored: Error?
    private let mutex = NSLock()

    func record(_ error: Error) {
        mutex.withLock { if stored == nil { stored = error } }
    }

    var error: Error? { mutex.withLock { stored } }
}
