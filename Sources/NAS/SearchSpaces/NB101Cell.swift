/// A NAS-Bench-101 cell: an upper-triangular DAG of at most 7 vertices and 9
/// edges, vertex 0 labelled `input`, the last `output`, interior vertices one of
/// `NB101Op.interior`.
///
/// A value is always pruned (every vertex lies on an input→output path) and
/// valid, because the benchmark only ever stores pruned cells and its
/// fingerprint, parameter count and FLOPs are defined on the pruned graph.
/// Equality is structural (same matrix and labels); isomorphic cells are
/// recognised by equal `fingerprint`s.
public struct NB101Cell: Hashable, Sendable, CustomStringConvertible {
    /// Upper bound on vertices (input and output included).
    public static let maxVertices = 7
    /// Upper bound on edges.
    public static let maxEdges = 9

    /// `rows[i]` has bit `j` set when there is an edge i→j (j > i). A bitmask
    /// per row keeps the hot loops of enumeration and hashing allocation-light.
    let rows: [UInt8]
    /// Vertex labels, `ops.first == .input`, `ops.last == .output`.
    public let ops: [NB101Op]

    /// Builds a cell from a square 0/1 matrix and labels, pruning vertices that
    /// are not on an input→output path (as the benchmark's ModelSpec does) and
    /// then checking the space's limits on the pruned graph.
    public init(matrix: [[Int]], ops: [NB101Op]) throws {
        let n = matrix.count
        guard n >= 2, n <= 8 else {
            throw NASError.invalidNB101Cell(
                reason: "matrix has \(n) rows, expected 2...8 (at most \(Self.maxVertices) after pruning)")
        }
        guard ops.count == n else {
            throw NASError.invalidNB101Cell(reason: "\(ops.count) op labels for a \(n)×\(n) matrix")
        }
        var rows = [UInt8](repeating: 0, count: n)
        for (i, row) in matrix.enumerated() {
            guard row.count == n else {
                throw NASError.invalidNB101Cell(reason: "row \(i) has \(row.count) entries, expected \(n)")
            }
            for (j, value) in row.enumerated() {
                switch value {
                case 0: continue
                case 1:
                    guard j > i else {
                        throw NASError.invalidNB101Cell(reason: "entry (\(i), \(j)) is not above the diagonal")
                    }
                    rows[i] |= 1 << UInt8(j)
                default:
                    throw NASError.invalidNB101Cell(reason: "entry (\(i), \(j)) is \(value), expected 0 or 1")
                }
            }
        }
        try self.init(unprunedRows: rows, ops: ops)
    }

