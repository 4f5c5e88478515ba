/// Several conv → batch-norm branches that read the same input, run as one convolution whose
/// output channels are the branches' side by side and one batch norm over all of them.
/// x: [N, H, W, Cin] -> y: [N, OH, OW, sum Cout_i], branch i's channels at offset
/// `channelOffsets[i]`.
///
/// Why: in a NAS-Bench-201 cell every edge leaving a node reads that node, so the k conv edges of
/// one kernel size that leave it are one convolution with k*C output channels. That is one im2col
/// instead of k and GEMMs with n = k*C instead of k GEMMs with n = C, on which OpenBLAS's
/// micro-kernels run 1.2-1.3x faster per FLOP at C = 16 (docs/numerics.md, "Fused convolution
/// edges"). Batch norm is per channel, so one BN over k*C channels is exactly k BNs over C.
///
/// The branches keep their own `Conv2d` and `BatchNorm2d` objects, which only hold parameters
/// and running statistics here (their `forward`/`backward` are not called): parameter names,
/// order, initialisation and any code that reads a branch's weights are those of unfused edges.
/// Weights and BN coefficients are gathered into the fused tensors on every forward (a few
/// thousand floats, against the activations' millions) and gradients scattered back, so an
/// optimiser or a finite-difference probe that changes a branch's `Parameter.value` is seen.
public final class FusedConvBatchNormBranches: Layer {
    /// The branches' convolutions (stride 1, no bias, equal kernel size, padding and Cin).
    public let convolutions: [Conv2d]
    /// The branches' batch norms (affine, equal momentum and epsilon), one per convolution.
    public let batchNorms: [BatchNorm2d]
    /// First output channel of each branch in the fused output.
    public let channelOffsets: [Int]
    /// Output channels of each branch.
    public let channelCounts: [Int]
    private let padding: Int
    private var cached: (input: Tensor, rectified: Bool, convOutput: Tensor, weight: Tensor, gamma: Tensor,
                         statistics: BatchNormStatistics?)?

    /// Fuses `branches`, each a convolution followed by a batch norm over its output channels.
    /// Mismatched branches are programming errors (preconditions), not user input.
    public init(branches: [(convolution: Conv2d, batchNorm: BatchNorm2d)]) {
        precondition(!branches.isEmpty, "FusedConvBatchNormBranches needs at least one branch")
        let first = branches[0].convolution
        let shape = first.weight.value.shape
        for (conv, bn) in branches {
            let w = conv.weight.value.shape
            precondition(conv.stride == 1 && conv.bias == nil && conv.padding == first.padding
                         && w[0] == shape[0] && w[1] == shape[1] && w[2] == shape[2],
                         "fused branches need stride-1, bias-free convolutions of one kernel shape and Cin")
            precondition(bn.gamma != nil && bn.beta != nil && bn.momentum == branches[0].batchNorm.momentum
                         && bn.epsilon == branches[0].batchNorm.epsilon && bn.runningMean.count == w[3],
                         "fused branches need affine batch norms over each convolution's outputs with equal settings")
        }
        convolutions = branches.map(\.convolution)
        batchNorms = branches.map(\.batchNorm)
        let counts = branches.map { $0.convolution.weight.value.shape[3] }
        channelCounts = counts
        channelOffsets = counts.indices.map { i in counts[..<i].reduce(0, +) }
        padding = first.padding
    }

    private var epsilon: Float { batchNorms[0].epsilon }

    /// x: [N, H, W, Cin] -> [N, OH, OW, sum Cout_i]: convolution, then batch norm with batch
    /// statistics (training; also updates each branch's running statistics) or running statistics.
    public func forward(_ input: Tensor, training: Bool, context: ComputeContext) -> Tensor {
        let (y, affine) = forwardBeforeNormalisation(input, training: training, context: context)
        var out: Tensor?
        accumulateChannelSlice(&out, from: y, offset: 0, width: channelOffsets.last! + channelCounts.last!,
                               affine: affine, context: context)
        return out!
    }

    /// `forward` up to the batch norm's affine map: returns the convolution output
    /// [N, OH, OW, sum Cout_i] and the per-channel map the batch norm applies to it (batch
    /// statistics in training, which also updates the running statistics; running statistics
    /// otherwise), so a caller can apply it while adding each branch's block into its
    /// destination (`accumulateChannelSlice`). `backward` works after either entry point.
    ///
    /// With `rectifyingInput` the branches read ReLU(input) (an NB201 edge's ReLU → conv → BN);
    /// where `rectifiesOnLoad(inputShape:)` holds, the convolution kernels apply it as they copy
    /// the input, so no ReLU tensor is made, else `reluForward` runs first. The bits are those of
    /// passing `reluForward(input)` without it, and `backward` then returns dL/dReLU(input).
    public func forwardBeforeNormalisation(_ input: Tensor, rectifyingInput: Bool = false, training: Bool,
                                           context: ComputeContext) -> (convolution: Tensor, affine: ChannelAffine) {
        let weight = concatenateChannels(convolutions.map(\.weight.value), context: .serial)
        let gamma = concatenateChannels(batchNorms.map { $0.gamma!.value }, context: .serial)
        let beta = concatenateChannels(batchNorms.map { $0.beta!.value }, context: .serial)
        guard training else {
            let y = conv2dForward(input, weight: weight, padding: padding, rectifiesInput: rectifyingInput, context: context)
            cached = (input, rectifyingInput, y, weight, gamma, nil)
            let (scale, shift) = batchNormInferenceCoefficients(
                gamma: gamma, beta: beta,
                runningMean: concatenateChannels(batchNorms.map(\.runningMean), context: .serial),
                runningVariance: concatenateChannels(batchNorms.map(\.runningVariance), context: .serial), epsilon: epsilon)
            return (y, ChannelAffine(scale: scale, shift: shift))
        }
        // The statistics are taken while the convolution's output blocks are still in cache.
        let (y, stats) = conv2dForwardWithBatchNormStatistics(input, weight: weight, padding: padding,
                                                              rectifiesInput: rectifyingInput, epsilon: epsilon,
                                                              context: context)
        for (i, bn) in batchNorms.enumerated() {
            let channels = channelOffsets[i] ..< channelOffsets[i] + channelCounts[i]
            let branch = BatchNormStatistics(mean: Array(stats.mean[channels]), variance: Array(stats.variance[channels]),
                                             inverseStandardDeviation: Array(stats.inverseStandardDeviation[channels]),
                                             count: stats.count)
            batchNormUpdateRunningStatistics(runningMean: &bn.runningMean, runningVariance: &bn.runningVariance,
                                             statistics: branch, momentum: bn.momentum)
        }
        cached = (input, rectifyingInput, y, weight, gamma, stats)
        let (scale, shift) = batchNormAffineCoefficients(gamma: gamma, beta: beta, statistics: stats)
        return (y, ChannelAffine(scale: scale, shift: shift))
    }

