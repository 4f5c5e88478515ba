/// An MD5 digest held as two big-endian words, so that comparing values orders
/// them exactly as their lowercase hex strings compare (the benchmark sorts hex
/// strings; sorting words is the same order without building strings).
struct MD5Words: Hashable, Comparable, Sendable {
    var hi: UInt64
    var lo: UInt64

    static let zero = MD5Words(hi: 0, lo: 0)

    static func < (a: MD5Words, b: MD5Words) -> Bool {
        a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo
    }

    /// MD5 of a string's UTF-8 bytes.
    static func md5(_ text: String) -> MD5Words { MD5.digest(Array(text.utf8)) }

    /// Writes the 32 lowercase hex digits at `out`.
    func writeHex(to out: UnsafeMutablePointer<UInt8>) {
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { hex in
            for i in 0..<16 {
                let word = i < 8 ? hi : lo
                let byte = UInt8(truncatingIfNeeded: word >> UInt64(8 * (7 - i % 8)))
                out[2 * i] = hex[Int(byte >> 4)]
                out[2 * i + 1] = hex[Int(byte & 15)]
            }
        }
    }

    /// The 32-character lowercase hex form.
    var hex: String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            writeHex(to: buffer.baseAddress!)
            return 32
        }
    }
}

/// Reusable scratch space for the NAS-Bench-101 iterative graph hash; one per
/// thread so enumeration hashes millions of graphs without allocating.
///
/// The algorithm (reproduced byte-for-byte): each vertex starts with the MD5
/// hex of Python's `str((out_degree, in_degree, label))`; then, as many rounds
/// as there are vertices, each vertex becomes the MD5 hex of its sorted
/// in-neighbour hashes, `|`, its sorted out-neighbour hashes, `|`, its own
/// hash; the fingerprint is the MD5 hex of Python's `str()` of the sorted list
/// of final hashes.
struct NB101Fingerprinter {
    private var hashes = [MD5Words](repeating: .zero, count: 8)
    private var next = [MD5Words](repeating: .zero, count: 8)
    private var neighbours = [MD5Words](repeating: .zero, count: 8)
    private var bytes = [UInt8](repeating: 0, count: 8 * 36 + 8 + MD5.paddingRoom)

    /// Initial hashes for every (out, in, label) with degrees 0...7 and labels
    /// -2...2, computed once: they are the same strings for every graph.
    private static let initialTable: [MD5Words] = {
        var table: [MD5Words] = []
        for out in 0..<8 {
            for inn in 0..<8 {
                for label in -2...2 { table.append(MD5Words.md5("(\(out), \(inn), \(label))")) }
            }
        }
        return table
    }()

    private static func initial(out: Int, inn: Int, label: Int) -> MD5Words {
        initialTable[(out * 8 + inn) * 5 + label + 2]
    }

    /// Fingerprint of the graph with row bitmasks `rows` and integer labels.
    mutating func digest(rows: [UInt8], labels: [Int]) -> MD5Words {
        let n = rows.count
        for v in 0..<n {
            var inn = 0
            for w in 0..<v where rows[w] >> UInt8(v) & 1 == 1 { inn += 1 }
            hashes[v] = Self.initial(out: rows[v].nonzeroBitCount, inn: inn, label: labels[v])
        }
        for _ in 0..<n {
            for v in 0..<n {
                var k = 0
                for w in 0..<v where rows[w] >> UInt8(v) & 1 == 1 {
                    neighbours[k] = hashes[w]
                    k += 1
                }
                let inCount = k
                for w in (v + 1)..<max(v + 1, n) where rows[v] >> UInt8(w) & 1 == 1 {
                    neighbours[k] = hashes[w]
                    k += 1
                }
                Self.insertionSort(&neighbours, 0, inCount)
                Self.insertionSort(&neighbours, inCount, k)
                let own = hashes[v]
                next[v] = neighbours.withUnsafeBufferPointer { nb in
                    bytes.withUnsafeMutableBufferPointer { buf in
                        let p = buf.baseAddress!
                        var len = 0
                        for i in 0..<k {
                            if i == inCount { p[len] = UInt8(ascii: "|"); len += 1 }
                            nb[i].writeHex(to: p + len)
                            len += 32
                        }
                        if inCount == k { p[len] = UInt8(ascii: "|"); len += 1 }
                        p[len] = UInt8(ascii: "|"); len += 1
                        own.writeHex(to: p + len)
                        len += 32
                        return MD5.digest(p, length: len)
                    }
                }
            }
            swap(&hashes, &next)
        }
        Self.insertionSort(&hashes, 0, n)
        return hashes.withUnsafeBufferPointer { hs in
            bytes.withUnsafeMutableBufferPointer { buf in
                // Python's str() of a list of str: ['a', 'b']
                let p = buf.baseAddress!
                var len = 0
                p[len] = UInt8(ascii: "["); len += 1
                for i in 0..<n {
                    if i > 0 { p[len] = UInt8(ascii: ","); p[len + 1] = UInt8(ascii: " "); len += 2 }
                    p[len] = UInt8(ascii: "'"); len += 1
                    hs[i].writeHex(to: p + len); len += 32
                    p[len] = UInt8(ascii: "'"); len += 1
                }
                p[len] = UInt8(ascii: "]"); len += 1
                return MD5.digest(p, length: len)
            }
        }
    }

    /// Sorts `a[from..<to]` ascending; ranges hold at most 7 items.
    private static func insertionSort(_ a: inout [MD5Words], _ from: Int, _ to: Int) {
        guard to - from > 1 else { return }
        for i in (from + 1)..<to {
            let x = a[i]
            var j = i
            while j > from && x < a[j - 1] { a[j] = a[j - 1]; j -= 1 }
            a[j] = x
        }
    }
}

extension NB101Cell {
    /// Integer labels of the fingerprint: -1 input, -2 output, interior index.
    var fingerprintLabels: [Int] { ops.map(\.fingerprintLabel) }

    /// The benchmark's module fingerprint (32 lowercase hex characters); equal
    /// for isomorphic labelled graphs, and the key of the benchmark's tables.
    public var fingerprint: String {
        var hasher = NB101Fingerprinter()
        return hasher.digest(rows: rows, labels: fingerprintLabels).hex
    }
}
