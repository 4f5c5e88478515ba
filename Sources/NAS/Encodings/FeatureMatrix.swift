/// A dense row-major matrix of features, one row per cell.
///
/// A single flat array (rather than `[[Double]]`) keeps encoding 400k cells to
/// one allocation and lets solvers walk rows contiguously.
public struct FeatureMatrix: Hashable, Sendable {
    /// Number of rows (cells).
    public let rows: Int
    /// Number of columns (features).
    public let columns: Int
    /// `rows × columns` values, row-major.
    public private(set) var values: [Double]

    /// A matrix from row-major `values`; throws when the count is not `rows × columns`.
    public init(rows: Int, columns: Int, values: [Double]) throws {
        guard rows >= 0, columns >= 0, values.count == rows * columns else {
            throw NASError.invalidArgument(
                name: "values", reason: "\(values.count) values for a \(rows)×\(columns) feature matrix")
        }
        self.init(rows: rows, columns: columns, trustedValues: values)
    }

    /// A matrix from nested rows, which must all have the same length.
    public init(_ nested: [[Double]]) throws {
        let columns = nested.first?.count ?? 0
        for (i, row) in nested.enumerated() where row.count != columns {
            throw NASError.invalidArgument(name: "rows", reason: "row \(i) has \(row.count) values, expected \(columns)")
        }
        self.init(rows: nested.count, columns: columns, trustedValues: nested.flatMap { $0 })
    }

    /// Internal initialiser for values whose count is known to be right.
    init(rows: Int, columns: Int, trustedValues: [Double]) {
        self.rows = rows
        self.columns = columns
        self.values = trustedValues
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Double] { Array(values[(i * columns)..<((i + 1) * columns)]) }

    /// Element (i, j).
    public subscript(i: Int, j: Int) -> Double {
        get { values[i * columns + j] }
        set { values[i * columns + j] = newValue }
    }

    /// The rows at `indices`, in that order.
    public func selecting(rows indices: [Int]) -> FeatureMatrix {
        var out: [Double] = []
        out.reserveCapacity(indices.count * columns)
        for i in indices { out += values[(i * columns)..<((i + 1) * columns)] }
        return FeatureMatrix(rows: indices.count, columns: columns, trustedValues: out)
    }

    /// The columns of `self` followed by those of `other` (same row count).
    public func concatenating(columnsOf other: FeatureMatrix) throws -> FeatureMatrix {
        guard other.rows == rows else {
            throw NASError.invalidArgument(name: "other", reason: "\(other.rows) rows concatenated to \(rows)")
        }
        var out: [Double] = []
        out.reserveCapacity(rows * (columns + other.columns))
        for i in 0..<rows {
            out += values[(i * columns)..<((i + 1) * columns)]
            out += other.values[(i * other.columns)..<((i + 1) * other.columns)]
        }
        return FeatureMatrix(rows: rows, columns: columns + other.columns, trustedValues: out)
    }
}
