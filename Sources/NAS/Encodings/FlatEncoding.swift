/// The common "adjacency + one-hot ops" baseline for NAS-Bench-101: the 21
/// entries above the diagonal of the padded 7×7 adjacency (row-major, padding
/// before the output as in `NB101Cell.paddedSlots`), then for each interior
/// slot 1…5 a one-hot over `NB101Op.interior` (all zero for a padding slot).
/// 21 + 15 = 36 features.
public struct NB101FlatEncoding: CellEncoding {
    /// Memberwise initialiser.
    public init() {}
    /// `flat-nb101`.
    public var name: String { "flat-nb101" }
    /// 36.
    public var featureCount: Int { 21 + 5 * 3 }

    /// Adjacency bits then op one-hots.
    public func encode(_ cell: NB101Cell) -> [Double] {
        let side = NB101Cell.maxVertices
        var padded = [Double](repeating: 0, count: side * side)
        let slot = cell.paddedSlots
        for i in 0..<cell.vertexCount {
            for j in (i + 1)..<cell.vertexCount where cell.hasEdge(from: i, to: j) {
                padded[slot[i] * side + slot[j]] = 1
            }
        }
        var out: [Double] = []
        out.reserveCapacity(featureCount)
        for i in 0..<side { for j in (i + 1)..<side { out.append(padded[i * side + j]) } }
        var ops = [Double](repeating: 0, count: 15)
        for v in 1..<(cell.vertexCount - 1) {
            // interior vertices keep their index, slots 1…5
            ops[(v - 1) * 3 + NB101Op.interior.firstIndex(of: cell.ops[v])!] = 1
        }
        return out + ops
    }
}

/// The flat baseline for NAS-Bench-201: the adjacency is the same for every
/// cell, so it is a one-hot over `NB201Op.allCases` for each of the 6 edges
/// in storage order. 30 features.
public struct NB201FlatEncoding: CellEncoding {
    /// Memberwise initialiser.
    public init() {}
    /// `flat-nb201`.
    public var name: String { "flat-nb201" }
    /// 30.
    public var featureCount: Int { NB201Cell.edgeCount * NB201Op.allCases.count }

    /// Edge-major one-hots.
    public func encode(_ cell: NB201Cell) -> [Double] {
        var out = [Double](repeating: 0, count: featureCount)
        for (e, op) in cell.ops.enumerated() {
            out[e * NB201Op.allCases.count + NB201Op.allCases.firstIndex(of: op)!] = 1
        }
        return out
    }
}
