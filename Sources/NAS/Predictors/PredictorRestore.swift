import Numerics

// Restoring fitted predictors from their numbers.
//
// A fitted predictor's state is a plain value (`Model`), so a model saved by
// a pipeline stage (NASStages' model artifact) can be turned back into a
// predictor that scores new cells without refitting. Every initialiser here
// validates shapes and finiteness and throws `NASError.invalidArgument` on a
// mismatch: the numbers come from files, i.e. user input.

extension Standardizer {
    /// A standardizer from saved means and scales (same length, finite, scales > 0).
    public init(means: [Double], scales: [Double]) throws {
        guard means.count == scales.count else {
            throw NASError.invalidArgument(name: "scales", reason: "\(scales.count) scales for \(means.count) means")
        }
        guard means.allSatisfy(\.isFinite), scales.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw NASError.invalidArgument(name: "standardizer", reason: "means must be finite and scales finite and positive")
        }
        self.init(trustedMeans: means, scales: scales)
    }
}

extension ReNASPredictor {
    /// Shapes of the tensors of a fitted model, in `weights.parameters` then
    /// `weights.runningStatistics` order, for `channels`×`side`×`side` inputs.
    public static func tensorShapes(channels: Int, side: Int) -> (parameters: [[Int]], runningStatistics: [[Int]]) {
        let parameters: [[Int]] = [
            [3, 3, channels, 38], [38], [38],               // conv1 weight, bn1 γ, β
            [3, 3, 38, 128], [128], [128],                  // conv2 weight, bn2 γ, β
            [120, 128 * side * side], [120], [84, 120], [84], [1, 84], [1],  // fc1, fc2, fc3 (weight, bias)
        ]
        return (parameters, [[38], [38], [128], [128]])
    }

    /// A fitted predictor from a saved model (as written after `fit`), without training.
    /// Throws unless the standardizer has channels·side² features and the tensors have
    /// the shapes of `tensorShapes(channels:side:)` with finite values.
    public init(channels: Int, side: Int, loss: Loss, options: Options = Options(), restoring model: Model) throws {
        self.init(channels: channels, side: side, loss: loss, options: options)
        let width = channels * side * side
        guard model.standardizer.means.count == width else {
            throw NASError.invalidArgument(
                name: "standardizer", reason: "\(model.standardizer.means.count) features, \(name) expects \(width)")
        }
        let expected = Self.tensorShapes(channels: channels, side: side)
        let (parameters, statistics) = (model.weights.parameters, model.weights.runningStatistics)
        guard parameters.map(\.shape) == expected.parameters, statistics.map(\.shape) == expected.runningStatistics else {
            throw NASError.invalidArgument(
                name: "weights", reason: "tensor shapes \((parameters + statistics).map(\.shape)) do not match \(name) "
                    + "on \(channels)×\(side)×\(side): expected \(expected.parameters + expected.runningStatistics)")
        }
        guard (parameters + statistics).allSatisfy({ $0.storage.allSatisfy(\.isFinite) }) else {
            throw NASError.invalidArgument(name: "weights", reason: "\(name) weights contain non-finite values")
        }
        self.model = model
    }
}

extension RidgeRegression {
    /// A fitted ridge predictor from saved numbers: scaling, one weight per feature, intercept, α.
    public init(restoring standardizer: Standardizer, weights: [Double], intercept: Double, alpha: Double) throws {
        guard weights.count == standardizer.means.count else {
            throw NASError.invalidArgument(name: "weights", reason: "\(weights.count) weights for \(standardizer.means.count) features")
        }
        guard weights.allSatisfy(\.isFinite), intercept.isFinite, alpha.isFinite, alpha > 0 else {
            throw NASError.invalidArgument(name: "weights", reason: "ridge weights, intercept and α must be finite (α > 0)")
        }
        self.init(penalty: .fixed(alpha))
        model = Model(standardizer: standardizer, weights: weights, intercept: intercept, alpha: alpha)
    }
}

extension KernelRidge {
    /// A fitted kernel ridge predictor from saved numbers. `trainingFeatures` are the
    /// *raw* (unstandardised) training rows in fit order: the support rows are
    /// rebuilt from them with `standardizer`, exactly as `fit` built them.
    public init(restoring standardizer: Standardizer, trainingFeatures: FeatureMatrix, coefficients: [Double],
                intercept: Double, alpha: Double, gamma: Double) throws {
        guard coefficients.count == trainingFeatures.rows else {
            throw NASError.invalidArgument(
                name: "coefficients", reason: "\(coefficients.count) coefficients for \(trainingFeatures.rows) training rows")
        }
        guard coefficients.allSatisfy(\.isFinite), intercept.isFinite, gamma.isFinite, gamma > 0 else {
            throw NASError.invalidArgument(name: "coefficients", reason: "kernel ridge numbers must be finite (γ > 0)")
        }
        let support = try standardizer.transform(trainingFeatures)
        self.init()
        model = Model(standardizer: standardizer, support: support, coefficients: coefficients, intercept: intercept,
                      alpha: alpha, gamma: gamma)
    }
}
