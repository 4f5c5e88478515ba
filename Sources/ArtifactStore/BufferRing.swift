import Foundation

/// A fixed set of byte buffers passed between one producer thread and one
/// consumer thread: the producer fills free buffers and publishes them in
/// order, the consumer processes and recycles them.
///
/// This is how the store overlaps two CPU-heavy stages of one stream (zstd
/// decompression and SHA-256) on two cores while memory stays bounded at
/// `count × size` bytes.
final class BufferRing: @unchecked Sendable {
    // @unchecked: all mutable state is guarded by `condition`; each buffer is
    // owned by exactly one side at a time (free list → producer → filled queue → consumer).

    /// A buffer's memory, sendable because ownership is handed over explicitly.
    struct Buffer: @unchecked Sendable {
        // @unchecked: the ring guarantees one owner at a time.
        let bytes: UnsafeMutableRawBufferPointer
    }

    private let buffers: [Buffer]
    private let condition = NSCondition()
    private var free: [Int]
    private var filled: [(index: Int, count: Int)] = []
    private var head = 0
    private var producerDone = false
    private var producerError: Error?
    private var cancelled = false

    init(count: Int, size: Int) {
        buffers = (0..<count).map { _ in Buffer(bytes: .allocate(byteCount: size, alignment: 4096)) }
        free = Array(0..<count)
    }

    deinit {
        for buffer in buffers { buffer.bytes.deallocate() }
    }

    /// Producer: waits for a free buffer; nil once the consumer has cancelled.
    func acquire() -> (index: Int, buffer: Buffer)? {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty && !cancelled { condition.wait() }
        if cancelled { return nil }
        let index = free.removeLast()
        return (index, buffers[index])
    }

    /// Producer: hands `count` bytes of buffer `index` to the consumer.
    func publish(_ index: Int, count: Int) {
        condition.lock()
        filled.append((index, count))
        condition.broadcast()
        condition.unlock()
    }

    /// Producer: no more buffers will come; `error` is rethrown to the consumer.
    func finish(error: Error?) {
        condition.lock()
        producerDone = true
        producerError = error
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: the next filled buffer in order, nil at a clean end; rethrows the producer's error.
    func next() throws -> (index: Int, bytes: UnsafeRawBufferPointer)? {
        condition.lock()
        defer { condition.unlock() }
        while head == filled.count && !producerDone { condition.wait() }
        if head < filled.count {
            let item = filled[head]
            head += 1
            if head == filled.count { filled.removeAll(keepingCapacity: true); head = 0 }
            return (item.index, UnsafeRawBufferPointer(rebasing: buffers[item.index].bytes[..<item.count]))
        }
        if let producerError { throw producerError }
        return nil
    }

    /// Consumer: returns a processed buffer to the producer.
    func recycle(_ index: Int) {
        condition.lock()
        free.append(index)
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: stops the producer (after an error on the consumer side).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
