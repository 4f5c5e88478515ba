import Foundation

/// Reads a file sequentially on a helper thread, hashing each chunk there,
/// and hands the chunks to the calling thread in order.
///
/// Reading (a kernel copy) and SHA-256 then overlap compression, which runs
/// on the calling thread and zstd's workers: the three stages share the
/// cores the way `zstd -T0` shares them between its I/O and worker threads.
enum HashingFileReader {
    /// Streams `fd` to `chunk` and returns the digest of everything read.
    /// Throws `fileChanged` unless exactly `expectedSize` bytes were read.
    static func read(fd: Int32, path: String, expectedSize: UInt64,
                     chunk: (UnsafeRawBufferPointer) throws -> Void) throws -> Digest {
        let ring = BufferRing(count: 4, size: 4 << 20)
        let finished = DispatchSemaphore(value: 0)
        let result = DigestBox()
        let thread = Thread {
            defer { finished.signal() }
            var hasher = DigestHasher()
            var total: UInt64 = 0
            do {
                while let (index, buffer) = ring.acquire() {
                    let n = try Posix.readFully(fd, into: buffer.bytes, path: path)
                    total += UInt64(n)
                    // Checked here so a growing file cannot make the reader run on forever.
                    if total > expectedSize { throw ArtifactStoreError.fileChanged(path: path) }
                    hasher.update(UnsafeRawBufferPointer(rebasing: buffer.bytes[..<n]))
                    ring.publish(index, count: n)
                    if n < buffer.bytes.count { break } // end of file
                }
                if total != expectedSize { throw ArtifactStoreError.fileChanged(path: path) }
                result.set(hasher.finalize())
                ring.finish(error: nil)
            } catch {
                ring.finish(error: error)
            }
        }
        thread.start()
        var joined = false
        defer { if !joined { finished.wait() } } // the helper must stop before `ring` and `fd` go away
        do {
            while let (index, bytes) = try ring.next() {
                defer { ring.recycle(index) }
                if !bytes.isEmpty { try chunk(bytes) }
            }
        } catch {
            ring.cancel()
            throw error
        }
        finished.wait()
        joined = true
        guard let digest = result.value else { throw ArtifactStoreError.fileChanged(path: path) }
        return digest
    }
}

/// A digest produced on a helper thread and read after joining it.
final class DigestBox: @unchecked Sendable {
    // @unchecked: `stored` is only touched while holding `mutex`.
    private var stored: Digest?
    private let mutex = NSLock()

    func set(_ digest: Digest) { mutex.withLock { stored = digest } }
    var value: Digest? { mutex.withLock { stored } }
}
