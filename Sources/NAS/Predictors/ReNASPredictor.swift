import Numerics

/// The ReNAS CNN rank predictor: `ReNASNetwork` on a standardised
/// channel-major tensor encoding (`NB101ReNASEncoding`, 19×7×7, or
/// `NB201ReNASEncoding`, 11×4×4), trained with Adam.
///
/// `loss: .pairwise` is the paper's relativistic predictor
/// (`pairwiseLogisticLoss` over all ordered pairs of a mini-batch);
/// `loss: .mse` is the element-wise baseline, regressing labels min-max
/// scaled to [0, 1] on the training set. Everything random (initial weights,
/// batch order) derives from the fit's seed, and Numerics' kernels give
/// bit-identical results for any thread count, so a fit depends on
/// (data, options, seed) only.
public struct ReNASPredictor: RankPredictor {
    /// Training objective.
    public enum Loss: String, Hashable, Sendable, Codable {
        /// Pairwise logistic ranking loss (ReNAS).
        case pairwise
        /// Mean squared error on min-max-scaled labels.
        case mse
    }

    /// Training knobs.
    public struct Options: Hashable, Sendable {
        /// Passes over the training set.
        public var epochs: Int
        /// Target mini-batch size; the training set is cut into ⌈n/size⌉ batches
        /// of near-equal size so no batch is too small for pairs and batch norm.
        public var batchSize: Int
        /// Adam learning rate (constant).
        public var learningRate: Float
        /// Kernel threads (results do not depend on it).
        public var threads: Int
        /// Cells scored per forward pass in `predict`.
        public var predictBatchSize: Int

        /// Defaults: 200 epochs, batches of 64, lr 10⁻³, 2 threads.
        public init(epochs: Int = 200, batchSize: Int = 64, learningRate: Float = 1e-3, threads: Int = 2,
                    predictBatchSize: Int = 2048) {
            self.epochs = epochs
            self.batchSize = batchSize
            self.learningRate = learningRate
            self.threads = threads
            self.predictBatchSize = predictBatchSize
        }
    }

    /// A fitted predictor's state.
    public struct Model: Sendable, Equatable {
        /// Feature scaling fitted on the training rows.
        public let standardizer: Standardizer
        /// Trained network.
        public let weights: ReNASWeights

        /// A model from its parts (validated by `ReNASPredictor.init(…restoring:)`).
        public init(standardizer: Standardizer, weights: ReNASWeights) {
            self.standardizer = standardizer
            self.weights = weights
        }
    }

    /// Input channels.
    public let channels: Int
    /// Side of each channel.
    public let side: Int
    /// Objective.
    public let loss: Loss
    /// Training knobs.
    public var options: Options
    /// Fitted state, nil before `fit`.
    public internal(set) var model: Model?
    /// Called after every training epoch with (epochs done, total epochs), e.g. to
    /// drive a progress bar. An observer only: it receives no training state, so
    /// it cannot change the fit.
    public var onEpoch: (@Sendable (_ done: Int, _ total: Int) -> Void)?

    /// A predictor for `channels`×`side`×`side` channel-major features.
    public init(channels: Int, side: Int, loss: Loss = .pairwise, options: Options = Options()) {
        self.channels = channels
        self.side = side
        self.loss = loss
        self.options = options
    }

    /// For `NB101ReNASEncoding` features (19×7×7).
    public static func nb101(loss: Loss = .pairwise, options: Options = Options()) -> ReNASPredictor {
        ReNASPredictor(channels: NB101ReNASEncoding().channels, side: NB101ReNASEncoding.side, loss: loss, options: options)
    }

    /// For `NB201ReNASEncoding` features (11×4×4).
    public static func nb201(loss: Loss = .pairwise, options: Options = Options()) -> ReNASPredictor {
        ReNASPredictor(channels: NB201ReNASEncoding.channels, side: NB201ReNASEncoding.side, loss: loss, options: options)
    }

    /// `renas-pairwise` or `renas-mse`.
    public var name: String { "renas-\(loss.rawValue)" }