    /// Parses the table encoding: a row-major digit string of `n×n` 0/1 entries
    /// and `|`-separated op labels.
    public init(adjacencyDigits: String, opsField: String) throws {
        let labels = opsField.split(separator: "|", omittingEmptySubsequences: false)
        var ops: [NB101Op] = []
        for label in labels {
            guard let op = NB101Op(rawValue: String(label)) else {
                throw NASError.invalidNB101Cell(reason: "unknown op label '\(label)'")
            }
            ops.append(op)
        }
        let n = ops.count
        let digits = Array(adjacencyDigits.utf8)
        guard digits.count == n * n else {
            throw NASError.invalidNB101Cell(
                reason: "adjacency '\(adjacencyDigits)' has \(digits.count) digits, expected \(n)×\(n) for \(n) ops")
        }
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: n), count: n)
        for (k, d) in digits.enumerated() {
            guard d == UInt8(ascii: "0") || d == UInt8(ascii: "1") else {
                throw NASError.invalidNB101Cell(reason: "adjacency '\(adjacencyDigits)' has a non-0/1 digit at \(k)")
            }
            matrix[k / n][k % n] = Int(d - UInt8(ascii: "0"))
        }
        try self.init(matrix: matrix, ops: ops)
    }

    /// Shared validating initialiser over row bitmasks.
    init(unprunedRows: [UInt8], ops: [NB101Op]) throws {
        let n = ops.count
        guard ops.first == .input, ops.last == .output else {
            throw NASError.invalidNB101Cell(reason: "first op must be 'input' and last 'output'")
        }
        for (v, op) in ops.enumerated() where v > 0 && v < n - 1 && !NB101Op.interior.contains(op) {
            throw NASError.invalidNB101Cell(reason: "interior vertex \(v) is labelled '\(op.rawValue)'")
        }
        let keep = Self.onInputOutputPath(rows: unprunedRows)
        guard keep.count >= 2 else {
            throw NASError.invalidNB101Cell(reason: "output is not reachable from input")
        }
        var pruned = [UInt8](repeating: 0, count: keep.count)
        for (a, old) in keep.enumerated() {
            for (b, oldTarget) in keep.enumerated() where unprunedRows[old] & (1 << UInt8(oldTarget)) != 0 {
                pruned[a] |= 1 << UInt8(b)
            }
        }
        let edges = pruned.reduce(0) { $0 + $1.nonzeroBitCount }
        guard keep.count <= Self.maxVertices else {
            throw NASError.invalidNB101Cell(reason: "\(keep.count) vertices after pruning, at most \(Self.maxVertices) allowed")
        }
        guard edges <= Self.maxEdges else {
            throw NASError.invalidNB101Cell(reason: "\(edges) edges after pruning, at most \(Self.maxEdges) allowed")
        }
        self.rows = pruned
        self.ops = keep.map { ops[$0] }
    }

    /// Trusted initialiser for already pruned, valid graphs (enumeration).
    init(prunedRows: [UInt8], ops: [NB101Op]) {
        self.rows = prunedRows
        self.ops = ops
    }

    /// Indices of vertices reachable from vertex 0 and reaching the last vertex,
    /// ascending; fewer than 2 means input and output are disconnected.
    static func onInputOutputPath(rows: [UInt8]) -> [Int] {
        let n = rows.count
        var fromInput: UInt16 = 1
        for v in 0..<n where fromInput & (1 << UInt16(v)) != 0 {
            fromInput |= UInt16(rows[v])
        }
        var toOutput: UInt16 = 1 << UInt16(n - 1)
        for v in stride(from: n - 1, through: 0, by: -1) where UInt16(rows[v]) & toOutput != 0 {
            toOutput |= 1 << UInt16(v)
        }
        let both = fromInput & toOutput
        guard both & 1 != 0, both & (1 << UInt16(n - 1)) != 0 else { return [] }
        return (0..<n).filter { both & (1 << UInt16($0)) != 0 }
    }

    /// Number of vertices, input and output included.
    public var vertexCount: Int { rows.count }

    /// Number of edges.
    public var edgeCount: Int { rows.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Whether the edge `from`→`to` exists.
    public func hasEdge(from: Int, to: Int) -> Bool {
        from >= 0 && from < rows.count && to >= 0 && to < 8 && rows[from] & (1 << UInt8(to)) != 0
    }

    /// The adjacency matrix as nested 0/1 rows.
    public var matrix: [[Int]] {
        (0..<vertexCount).map { i in (0..<vertexCount).map { hasEdge(from: i, to: $0) ? 1 : 0 } }
    }

    /// Edge bitmask in the benchmark generator's numbering: bit `x + y(y−1)/2`
    /// for edge x→y. Smaller masks are met first by the generator.
    public var edgeBitmask: Int {
        var mask = 0
        for y in 1..<vertexCount {
            for x in 0..<y where hasEdge(from: x, to: y) { mask |= 1 << (x + y * (y - 1) / 2) }
        }
        return mask
    }

    /// Row-major 0/1 digit string, the table's `adjacency` column.
    public var adjacencyDigits: String {
        String(matrix.flatMap { $0 }.map { Character($0 == 1 ? "1" : "0") })
    }

    /// `|`-separated labels, the table's `ops` column.
    public var opsField: String { ops.map(\.rawValue).joined(separator: "|") }

    /// `adjacencyDigits` and `opsField` separated by a space.
    public var description: String { "\(adjacencyDigits) \(opsField)" }
}
