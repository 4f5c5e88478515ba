import Numerics

/// A model that learns to order cells from a few (features, accuracy) pairs.
///
/// Only the order of `predict`'s scores matters (ranking losses do not fix an
/// offset or scale). `fit` must be deterministic given `seed`, and any scaling
/// of the features is fitted inside `fit` on the training rows only.
public protocol RankPredictor: Sendable {
    /// Short stable name used in reports (e.g. `ridge`, `renas-pairwise`).
    var name: String { get }
    /// Trains on `features` (one row per cell) and their `labels` (larger is better).
    mutating func fit(features: FeatureMatrix, labels: [Double], seed: UInt64) throws
    /// Scores of `features`' rows; higher means predicted better. Throws before `fit`.
    func predict(features: FeatureMatrix) throws -> [Double]
}

extension RankPredictor {
    /// Scores `cells` encoded by `encoding`, `batchSize` cells at a time so the
    /// whole 423,624-cell NB101 space never has to be encoded at once (2,048 rows of
    /// the 931-value ReNAS tensor are 15 MB, below the allocator's reuse threshold),
    /// encoding each batch on `encodingThreads` workers (the result does not depend on it).
    public func predict<E: CellEncoding>(cells: [E.Cell], encoding: E, batchSize: Int = 2048,
                                         encodingThreads: Int = 2) throws -> [Double] {
        guard batchSize > 0 else {
            throw NASError.invalidArgument(name: "batchSize", reason: "\(batchSize) must be positive")
        }
        let context = ComputeContext(threads: encodingThreads)
        var scores: [Double] = []
        scores.reserveCapacity(cells.count)
        var start = 0
        while start < cells.count {
            let end = min(cells.count, start + batchSize)
            scores += try predict(features: encoding.encode(Array(cells[start..<end]), context: context))
            start = end
        }
        return scores
    }
}

/// Throws unless `features` and `labels` describe the same non-empty set of rows
/// with finite labels.
func checkTrainingSet(_ features: FeatureMatrix, _ labels: [Double], minimumRows: Int = 2) throws {
    guard features.rows == labels.count else {
        throw NASError.invalidArgument(name: "labels", reason: "\(labels.count) labels for \(features.rows) feature rows")
    }
    guard labels.count >= minimumRows else {
        throw NASError.invalidArgument(name: "labels", reason: "\(labels.count) training rows, at least \(minimumRows) needed")
    }
    guard labels.allSatisfy(\.isFinite) else {
        throw NASError.invalidArgument(name: "labels", reason: "labels must be finite")
    }
}
