/// A fixed-length numeric description of a cell, the input of every predictor.
///
/// Encodings are pure functions of the cell (no fitted state), so training and
/// test sets are encoded identically; scaling fitted on data lives in
/// `Standardizer`, which the predictors own.
public protocol CellEncoding: Sendable {
    /// The cell type encoded.
    associatedtype Cell
    /// Short stable name used in reports (e.g. `nb101-path`).
    var name: String { get }
    /// Length of every vector `encode` returns.
    var featureCount: Int { get }
    /// The feature vector of `cell`, `featureCount` values.
    func encode(_ cell: Cell) -> [Double]
}

extension CellEncoding {
    /// Row-major feature matrix of `cells`, one `featureCount`-long row per cell.
    public func encode(_ cells: [Cell]) -> FeatureMatrix {
        var values: [Double] = []
        values.reserveCapacity(cells.count * featureCount)
        for cell in cells { values += encode(cell) }
        return FeatureMatrix(rows: cells.count, columns: featureCount, trustedValues: values)
    }
}