    /// Whether, for input of `inputShape`, `forwardBeforeNormalisation(_:rectifyingInput: true, ...)`
    /// and its `backward` apply the ReLU inside the convolution kernels (the direct 3x3 forward and
    /// the fused direct backward both run), i.e. need no ReLU tensor. Shapes only.
    public func rectifiesOnLoad(inputShape: [Int]) -> Bool {
        let weight = [convolutions[0].weight.value.shape[0], convolutions[0].weight.value.shape[1],
                      convolutions[0].weight.value.shape[2], channelCounts.reduce(0, +)]
        guard inputShape.count == 4 && inputShape[3] == weight[2] else { return false }
        return usesDirect3x3(Conv2dGeometry(input: inputShape, weight: weight, stride: 1, padding: padding))
            && usesDirect3x3BackwardThroughBatchNorm(input: inputShape, weight: weight, stride: 1, padding: padding)
    }

    /// dL/dy: [N, OH, OW, sum Cout_i] -> dL/dx; accumulates every branch's weight, gamma and beta
    /// gradients. Through the batch statistics after a training forward, through the running
    /// statistics after an evaluation forward.
    public func backward(_ outputGradient: Tensor, context: ComputeContext) -> Tensor {
        backward(outputGradientBlocks: [outputGradient], context: context)
    }

    /// `backward` with dL/dy given as consecutive channel blocks that tile the output channels
    /// (e.g. one per branch, each from the node that branch feeds): the batch-norm backward reads
    /// them in place instead of a concatenated copy.
    public func backward(outputGradientBlocks blocks: [Tensor], context: ComputeContext) -> Tensor {
        guard var cached else { preconditionFailure("FusedConvBatchNormBranches.backward before forward") }
        // One backward per forward (see `Layer`): dropping the cache here frees the convolution
        // output (and, once the caller drops it too, the input) as soon as the gradient has
        // passed, so later layers' backward temporaries reuse that memory instead of adding to
        // the peak (config (a): docs/benchmarks.md, "Training", session 4).
        self.cached = nil
        // Cout = k*Cin: the input-im2col backward has the wider GEMMs (see Conv2dBackwardMethod).
        let method: Conv2dBackwardMethod = convolutions.count > 1 ? .inputIm2col : .automatic
        let g: Conv2dGradients
        if let stats = cached.statistics {
            // The convolution output is ours alone now: the kernel may overwrite it with dConv
            // instead of filling a second buffer of its size (or, for direct 3x3 shapes, apply the
            // batch norm's dx per image inside the convolution backward and never form dConv).
            var convOutput = cached.convOutput
            cached.convOutput = Tensor(shape: [0], storage: [])
            let r = conv2dBackwardThroughBatchNorm(cached.input, weight: cached.weight, padding: padding,
                                                   rectifiesInput: cached.rectified, convOutput: &convOutput, gamma: cached.gamma, statistics: stats,
                                                   outputGradientBlocks: blocks, method: method, context: context)
            g = r.convolution
            for (bn, (dGamma, dBeta)) in zip(batchNorms, zip(splitChannels(r.gamma, sizes: channelCounts, context: .serial),
                                                              splitChannels(r.beta, sizes: channelCounts, context: .serial))) {
                bn.gamma!.accumulateGradient(dGamma)
                bn.beta!.accumulateGradient(dBeta)
            }
        } else {
            let dConv = batchNormBackwardInference(
                gamma: cached.gamma, runningVariance: concatenateChannels(batchNorms.map(\.runningVariance), context: .serial),
                epsilon: epsilon,
                outputGradient: blocks.count == 1 ? blocks[0] : concatenateChannels(blocks, context: context), context: context)
            let input = cached.rectified ? reluForward(cached.input, context: context) : cached.input
            g = conv2dBackward(input, weight: cached.weight, outputGradient: dConv, stride: 1, padding: padding,
                               method: method, context: context)
        }
        for (conv, dW) in zip(convolutions, splitChannels(g.weight, sizes: channelCounts, context: .serial)) {
            conv.weight.accumulateGradient(dW)
        }
        return g.input!
    }

    /// Each branch's convolution weight, then its batch norm's gamma and beta, in branch order
    /// (the order of `Sequential([conv, bn])` per branch).
    public var parameters: [Parameter] {
        zip(convolutions, batchNorms).flatMap { [$0.weight] + $1.parameters }
    }
}
