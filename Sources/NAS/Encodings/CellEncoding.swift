import Numerics

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

extension CellEncoding {
    /// `encode(_:)` with the cells split into contiguous ranges over `context`'s workers:
    /// rows are independent, so the matrix is the same for any thread count. Used when
    /// scoring the whole NB101 space, where encoding is otherwise a serial fifth of the time.
    public func encode(_ cells: [Cell], context: ComputeContext) -> FeatureMatrix {
        let width = featureCount
        var values = [Double](repeating: 0, count: cells.count * width)
        values.withUnsafeMutableBufferPointer { out in
            let base = UncheckedPointer(out.baseAddress)
            context.parallelRanges(cells.count, minimumPerWorker: 256) { range in
                guard let target = base.pointer else { return }
                for i in range {
                    let row = encode(cells[i])
                    row.withUnsafeBufferPointer { (target + i * width).update(from: $0.baseAddress!, count: width) }
                }
            }
        }
        return FeatureMatrix(rows: cells.count, columns: width, trustedValues: values)
    }
}

/// A pointer handed to parallel workers that write disjoint rows. `@unchecked Sendable`
/// because `parallelRanges` joins before returning and the ranges do not overlap.
private struct UncheckedPointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Double>?
    init(_ pointer: UnsafeMutablePointer<Double>?) { self.pointer = pointer }
}
