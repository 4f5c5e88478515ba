import Numerics
import Foundation

/// Kernel ridge regression with a Gaussian (RBF) kernel on standardised
/// features: a non-linear counterpart of `RidgeRegression` that still has a
/// closed form, (K + nαI)c = y − ȳ, score(x) = ȳ + Σᵢ cᵢ·k(x, xᵢ), with
/// k(x, x') = exp(−γ‖x − x'‖²) and γ = `bandwidth` / features (so a
/// bandwidth of 1 puts the typical squared distance of standardised rows,
/// about 2·features, at exp(−2)).
///
/// (α, bandwidth) is chosen like `RidgeRegression.Penalty.crossValidated`:
/// the best mean Kendall τ of a k-fold split of the training rows, ties to
/// the larger α and then the smaller bandwidth (smoother model).
public struct KernelRidge: RankPredictor {
    /// Candidate α values.
    public var alphas: [Double]
    /// Candidate bandwidths.
    public var bandwidths: [Double]
    /// Cross-validation folds.
    public var folds: Int
    /// Most training rows used for choosing (α, bandwidth): above it the cross validation
    /// runs on a random subset of this many rows (drawn with the fit seed), the final
    /// solve still uses every row. Keeps a 4,236-row fit to seconds (each CV solve is O(n³)).
    public var cvRowLimit: Int
    /// Fitted state, nil before `fit`.
    public internal(set) var model: Model?

    /// A fitted model.
    public struct Model: Hashable, Sendable {
        /// Scaling fitted on the training rows.
        public let standardizer: Standardizer
        /// Standardised training rows.
        public let support: FeatureMatrix
        /// Dual coefficients.
        public let coefficients: [Double]
        /// Training-label mean.
        public let intercept: Double
        /// Chosen α and γ.
        public let alpha: Double, gamma: Double
    }

    /// Default grid: α ∈ {10⁻³, 10⁻², 10⁻¹, 1}, bandwidth ∈ {0.25, 0.5, 1, 2, 4}, 5 folds,
    /// cross validation on at most 1,000 rows.
    public init(alphas: [Double] = [1e-3, 1e-2, 1e-1, 1], bandwidths: [Double] = [0.25, 0.5, 1, 2, 4], folds: Int = 5,
                cvRowLimit: Int = 1000) {
        self.alphas = alphas
        self.bandwidths = bandwidths
        self.folds = folds
        self.cvRowLimit = cvRowLimit
    }

    /// `kernel-ridge`.
    public var name: String { "kernel-ridge" }