    /// Trains from a seeded initialisation.
    public mutating func fit(features: FeatureMatrix, labels: [Double], seed: UInt64) throws {
        try checkTrainingSet(features, labels)
        try checkWidth(features)
        guard options.epochs >= 1, options.batchSize >= 2, options.learningRate > 0 else {
            throw NASError.invalidArgument(name: "options", reason: "need epochs ≥ 1, batchSize ≥ 2, learningRate > 0")
        }
        let standardizer = try Standardizer(fitting: features)
        let x = try standardizer.transform(features)
        let targets: [Double]
        switch loss {
        case .pairwise:
            targets = labels
        case .mse:
            let low = labels.min()!, high = labels.max()!  // ≥ 2 labels checked above
            targets = labels.map { high > low ? ($0 - low) / (high - low) : 0.5 }
        }
        let context = ComputeContext(threads: options.threads)
        var init_ = SplitMix64(seed: seed)
        let network = ReNASNetwork(channels: channels, side: side, generator: &init_)
        let parameters = network.parameters
        let adam = Adam(parameters: parameters)
        var order = Array(0..<x.rows)
        var shuffler = SplitMix64(seed: seed ^ 0x5EED_0F_BA7C4)
        let batches = (x.rows + options.batchSize - 1) / options.batchSize
        for epoch in 0..<options.epochs {
            defer { onEpoch?(epoch + 1, options.epochs) }
            shuffler.shuffle(&order)
            for b in 0..<batches {
                let rows = Array(order[(b * x.rows / batches)..<((b + 1) * x.rows / batches)])
                let out = network.forward(nhwc(x, rows: rows), training: true, context: context)
                let scores = out.storage.map(Double.init)
                let batchTargets = rows.map { targets[$0] }
                let gradient: [Double]
                switch loss {
                case .pairwise: gradient = pairwiseLogisticLoss(outputs: scores, labels: batchTargets).gradient
                case .mse: gradient = meanSquaredError(outputs: scores, targets: batchTargets).gradient
                }
                parameters.zeroGradients()
                network.backward(Tensor(shape: [rows.count, 1], storage: gradient.map(Float.init)), context: context)
                adam.step(learningRate: options.learningRate, context: context)
            }
        }
        model = Model(standardizer: standardizer, weights: network.weights)
    }

    /// Network scores of `features`' rows (evaluation mode: running batch-norm statistics).
    public func predict(features: FeatureMatrix) throws -> [Double] {
        guard let model else {
            throw NASError.invalidArgument(name: "predictor", reason: "\(name) predictor used before fit")
        }
        try checkWidth(features)
        // Evaluation mode folds each batch norm into its convolution; the steps are built
        // from the saved weights alone, so a restored model scores exactly like the fitted one.
        let steps = model.weights.inferenceSteps
        let context = ComputeContext(threads: options.threads)
        var scores: [Double] = []
        scores.reserveCapacity(features.rows)
        var start = 0
        while start < features.rows {
            let end = min(features.rows, start + max(1, options.predictBatchSize))
            let x = nhwc(features, rows: start..<end, standardizer: model.standardizer)
            let out = sequentialInference(x, steps: steps, microBatch: Self.inferenceMicroBatch, context: context)
            scores += out.storage.map(Double.init)
            start = end
        }
        return scores
    }

    /// Cells per worker step in `predict` (see `sequentialInference`): 32 cells of the
    /// NB101 tensor keep every activation of the micro-batch (≤ 32·6,272 floats) in L2.
    static let inferenceMicroBatch = 32

    /// Throws unless rows hold channels·side² values.
    private func checkWidth(_ features: FeatureMatrix) throws {
        guard features.columns == channels * side * side else {
            throw NASError.invalidArgument(
                name: "features", reason: "\(features.columns) columns, \(name) expects \(channels)×\(side)×\(side)")
        }
    }

    /// Rows `rows` of a raw channel-major [C, S, S] feature matrix, standardised, as an
    /// NHWC tensor [rows, S, S, C] (one pass, no standardised copy of the whole matrix).
    func nhwc(_ x: FeatureMatrix, rows: Range<Int>, standardizer: Standardizer) -> Tensor {
        let plane = side * side, width = channels * plane
        var storage = [Float](repeating: 0, count: rows.count * width)
        x.values.withUnsafeBufferPointer { v in
            standardizer.means.withUnsafeBufferPointer { mean in
                standardizer.scales.withUnsafeBufferPointer { scale in
                    storage.withUnsafeMutableBufferPointer { out in
                        for (r, row) in rows.enumerated() {
                            for c in 0..<channels {
                                for p in 0..<plane {
                                    let j = c * plane + p
                                    out[r * width + p * channels + c] = Float((v[row * width + j] - mean[j]) / scale[j])
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [rows.count, side, side, channels], storage: storage)
    }

    /// Rows of a channel-major [C, S, S] feature matrix as an NHWC tensor [rows, S, S, C].
    func nhwc(_ x: FeatureMatrix, rows: [Int]) -> Tensor {
        let plane = side * side, width = channels * plane
        var storage = [Float](repeating: 0, count: rows.count * width)
        x.values.withUnsafeBufferPointer { v in
            storage.withUnsafeMutableBufferPointer { out in
                for (r, row) in rows.enumerated() {
                    for c in 0..<channels {
                        for p in 0..<plane { out[r * width + p * channels + c] = Float(v[row * width + c * plane + p]) }
                    }
                }
            }
        }
        return Tensor(shape: [rows.count, side, side, channels], storage: storage)
    }
}
