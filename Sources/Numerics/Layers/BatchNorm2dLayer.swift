/// Batch normalisation over the channel (last) axis, PyTorch semantics: batch statistics and a
/// running-average update in training, running statistics in evaluation.
public final class BatchNorm2d: Layer {
    /// Scale gamma `[C]` (ones) and shift beta `[C]` (zeros); nil when not affine.
    public let gamma: Parameter?, beta: Parameter?
    /// Running mean (zeros) and unbiased running variance (ones), `[C]`.
    public var runningMean: Tensor, runningVariance: Tensor
    /// Weight of the current batch in the running averages (PyTorch default 0.1).
    public let momentum: Float
    /// Added to the variance before the square root.
    public let epsilon: Float
    private let channels: Int
    private var cached: (input: Tensor, statistics: BatchNormStatistics?)?

    /// Batch norm over `channels` channels.
    public init(channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5, affine: Bool = true, name: String = "bn") {
        self.channels = channels
        gamma = affine ? Parameter(name: name + ".weight", value: Tensor(repeating: 1, shape: [channels])) : nil
        beta = affine ? Parameter(name: name + ".bias", value: Tensor(zeros: [channels])) : nil
        runningMean = Tensor(zeros: [channels])
        runningVariance = Tensor(repeating: 1, shape: [channels])
        self.momentum = momentum
        self.epsilon = epsilon
    }

    private var gammaValue: Tensor { gamma?.value ?? Tensor(repeating: 1, shape: [channels]) }
    private var betaValue: Tensor { beta?.value ?? Tensor(zeros: [channels]) }

    /// Normalises x: [..., C]; in training also updates the running statistics.
    public func forward(_ input: Tensor, training: Bool, context: ComputeContext) -> Tensor {
        if training {
            let (y, stats) = batchNormForwardTraining(input, gamma: gammaValue, beta: betaValue, epsilon: epsilon, context: context)
            batchNormUpdateRunningStatistics(runningMean: &runningMean, runningVariance: &runningVariance,
                                             statistics: stats, momentum: momentum)
            cached = (input, stats)
            return y
        }
        cached = (input, nil)
        return batchNormForwardInference(input, gamma: gammaValue, beta: betaValue, runningMean: runningMean,
                                         runningVariance: runningVariance, epsilon: epsilon, context: context)
    }

    /// Accumulates dgamma/dbeta (if affine) and returns dx, through the batch statistics after a
    /// training forward, through the (constant) running statistics after an eval forward.
    public func backward(_ outputGradient: Tensor, context: ComputeContext) -> Tensor {
        guard let cached else { preconditionFailure("BatchNorm2d.backward before forward") }
        guard let stats = cached.statistics else {
            return batchNormBackwardInference(gamma: gammaValue, runningVariance: runningVariance, epsilon: epsilon,
                                              outputGradient: outputGradient, context: context)
        }
        let g = batchNormBackward(cached.input, gamma: gammaValue, statistics: stats, outputGradient: outputGradient, context: context)
        gamma?.accumulateGradient(g.gamma)
        beta?.accumulateGradient(g.beta)
        return g.input
    }

    /// Gamma then beta when affine, else none.
    public var parameters: [Parameter] { [gamma, beta].compactMap { $0 } }
}