    /// Chooses (α, γ) by cross validation, then solves on all training rows.
    public mutating func fit(features: FeatureMatrix, labels: [Double], seed: UInt64) throws {
        try checkTrainingSet(features, labels)
        guard !alphas.isEmpty, !bandwidths.isEmpty,
              (alphas + bandwidths).allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw NASError.invalidArgument(name: "grid", reason: "α and bandwidth grids need positive finite values")
        }
        guard folds >= 2, folds <= labels.count / 2 else {
            throw NASError.invalidArgument(name: "folds", reason: "\(folds) folds for \(labels.count) rows")
        }
        guard cvRowLimit >= 2 * folds else {
            throw NASError.invalidArgument(name: "cvRowLimit", reason: "\(cvRowLimit) rows for \(folds) folds")
        }
        let d = Double(max(1, features.columns))
        var order = Array(0..<labels.count)
        var rng = SplitMix64(seed: seed)
        rng.shuffle(&order)
        // Above the limit, cross-validate on the first `cvRowLimit` rows of the shuffled order
        // (a seeded random subset): each CV solve is O(rows³) and there are folds × grid of them.
        if order.count > cvRowLimit { order = Array(order.prefix(cvRowLimit)) }
        let sortedBandwidths = bandwidths.sorted(), sortedAlphas = alphas.sorted(by: >)
        var totals = [Double](repeating: 0, count: sortedBandwidths.count * sortedAlphas.count)
        for fold in 0..<folds {
            let held = order.indices.filter { $0 % folds == fold }.map { order[$0] }.sorted()
            let heldSet = Set(held)
            let kept = order.filter { !heldSet.contains($0) }.sorted()
            // Distances are computed once per fold and shared by every (bandwidth, α).
            let standardizer = try Standardizer(fitting: features.selecting(rows: kept))
            let keptX = try standardizer.transform(features.selecting(rows: kept))
            let heldX = try standardizer.transform(features.selecting(rows: held))
            let keptDistances = squaredDistances(keptX, keptX), heldDistances = squaredDistances(heldX, keptX)
            let keptLabels = kept.map { labels[$0] }, heldLabels = held.map { labels[$0] }
            for (b, bandwidth) in sortedBandwidths.enumerated() {
                for (a, alpha) in sortedAlphas.enumerated() {
                    let m = try Self.solve(standardizer: standardizer, x: keptX, distances: keptDistances,
                                           labels: keptLabels, alpha: alpha, gamma: bandwidth / d)
                    let scores = Self.scores(m, kernel: heldDistances.map { exp(-m.gamma * $0) }, rows: held.count)
                    totals[b * sortedAlphas.count + a] += try kendallTau(scores, heldLabels) ?? 0
                }
            }
        }
        // Bandwidths ascending then α descending, so `>` keeps the preferred tie.
        var best = (score: -Double.infinity, alpha: sortedAlphas[0], gamma: sortedBandwidths[0] / d)
        for (b, bandwidth) in sortedBandwidths.enumerated() {
            for (a, alpha) in sortedAlphas.enumerated() where totals[b * sortedAlphas.count + a] > best.score {
                best = (totals[b * sortedAlphas.count + a], alpha, bandwidth / d)
            }
        }
        model = try Self.solve(features: features, labels: labels, alpha: best.alpha, gamma: best.gamma)
    }

    /// Kernel scores of `features`' rows.
    public func predict(features: FeatureMatrix) throws -> [Double] {
        guard let model else {
            throw NASError.invalidArgument(name: "predictor", reason: "kernel-ridge predictor used before fit")
        }
        guard features.columns == model.support.columns else {
            throw NASError.invalidArgument(
                name: "features", reason: "\(features.columns) columns, fitted on \(model.support.columns)")
        }
        return try Self.scores(model, features)
    }

    static func solve(features: FeatureMatrix, labels: [Double], alpha: Double, gamma: Double) throws -> Model {
        let standardizer = try Standardizer(fitting: features)
        let x = try standardizer.transform(features)
        return try solve(standardizer: standardizer, x: x, distances: squaredDistances(x, x), labels: labels,
                         alpha: alpha, gamma: gamma)
    }

    /// The fit on standardised rows `x` whose squared distances (n×n) are given.
    static func solve(standardizer: Standardizer, x: FeatureMatrix, distances: [Double], labels: [Double],
                      alpha: Double, gamma: Double) throws -> Model {
        let n = x.rows
        let mean = labels.reduce(0, +) / Double(n)
        var k = distances.map { exp(-gamma * $0) }
        for i in 0..<n { k[i * n + i] += Double(n) * alpha }
        guard let c = choleskySolve(k, n: n, labels.map { $0 - mean }) else {
            throw NASError.invalidArgument(name: "alpha", reason: "kernel system not positive definite at α = \(alpha)")
        }
        return Model(standardizer: standardizer, support: x, coefficients: c, intercept: mean, alpha: alpha, gamma: gamma)
    }

    static func scores(_ model: Model, _ features: FeatureMatrix) throws -> [Double] {
        let x = try model.standardizer.transform(features)
        return scores(model, kernel: rbfKernel(x, model.support, gamma: model.gamma), rows: x.rows)
    }

    /// Scores from the kernel between `rows` rows and the support (row-major rows × support).
    static func scores(_ model: Model, kernel k: [Double], rows: Int) -> [Double] {
        let m = model.support.rows
        return (0..<rows).map { i in
            var sum = model.intercept
            for j in 0..<m { sum += k[i * m + j] * model.coefficients[j] }
            return sum
        }
    }
}

/// D[i, j] = ‖aᵢ − bⱼ‖², row-major a.rows × b.rows.
func squaredDistances(_ a: FeatureMatrix, _ b: FeatureMatrix) -> [Double] {
    let d = a.columns, m = b.rows
    var out = [Double](repeating: 0, count: a.rows * m)
    a.values.withUnsafeBufferPointer { av in
        b.values.withUnsafeBufferPointer { bv in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<a.rows {
                    for j in 0..<m {
                        var s = 0.0
                        for t in 0..<d {
                            let diff = av[i * d + t] - bv[j * d + t]
                            s += diff * diff
                        }
                        o[i * m + j] = s
                    }
                }
            }
        }
    }
    return out
}

/// K[i, j] = exp(−γ‖aᵢ − bⱼ‖²), row-major a.rows × b.rows.
func rbfKernel(_ a: FeatureMatrix, _ b: FeatureMatrix, gamma: Double) -> [Double] {
    // One distance loop for both: the cross-validation grid reuses the distances for
    // every γ, and scoring pays one extra pass over the result, negligible next to it.
    squaredDistances(a, b).map { exp(-gamma * $0) }
}
