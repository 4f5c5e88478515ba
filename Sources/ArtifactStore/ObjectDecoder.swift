import Foundation

/// Reads one stored object back: decompresses its single zstd frame, streams
/// the content to a sink and proves it matches the digest it is filed under.
///
/// Every way an object can be damaged (truncated, bytes flipped, trailing
/// garbage, a second frame, a header size that lies, content that hashes to
/// something else) ends in `ArtifactStoreError.objectCorrupt` naming the digest
/// and path. The sink may already have seen some bytes when that happens, so
/// callers that hand data onwards buffer or write to a temp file first.
enum ObjectDecoder {
    /// Objects at least this large decompress on a helper thread while the
    /// calling thread hashes, roughly halving the wall time of `verify`/`get`.
    static let pipelineThreshold: Int64 = 8 << 20

    /// The uncompressed size recorded in the frame header of the object at `path`.
    /// Reads only the header: `size(of:)` is called for every tree entry and every put.
    static func contentSize(of digest: Digest, at path: String) throws -> Int64 {
        let fd: Int32
        do {
            fd = try Posix.openFile(path, O_RDONLY)
        } catch ArtifactStoreError.io(_, _, let code) where code == ENOENT || code == ENOTDIR {
            throw ArtifactStoreError.objectMissing(digest, path: path)
        }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: FrameReader.maxHeaderSize)
        return try header.withUnsafeMutableBytes { raw in
            let n = try Posix.readFully(fd, into: raw, path: path)
            return try FrameReader.headerSize(UnsafeRawBufferPointer(rebasing: raw[..<n]), digest: digest, path: path)
        }
    }

    /// Decodes and verifies the object, passing content to `sink` in order;
    /// returns the content size.
    @discardableResult
    static func decode(_ digest: Digest, at path: String,
                       sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Int64 {
        let reader = try FrameReader(digest: digest, path: path)
        var hasher = DigestHasher()
        var total: Int64 = 0
        func consume(_ chunk: UnsafeRawBufferPointer) throws {
            total += Int64(chunk.count)
            if total > reader.expectedSize {
                throw reader.corrupt("more content than the \(reader.expectedSize) bytes its header records")
            }
            hasher.update(chunk)
            try sink(chunk)
        }
        if reader.expectedSize >= pipelineThreshold {
            try decodeOnHelperThread(reader, consume: consume)
        } else {
            let output = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
            defer { output.deallocate() }
            while !reader.frameDone {
                let n = try reader.fill(output)
                if n > 0 { try consume(UnsafeRawBufferPointer(rebasing: output[..<n])) }
            }
        }
        guard total == reader.expectedSize else {
            throw reader.corrupt("holds \(total) bytes but its header records \(reader.expectedSize)")
        }
        let actual = hasher.finalize()
        guard actual == digest else { throw reader.corrupt("content hashes to \(actual)") }
        return total
    }

    /// Runs `reader` on a helper thread and `consume` on this one, handing
    /// 4 MiB buffers across a ring of four.
    private static func decodeOnHelperThread(_ reader: FrameReader,
                                             consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        let ring = BufferRing(count: 4, size: 4 << 20)
        let done = DispatchSemaphore(value: 0)
        let handoff = ReaderHandoff(reader)
        let thread = Thread {
            defer { done.signal() }
            let reader = handoff.reader
            do {
                while !reader.frameDone, let (index, buffer) = ring.acquire() {
                    let n = try reader.fill(buffer.bytes)
                    ring.publish(index, count: n)
                }
                ring.finish(error: nil)
            } catch {
                ring.finish(error: error)
            }
        }
        thread.start()
        // The helper must be finished before `reader` is touched again or the ring is freed.
        defer { done.wait() }
        do {
            while let (index, bytes) = try ring.next() {
                defer { ring.recycle(index) }
                if !bytes.isEmpty { try consume(bytes) }
            }
        } catch {
            ring.cancel()
            throw error
        }
    }
}

/// Moves the reader to the helper thread; the caller does not touch it until the helper signals.
private struct ReaderHandoff: @unchecked Sendable {
    // @unchecked: ownership passes to the helper thread and back via a semaphore.
    let reader: FrameReader
    init(_ reader: FrameReader) { self.reader = reader }
}
