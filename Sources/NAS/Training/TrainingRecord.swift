/// Summary of one training epoch.
public struct EpochRecord: Sendable, Hashable, Codable {
    /// Mean per-example training loss over the epoch (from the training forward passes).
    public var trainLoss: Double
    /// Fraction of training examples classified correctly in their minibatch's forward pass.
    public var trainAccuracy: Double
    /// Test accuracy after the epoch (eval mode, BN running statistics); nil when not evaluated.
    public var testAccuracy: Double?
    /// Wall-clock seconds of the epoch's training steps (evaluation excluded).
    public var trainSeconds: Double
    /// Wall-clock seconds of the epoch's evaluation (0 when not evaluated).
    public var evaluationSeconds: Double
    /// Learning rate of the epoch's last step.
    public var learningRate: Float
}

/// Everything a training run observed, for proxies and predictors.
///
/// Per-example arrays are INDEX-ALIGNED with the datasets passed to `train`: entry i of
/// `exampleLosses[e]` / `exampleCorrect[e]` belongs to training example i whatever the shuffled
/// order was, and was recorded from the training-mode forward pass of the minibatch in which
/// example i appeared during epoch e (before that minibatch's update). `testCorrect[i]` and
/// `testMargins[i]` belong to test example i after the last epoch. Wall times vary from run to
/// run; everything else is a pure function of the inputs, seed and recipe.
public struct TrainingRecord: Sendable, Hashable, Codable {
    /// One entry per epoch.
    public var epochs: [EpochRecord]
    /// [epoch][training example] cross-entropy loss (natural log).
    public var exampleLosses: [[Float]]
    /// [epoch][training example] whether the argmax was the label.
    public var exampleCorrect: [[Bool]]
    /// [test example] correctness after training.
    public var testCorrect: [Bool]
    /// [test example] label logit minus the best other logit after training.
    public var testMargins: [Float]
    /// Trainable scalars of the model.
    public var parameterCount: Int
    /// Training images processed per second of training time (all epochs).
    public var imagesPerSecond: Double

    /// Final test accuracy (fraction of `testCorrect`).
    public var testAccuracy: Double {
        testCorrect.isEmpty ? 0 : Double(testCorrect.filter { $0 }.count) / Double(testCorrect.count)
    }

    /// Total training seconds, evaluation excluded.
    public var trainSeconds: Double { epochs.reduce(0) { $0 + $1.trainSeconds } }
}

/// Where a run is, passed to the progress callback after every minibatch.
public struct TrainingProgress: Sendable, Hashable {
    /// 0-based epoch.
    public var epoch: Int
    /// 0-based minibatch within the epoch, just finished.
    public var batch: Int
    /// Minibatches per epoch.
    public var batchesPerEpoch: Int
    /// Mean loss of the minibatch just finished.
    public var batchLoss: Float
    /// Fraction of the whole run done, in (0, 1].
    public var fraction: Double
}
