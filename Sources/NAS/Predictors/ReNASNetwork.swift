import Numerics

/// The ReNAS predictor network (Xu et al., CVPR 2021) on Numerics layers:
/// conv3×3 C→38 + BN + ReLU, conv3×3 38→128 + BN + ReLU (both `same`
/// padding, so the S×S grid is kept), flatten, FC → 120 → ReLU → 84 → ReLU → 1.
///
/// Layers are objects that cache activations, so a network instance is a
/// short-lived working copy; `ReNASWeights` is the Sendable value that a
/// fitted predictor keeps.
final class ReNASNetwork {
    let channels: Int, side: Int
    let conv1: Conv2d, bn1: BatchNorm2d, relu1 = ReLU()
    let conv2: Conv2d, bn2: BatchNorm2d, relu2 = ReLU()
    let fc1: Linear, relu3 = ReLU(), fc2: Linear, relu4 = ReLU(), fc3: Linear

    /// A freshly initialised network for `channels`×`side`×`side` inputs.
    init(channels: Int, side: Int, generator: inout SplitMix64) {
        self.channels = channels
        self.side = side
        conv1 = Conv2d(inChannels: channels, outChannels: 38, kernelSize: 3, padding: 1, name: "conv1", generator: &generator)
        conv1.computesInputGradient = false
        bn1 = BatchNorm2d(channels: 38, name: "bn1")
        conv2 = Conv2d(inChannels: 38, outChannels: 128, kernelSize: 3, padding: 1, name: "conv2", generator: &generator)
        bn2 = BatchNorm2d(channels: 128, name: "bn2")
        fc1 = Linear(inFeatures: 128 * side * side, outFeatures: 120, name: "fc1", generator: &generator)
        fc2 = Linear(inFeatures: 120, outFeatures: 84, name: "fc2", generator: &generator)
        fc3 = Linear(inFeatures: 84, outFeatures: 1, name: "fc3", generator: &generator)
    }

    /// Trainable parameters in a fixed order.
    var parameters: [Parameter] {
        let layers: [any Layer] = [conv1, bn1, conv2, bn2, fc1, fc2, fc3]
        return layers.flatMap { $0.parameters }
    }

    /// x: [N, S, S, C] → scores [N, 1].
    func forward(_ x: Tensor, training: Bool, context: ComputeContext) -> Tensor {
        let n = x.shape[0]
        var h = conv1.forward(x, training: training, context: context)
        h = relu1.forward(bn1.forward(h, training: training, context: context), training: training, context: context)
        h = conv2.forward(h, training: training, context: context)
        h = relu2.forward(bn2.forward(h, training: training, context: context), training: training, context: context)
        h = h.reshaped([n, 128 * side * side])
        h = relu3.forward(fc1.forward(h, training: training, context: context), training: training, context: context)
        h = relu4.forward(fc2.forward(h, training: training, context: context), training: training, context: context)
        return fc3.forward(h, training: training, context: context)
    }

    /// Back-propagates dL/dscores [N, 1], accumulating parameter gradients.
    func backward(_ dy: Tensor, context: ComputeContext) {
        var g = fc3.backward(dy, context: context)
        g = fc2.backward(relu4.backward(g, context: context), context: context)
        g = fc1.backward(relu3.backward(g, context: context), context: context)
        g = g.reshaped([g.shape[0], side, side, 128])
        g = conv2.backward(bn2.backward(relu2.backward(g, context: context), context: context), context: context)
        _ = conv1.backward(bn1.backward(relu1.backward(g, context: context), context: context), context: context)
    }

    /// The trained state as a value.
    var weights: ReNASWeights {
        ReNASWeights(parameters: parameters.map(\.value),
                     runningStatistics: [bn1.runningMean, bn1.runningVariance, bn2.runningMean, bn2.runningVariance])
    }

    /// Overwrites parameters and batch-norm statistics with `weights`.
    func load(_ weights: ReNASWeights) {
        for (parameter, value) in zip(parameters, weights.parameters) { parameter.value = value }
        bn1.runningMean = weights.runningStatistics[0]
        bn1.runningVariance = weights.runningStatistics[1]
        bn2.runningMean = weights.runningStatistics[2]
        bn2.runningVariance = weights.runningStatistics[3]
    }
}

/// Parameters and batch-norm running statistics of a trained `ReNASNetwork`.
public struct ReNASWeights: Sendable, Equatable {
    /// Parameter values in `ReNASNetwork.parameters` order.
    public let parameters: [Tensor]
    /// Running mean and variance of bn1, then bn2.
    public let runningStatistics: [Tensor]

    /// The network in evaluation mode as `sequentialInference` steps: each batch
    /// norm (running statistics, ε = 10⁻⁵ as in `BatchNorm2d`) folded into the
    /// convolution before it, w'[…, c] = w[…, c]·s[c], b'[c] = β[c] − μ[c]·s[c]
    /// with s = γ / √(σ² + ε). Equal to the layer path up to float rounding.
    public var inferenceSteps: [InferenceStep] {
        let p = parameters, r = runningStatistics
        func folded(_ weight: Tensor, gamma: Tensor, beta: Tensor, mean: Tensor, variance: Tensor) -> (Tensor, Tensor) {
            let channels = gamma.count
            let scale = (0..<channels).map { Double(gamma.storage[$0]) / (Double(variance.storage[$0]) + 1e-5).squareRoot() }
            var w = weight
            for i in 0..<w.count { w.storage[i] = Float(Double(w.storage[i]) * scale[i % channels]) }
            let b = (0..<channels).map { Float(Double(beta.storage[$0]) - Double(mean.storage[$0]) * scale[$0]) }
            return (w, Tensor(shape: [channels], storage: b))
        }
        let (w1, b1) = folded(p[0], gamma: p[1], beta: p[2], mean: r[0], variance: r[1])
        let (w2, b2) = folded(p[3], gamma: p[4], beta: p[5], mean: r[2], variance: r[3])
        return [
            .convolution(weight: w1, bias: b1, padding: 1, relu: true),
            .convolution(weight: w2, bias: b2, padding: 1, relu: true),
            .dense(weight: p[6], bias: p[7], relu: true),
            .dense(weight: p[8], bias: p[9], relu: true),
            .dense(weight: p[10], bias: p[11], relu: false),
        ]
    }

    /// Weights from tensors in `ReNASPredictor.tensorShapes` order.
    public init(parameters: [Tensor], runningStatistics: [Tensor]) {
        self.parameters = parameters
        self.runningStatistics = runningStatistics
    }
}
