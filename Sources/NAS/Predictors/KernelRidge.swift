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

    /// Default grid: α ∈ {10⁻³, 10⁻², 10⁻¹, 1}, bandwidth ∈ {0.25, 0.5, 1, 2, 4}, 5 folds.
    public init(alphas: [Double] = [1e-3, 1e-2, 1e-1, 1], bandwidths: [Double] = [0.25, 0.5, 1, 2, 4], folds: Int = 5) {
        self.alphas = alphas
        self.bandwidths = bandwidths
        self.folds = folds
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
        let d = Double(max(1, features.columns))
        var order = Array(0..<labels.count)
        var rng = SplitMix64(seed: seed)
        rng.shuffle(&order)
        var best = (score: -Double.infinity, alpha: alphas[0], gamma: bandwidths[0] / d)
        // Bandwidths ascending then α descending, so `>` keeps the preferred tie.
        for bandwidth in bandwidths.sorted() {
            for alpha in alphas.sorted(by: >) {
                var total = 0.0
                for fold in 0..<folds {
                    let held = order.indices.filter { $0 % folds == fold }.map { order[$0] }.sorted()
                    let heldSet = Set(held)
                    let kept = (0..<labels.count).filter { !heldSet.contains($0) }
                    let m = try Self.solve(features: features.selecting(rows: kept), labels: kept.map { labels[$0] },
                                           alpha: alpha, gamma: bandwidth / d)
                    total += try kendallTau(Self.scores(m, features.selecting(rows: held)), held.map { labels[$0] }) ?? 0
                }
                if total > best.score { best = (total, alpha, bandwidth / d) }
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
        let n = x.rows
        let mean = labels.reduce(0, +) / Double(n)
        var k = rbfKernel(x, x, gamma: gamma)
        for i in 0..<n { k[i * n + i] += Double(n) * alpha }
        guard let c = choleskySolve(k, n: n, labels.map { $0 - mean }) else {
            throw NASError.invalidArgument(name: "alpha", reason: "kernel system not positive definite at α = \(alpha)")
        }
        return Model(standardizer: standardizer, support: x, coefficients: c, intercept: mean, alpha: alpha, gamma: gamma)
    }

    static func scores(_ model: Model, _ features: FeatureMatrix) throws -> [Double] {
        let x = try model.standardizer.transform(features)
        let k = rbfKernel(x, model.support, gamma: model.gamma)
        let m = model.support.rows
        return (0..<x.rows).map { i in
            var sum = model.intercept
            for j in 0..<m { sum += k[i * m + j] * model.coefficients[j] }
            return sum
        }
    }
}

/// K[i, j] = exp(−γ‖aᵢ − bⱼ‖²), row-major a.rows × b.rows.
func rbfKernel(_ a: FeatureMatrix, _ b: FeatureMatrix, gamma: Double) -> [Double] {
    let d = a.columns, m = b.rows
    var k = [Double](repeating: 0, count: a.rows * m)
    a.values.withUnsafeBufferPointer { av in
        b.values.withUnsafeBufferPointer { bv in
            for i in 0..<a.rows {
                for j in 0..<m {
                    var s = 0.0
                    for t in 0..<d {
                        let diff = av[i * d + t] - bv[j * d + t]
                        s += diff * diff
                    }
                    k[i * m + j] = exp(-gamma * s)
                }
            }
        }
    }
    return k
}
