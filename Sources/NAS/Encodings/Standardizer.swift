/// Per-feature standardisation (x − mean) / standard deviation, fitted on a
/// training set and then applied unchanged to any other set, so no test
/// information leaks into the scaling.
///
/// A feature that is constant on the training set (e.g. an adjacency entry
/// that no training cell uses) gets scale 1: it maps to 0 there, and to its
/// raw offset elsewhere, rather than dividing by zero.
public struct Standardizer: Hashable, Sendable, Codable {
    /// Training mean of each feature.
    public let means: [Double]
    /// Training population standard deviation of each feature (1 where it is 0).
    public let scales: [Double]

    /// Fits means and scales on the rows of `features` (at least one row).
    public init(fitting features: FeatureMatrix) throws {
        guard features.rows > 0 else {
            throw NASError.invalidArgument(name: "features", reason: "cannot fit a standardizer on 0 rows")
        }
        let n = features.rows, d = features.columns
        var means = [Double](repeating: 0, count: d)
        var squares = [Double](repeating: 0, count: d)
        features.values.withUnsafeBufferPointer { x in
            for i in 0..<n { for j in 0..<d { means[j] += x[i * d + j] } }
            for j in 0..<d { means[j] /= Double(n) }
            for i in 0..<n {
                for j in 0..<d {
                    let delta = x[i * d + j] - means[j]
                    squares[j] += delta * delta
                }
            }
        }
        self.means = means
        // Relative threshold: a feature whose spread is rounding noise counts as constant.
        self.scales = zip(squares, means).map { square, mean in
            let sd = (square / Double(n)).squareRoot()
            return sd > 1e-12 * max(1, abs(mean)) ? sd : 1
        }
    }

    /// Internal initialiser for numbers already validated (`init(means:scales:)`).
    init(trustedMeans means: [Double], scales: [Double]) {
        self.means = means
        self.scales = scales
    }

    /// Standardises every row of `features`, which must have as many columns as the fit.
    public func transform(_ features: FeatureMatrix) throws -> FeatureMatrix {
        guard features.columns == means.count else {
            throw NASError.invalidArgument(
                name: "features", reason: "\(features.columns) columns, the standardizer was fitted on \(means.count)")
        }
        var out = features.values
        let d = means.count
        out.withUnsafeMutableBufferPointer { x in
            for i in 0..<features.rows {
                for j in 0..<d { x[i * d + j] = (x[i * d + j] - means[j]) / scales[j] }
            }
        }
        return FeatureMatrix(rows: features.rows, columns: d, trustedValues: out)
    }
}
