import Dispatch
import Foundation

/// The NAS-Bench-101 search space as a whole: exhaustive enumeration of every
/// unique cell, deduplicated by fingerprint exactly as the benchmark's graph
/// generator does.
public enum NB101SearchSpace {
    /// Number of unique cells with ≤ 7 vertices and ≤ 9 edges.
    public static let cellCount = 423_624

    /// Every unique cell with at most `maxVertices` vertices and `maxEdges`
    /// edges, in the order the benchmark's generator meets them: by vertex
    /// count, then edge bitmask (bit `x + y(y−1)/2` for x→y), then op labelling
    /// read as a base-3 number with vertex 1 most significant. Each cell is the
    /// first representative of its fingerprint in that order.
    ///
    /// Work is split over (vertex count, bitmask range) chunks and run on all
    /// cores; the result does not depend on the number of cores because each
    /// fingerprint keeps the smallest generation key across chunks.
    public static func enumerate(maxVertices: Int = NB101Cell.maxVertices,
                                 maxEdges: Int = NB101Cell.maxEdges) throws -> [NB101Cell] {
        guard (2...NB101Cell.maxVertices).contains(maxVertices) else {
            throw NASError.invalidArgument(name: "maxVertices", reason: "\(maxVertices) is outside 2...\(NB101Cell.maxVertices)")
        }
        guard maxEdges >= 1 else {
            throw NASError.invalidArgument(name: "maxEdges", reason: "\(maxEdges) must be at least 1")
        }
        var chunks: [(vertices: Int, start: Int, end: Int)] = []
        let chunkSize = 1 << 13
        for v in 2...maxVertices {
            let total = 1 << (v * (v - 1) / 2)
            var start = 0
            while start < total {
                chunks.append((v, start, min(total, start + chunkSize)))
                start += chunkSize
            }
        }
        let work = chunks
        let results = ChunkResults(count: work.count)
        DispatchQueue.concurrentPerform(iterations: work.count) { index in
            let chunk = work[index]
            results.store(index, enumerateChunk(vertices: chunk.vertices, bits: chunk.start..<chunk.end, maxEdges: maxEdges))
        }
        // Chunks are merged in generation order, so the first key kept for a
        // fingerprint is the smallest one.
        var seen = Set<MD5Words>()
        var cells: [NB101Cell] = []
        for found in results.all() {
            for (fingerprint, cell) in found where seen.insert(fingerprint).inserted {
                cells.append(cell)
            }
        }
        return cells
    }

    /// Unique (within the chunk) labelled graphs of one vertex count whose
    /// bitmask lies in `bits`, in generation order.
    static func enumerateChunk(vertices n: Int, bits: Range<Int>, maxEdges: Int) -> [(MD5Words, NB101Cell)] {
        var hasher = NB101Fingerprinter()
        var seen = Set<MD5Words>()
        var found: [(MD5Words, NB101Cell)] = []
        var labels = [Int](repeating: 0, count: n)
        labels[0] = -1
        labels[n - 1] = -2
        var labellings = 1
        for _ in 0..<(n - 2) { labellings *= 3 }
        for mask in bits where mask.nonzeroBitCount <= maxEdges {
            var rows = [UInt8](repeating: 0, count: n)
            var hasIn: UInt8 = 1  // vertex 0 needs no in-edge
            for y in 1..<n {
                for x in 0..<y where mask >> (x + y * (y - 1) / 2) & 1 == 1 {
                    rows[x] |= 1 << UInt8(y)
                    hasIn |= 1 << UInt8(y)
                }
            }
            // Full DAG: every vertex but the output has an out-edge and every
            // vertex but the input an in-edge, so all lie on an input→output path.
            guard hasIn == UInt8(truncatingIfNeeded: (1 << n) - 1),
                  rows.dropLast().allSatisfy({ $0 != 0 }) else { continue }
            for labelling in 0..<labellings {
                var rest = labelling
                for v in stride(from: n - 2, through: 1, by: -1) {
                    labels[v] = rest % 3
                    rest /= 3
                }
                let fingerprint = hasher.digest(rows: rows, labels: labels)
                if seen.insert(fingerprint).inserted {
                    let ops = labels.map { label -> NB101Op in
                        label == -1 ? .input : label == -2 ? .output : NB101Op.interior[label]
                    }
                    found.append((fingerprint, NB101Cell(prunedRows: rows, ops: ops)))
                }
            }
        }
        return found
    }
}

/// Per-chunk results written from `concurrentPerform` workers.
/// `@unchecked Sendable` because every access goes through `lock`.
private final class ChunkResults: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [[(MD5Words, NB101Cell)]]

    init(count: Int) { slots = Array(repeating: [], count: count) }

    func store(_ index: Int, _ value: [(MD5Words, NB101Cell)]) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    func all() -> [[(MD5Words, NB101Cell)]] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}
