/// An edge operation of a NAS-Bench-201 cell; raw values are the benchmark's
/// spellings, and the case order fixes `NB201Cell.canonicalIndex`.
public enum NB201Op: String, CaseIterable, Sendable, Hashable {
    /// Zero: the edge is absent.
    case none
    /// Identity.
    case skipConnect = "skip_connect"
    /// ReLU, 1×1 conv, BN.
    case conv1x1 = "nor_conv_1x1"
    /// ReLU, 3×3 conv, BN.
    case conv3x3 = "nor_conv_3x3"
    /// 3×3 average pooling, stride 1 (no parameters).
    case avgPool3x3 = "avg_pool_3x3"
}

/// A NAS-Bench-201 cell: 4 nodes, an operation on each of the 6 edges i→j
/// (i < j). Edges are stored in the order of the cell string:
/// 0→1, 0→2, 1→2, 0→3, 1→3, 2→3.
public struct NB201Cell: Hashable, Sendable, CustomStringConvertible {
    /// Number of nodes (node 0 is the input, node 3 the output).
    public static let nodeCount = 4
    /// Number of edges.
    public static let edgeCount = 6
    /// Size of the space: 5⁶.
    public static let cellCount = 15_625
    /// (source, target) of each edge slot, in storage order.
    public static let edges: [(from: Int, to: Int)] = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)]

    /// Operation on each edge, in the order of `edges`.
    public let ops: [NB201Op]

    /// A cell from six edge operations in the order of `edges`.
    public init(ops: [NB201Op]) throws {
        guard ops.count == Self.edgeCount else {
            throw NASError.invalidArgument(name: "ops", reason: "\(ops.count) edge ops, expected \(Self.edgeCount)")
        }
        self.ops = ops
    }

    /// The cell whose `canonicalIndex` is `index`.
    public init(canonicalIndex index: Int) throws {
        guard (0..<Self.cellCount).contains(index) else {
            throw NASError.invalidArgument(name: "canonicalIndex", reason: "\(index) is outside 0..<\(Self.cellCount)")
        }
        self.init(inRangeIndex: index)
    }

    /// Decodes an index already known to lie in 0..<15625.
    private init(inRangeIndex index: Int) {
        var rest = index
        var ops = [NB201Op](repeating: .none, count: Self.edgeCount)
        for e in stride(from: Self.edgeCount - 1, through: 0, by: -1) {
            ops[e] = NB201Op.allCases[rest % 5]
            rest /= 5
        }
        self.ops = ops
    }

    /// Our own enumeration index: the ops read as a base-5 number (op order of
    /// `NB201Op.allCases`, edge 0→1 most significant). It is NOT the tables'
    /// `arch` column, which follows the benchmark's release order and has no
    /// closed form; `NB201Table` maps between `arch` and cells.
    public var canonicalIndex: Int {
        ops.reduce(0) { $0 * 5 + NB201Op.allCases.firstIndex(of: $1)! }
    }

    /// All 15,625 cells in `canonicalIndex` order.
    public static var all: [NB201Cell] {
        (0..<cellCount).map { NB201Cell(inRangeIndex: $0) }
    }

    /// Operation on edge `from`→`to`, nil when that pair is not an edge.
    public func op(from: Int, to: Int) -> NB201Op? {
        Self.edges.firstIndex { $0.from == from && $0.to == to }.map { ops[$0] }
    }

    /// True when `none` edges cut every path from node 0 to node 3, so the
    /// cell's output is identically zero whatever the input.
    public var isDegenerate: Bool {
        var reached: Set<Int> = [0]
        for (slot, edge) in Self.edges.enumerated().sorted(by: { $0.element.to < $1.element.to })
        where ops[slot] != .none && reached.contains(edge.from) {
            reached.insert(edge.to)
        }
        return !reached.contains(Self.nodeCount - 1)
    }

    /// The benchmark's cell string, e.g. `|nor_conv_3x3~0|+|none~0|skip_connect~1|+|…|`.
    public var description: String { cellString }
}
