/// BANANAS path encoding (White et al., AAAI 2021) for NAS-Bench-101: one 0/1
/// feature per possible input→output path, a path being identified by the
/// sequence of interior ops it passes through.
///
/// Paths with 0…5 interior vertices exist in a 7-vertex cell, so the feature
/// index is `offset(length) + (ops read as a base-3 number, first op most
/// significant)` with offsets 0, 1, 4, 13, 40, 121: 3⁰ + … + 3⁵ = 364
/// features. BANANAS's "truncated" variant keeps a prefix of this order; we
/// keep all of it (length ≤ 5 is every path the space allows).
public struct NB101PathEncoding: CellEncoding {
    /// Longest path, in interior ops.
    public static let maxLength = NB101Cell.maxVertices - 2

    /// Memberwise initialiser.
    public init() {}
    /// `path-nb101`.
    public var name: String { "path-nb101" }
    /// 364.
    public var featureCount: Int { pathOffset(length: Self.maxLength + 1, base: 3) }

    /// Presence (1) of each path.
    public func encode(_ cell: NB101Cell) -> [Double] {
        var out = [Double](repeating: 0, count: featureCount)
        let last = cell.vertexCount - 1
        // Depth-first walk carrying (vertex, length, base-3 code so far).
        var stack: [(vertex: Int, length: Int, code: Int)] = [(0, 0, 0)]
        while let (v, length, code) = stack.popLast() {
            for w in (v + 1)...last where cell.hasEdge(from: v, to: w) {
                if w == last {
                    out[pathOffset(length: length, base: 3) + code] = 1
                } else {
                    let op = NB101Op.interior.firstIndex(of: cell.ops[w])!
                    stack.append((w, length + 1, code * 3 + op))
                }
            }
        }
        return out
    }
}

/// BANANAS path encoding for NAS-Bench-201: input→output paths are 0→3,
/// 0→1→3, 0→2→3 and 0→1→2→3; a path exists when none of its edges is `none`
/// and is identified by its op sequence over the four other ops
/// (`skip_connect`, `nor_conv_1x1`, `nor_conv_3x3`, `avg_pool_3x3` = digits
/// 0–3). Lengths 1…3 give 4 + 16 + 64 = 84 features. (Counting `none` as an op
/// would give 5¹ + 5² + 5³ slots, most of which no path can fill.)
public struct NB201PathEncoding: CellEncoding {
    /// Edge slots (indices into `NB201Cell.edges`) of the four paths.
    static let paths: [[Int]] = [[3], [0, 4], [1, 5], [0, 2, 5]]

    /// Memberwise initialiser.
    public init() {}
    /// `path-nb201`.
    public var name: String { "path-nb201" }
    /// 84.
    public var featureCount: Int { pathOffset(length: 4, base: 4) - 1 }

    /// Presence (1) of each path.
    public func encode(_ cell: NB201Cell) -> [Double] {
        var out = [Double](repeating: 0, count: featureCount)
        for path in Self.paths {
            var code = 0
            var alive = true
            for slot in path {
                guard let digit = NB201Op.allCases.firstIndex(of: cell.ops[slot]), digit > 0 else {
                    alive = false
                    break
                }
                code = code * 4 + digit - 1
            }
            // lengths start at 1 here, so shift the shared offsets by one slot
            if alive { out[pathOffset(length: path.count, base: 4) - 1 + code] = 1 }
        }
        return out
    }
}

/// Σ_{l < length} base^l: the index of the first path of `length` ops.
func pathOffset(length: Int, base: Int) -> Int {
    var total = 0, power = 1
    for _ in 0..<length {
        total += power
        power *= base
    }
    return total
}
