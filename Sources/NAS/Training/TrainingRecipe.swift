/// Hyper-parameters of a training run. Defaults follow NAS-Bench-201's recipe: SGD with
/// Nesterov momentum 0.9, weight decay 5e-4 (on every parameter), learning rate 0.1 with cosine
/// decay to 0 per step, gradient norm clipped at 5; batch 256.
public struct TrainingRecipe: Sendable, Hashable, Codable {
    /// Passes over the training set.
    public var epochs: Int
    /// Minibatch size; the last minibatch of an epoch holds the remainder (every example is seen
    /// once per epoch, so per-example statistics are complete).
    public var batchSize: Int
    /// Peak learning rate.
    public var learningRate: Float
    /// Learning rate reached at the last step.
    public var minimumLearningRate: Float
    /// Momentum factor.
    public var momentum: Float
    /// Nesterov momentum.
    public var nesterov: Bool
    /// L2 weight decay added to every gradient.
    public var weightDecay: Float
    /// Linear warm-up length in epochs (converted to steps).
    public var warmupEpochs: Int
    /// Maximum global gradient norm; nil disables clipping.
    public var gradientClipNorm: Float?
    /// Per-batch augmentation of training images.
    public var augmentation: Augmentation
    /// Evaluate the test set after every epoch (else only after the last).
    public var evaluateEveryEpoch: Bool
    /// Batch size of evaluation passes (no gradients, so it can be larger).
    public var evaluationBatchSize: Int

    /// A recipe; every argument defaults to the NAS-Bench-201 setting.
    public init(epochs: Int = 5, batchSize: Int = 256, learningRate: Float = 0.1, minimumLearningRate: Float = 0,
                momentum: Float = 0.9, nesterov: Bool = true, weightDecay: Float = 5e-4, warmupEpochs: Int = 0,
                gradientClipNorm: Float? = 5, augmentation: Augmentation = Augmentation(),
                evaluateEveryEpoch: Bool = true, evaluationBatchSize: Int = 512) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.minimumLearningRate = minimumLearningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.warmupEpochs = warmupEpochs
        self.gradientClipNorm = gradientClipNorm
        self.augmentation = augmentation
        self.evaluateEveryEpoch = evaluateEveryEpoch
        self.evaluationBatchSize = evaluationBatchSize
    }

    /// Rejects non-positive sizes and negative rates with `NASError.invalidArgument`.
    public func validate() throws {
        if epochs < 1 { throw NASError.invalidArgument(name: "epochs", reason: "\(epochs) must be at least 1") }
        if batchSize < 1 { throw NASError.invalidArgument(name: "batch", reason: "\(batchSize) must be at least 1") }
        if evaluationBatchSize < 1 {
            throw NASError.invalidArgument(name: "evaluationBatchSize", reason: "\(evaluationBatchSize) must be at least 1")
        }
        if warmupEpochs < 0 || warmupEpochs >= epochs {
            throw NASError.invalidArgument(name: "warmupEpochs", reason: "\(warmupEpochs) must be in 0..<\(epochs)")
        }
        if !(learningRate >= 0) || !(weightDecay >= 0) || !(momentum >= 0) {
            throw NASError.invalidArgument(name: "recipe", reason: "learning rate, momentum and weight decay must be non-negative")
        }
    }
}
