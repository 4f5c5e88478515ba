import Numerics

/// Ridge regression on standardised features, closed form.
///
/// Minimises (1/n)·‖y − ȳ − Xw‖² + α·‖w‖² over w, X standardised on the
/// training rows (`Standardizer`), intercept ȳ unpenalised. Because the loss
/// is averaged over rows, α does not scale with the training-set size. The
/// solution is w = (XᵀX + nαI)⁻¹Xᵀ(y − ȳ) when features ≤ rows, otherwise the
/// equivalent dual form w = Xᵀ(XXᵀ + nαI)⁻¹(y − ȳ), so the system solved is
/// never larger than min(n, d) (the 931-feature ReNAS tensor with 424 cells
/// solves a 424×424 system).
public struct RidgeRegression: RankPredictor {
    /// How α is chosen.
    public enum Penalty: Hashable, Sendable {
        /// A fixed α > 0.
        case fixed(Double)
        /// The α of `grid` with the best mean Kendall τ over `folds`-fold cross
        /// validation on the training rows only (folds drawn with the fit's
        /// seed; ties go to the larger α, the simpler model).
        case crossValidated(grid: [Double], folds: Int)

        /// The default rule: 5-fold CV over α ∈ {10⁻³, 3·10⁻³, …, 10}.
        public static let standard = Penalty.crossValidated(
            grid: [1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3, 10], folds: 5)
    }

    /// A fitted model.
    public struct Model: Hashable, Sendable {
        /// Scaling fitted on the training rows.
        public let standardizer: Standardizer
        /// Weights on the standardised features.
        public let weights: [Double]
        /// Training-label mean.
        public let intercept: Double
        /// The α used.
        public let alpha: Double
    }

    /// The α rule.
    public var penalty: Penalty
    /// The fitted model, nil before `fit`.
    public internal(set) var model: Model?

    /// An unfitted ridge predictor (default: cross-validated α).
    public init(penalty: Penalty = .standard) { self.penalty = penalty }

    /// `ridge`.
    public var name: String { "ridge" }

    /// Fits standardizer, α and weights on the training rows.
    public mutating func fit(features: FeatureMatrix, labels: [Double], seed: UInt64) throws {
        try checkTrainingSet(features, labels)
        let alpha: Double
        switch penalty {
        case let .fixed(value):
            guard value > 0, value.isFinite else {
                throw NASError.invalidArgument(name: "alpha", reason: "\(value) must be positive and finite")
            }
            alpha = value
        case let .crossValidated(grid, folds):
            alpha = try Self.crossValidate(features: features, labels: labels, grid: grid, folds: folds, seed: seed)
        }
        model = try Self.solve(features: features, labels: labels, alpha: alpha)
    }

    /// Linear scores of `features`' rows.
    public func predict(features: FeatureMatrix) throws -> [Double] {
        guard let model else {
            throw NASError.invalidArgument(name: "predictor", reason: "ridge predictor used before fit")
        }
        let x = try model.standardizer.transform(features)
        let d = x.columns
        return x.values.withUnsafeBufferPointer { v in
            (0..<x.rows).map { i in
                var sum = model.intercept
                for j in 0..<d { sum += v[i * d + j] * model.weights[j] }
                return sum
            }
        }
    }

    /// The closed-form fit for one α.
    static func solve(features: FeatureMatrix, labels: [Double], alpha: Double) throws -> Model {
        let standardizer = try Standardizer(fitting: features)
        let x = try standardizer.transform(features)
        let n = x.rows, d = x.columns
        let mean = labels.reduce(0, +) / Double(n)
        let y = labels.map { $0 - mean }
        let ridge = Double(n) * alpha
        var weights = [Double](repeating: 0, count: d)
        if d <= n {
            var a = gramOfColumns(x)
            for i in 0..<d { a[i * d + i] += ridge }
            var b = [Double](repeating: 0, count: d)
            for i in 0..<n { for j in 0..<d { b[j] += x.values[i * d + j] * y[i] } }
            guard let w = choleskySolve(a, n: d, b) else { throw Self.notPositiveDefinite(alpha) }
            weights = w
        } else {
            var k = gramOfRows(x)
            for i in 0..<n { k[i * n + i] += ridge }
            guard let dual = choleskySolve(k, n: n, y) else { throw Self.notPositiveDefinite(alpha) }
            for i in 0..<n { for j in 0..<d { weights[j] += x.values[i * d + j] * dual[i] } }
        }
        return Model(standardizer: standardizer, weights: weights, intercept: mean, alpha: alpha)
    }

    /// k-fold CV of every α in `grid`; returns the best.
    static func crossValidate(features: FeatureMatrix, labels: [Double], grid: [Double], folds: Int, seed: UInt64) throws -> Double {
        guard !grid.isEmpty, grid.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw NASError.invalidArgument(name: "grid", reason: "needs at least one positive finite α")
        }
        guard folds >= 2, folds <= labels.count / 2 else {
            throw NASError.invalidArgument(name: "folds", reason: "\(folds) folds for \(labels.count) rows")
        }
        var order = Array(0..<labels.count)
        var rng = SplitMix64(seed: seed)
        rng.shuffle(&order)
        var totals = [Double](repeating: 0, count: grid.count)
        for fold in 0..<folds {
            let held = order.indices.filter { $0 % folds == fold }.map { order[$0] }.sorted()
            let heldSet = Set(held)
            let kept = (0..<labels.count).filter { !heldSet.contains($0) }
            let trainX = features.selecting(rows: kept), testX = features.selecting(rows: held)
            let trainY = kept.map { labels[$0] }, testY = held.map { labels[$0] }
            for (g, alpha) in grid.enumerated() {
                var fitted = RidgeRegression(penalty: .fixed(alpha))
                fitted.model = try solve(features: trainX, labels: trainY, alpha: alpha)
                // A constant prediction or constant fold labels carry no ranking signal: score 0.
                totals[g] += try kendallTau(fitted.predict(features: testX), testY) ?? 0
            }
        }
        var best = 0
        for g in grid.indices where totals[g] > totals[best] || (totals[g] == totals[best] && grid[g] > grid[best]) {
            best = g
        }
        return grid[best]
    }

    private static func notPositiveDefinite(_ alpha: Double) -> NASError {
        .invalidArgument(name: "alpha", reason: "ridge system not positive definite at α = \(alpha)")
    }
}
