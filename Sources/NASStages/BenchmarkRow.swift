import NAS

/// A cell of either search space, as a benchmark row holds it.
public enum BenchmarkCell: Hashable, Sendable {
    /// A NAS-Bench-101 cell.
    case nb101(NB101Cell)
    /// A NAS-Bench-201 cell.
    case nb201(NB201Cell)

    /// The cell's fields in the canonical CSV (`BenchmarkFormat.cellColumns` order).
    var csvFields: [String] {
        switch self {
        case let .nb101(cell): return [cell.adjacencyDigits, cell.opsField]
        case let .nb201(cell): return [cell.cellString]
        }
    }
}

/// One row of a loaded benchmark: a stable id, the cell and its accuracy.
public struct BenchmarkRow: Hashable, Sendable {
    /// NB101: the benchmark fingerprint; NB201: the `arch` number.
    public let id: String
    /// The cell.
    public let cell: BenchmarkCell
    /// The chosen label column (unit in `BenchmarkMetadata.unit`).
    public let accuracy: Double

    /// A row.
    public init(id: String, cell: BenchmarkCell, accuracy: Double) {
        self.id = id
        self.cell = cell
        self.accuracy = accuracy
    }
}

extension Array where Element == BenchmarkRow {
    /// The NB101 cells of the rows; nil when any row is not NB101.
    var nb101Cells: [NB101Cell]? {
        var out: [NB101Cell] = []
        out.reserveCapacity(count)
        for row in self {
            guard case let .nb101(cell) = row.cell else { return nil }
            out.append(cell)
        }
        return out
    }

    /// The NB201 cells of the rows; nil when any row is not NB201.
    var nb201Cells: [NB201Cell]? {
        var out: [NB201Cell] = []
        out.reserveCapacity(count)
        for row in self {
            guard case let .nb201(cell) = row.cell else { return nil }
            out.append(cell)
        }
        return out
    }

    /// The accuracies, in row order.
    var accuracies: [Double] { map(\.accuracy) }
}
