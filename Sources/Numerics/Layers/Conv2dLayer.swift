/// 2-D convolution layer over NHWC input with an HWIO weight `[k, k, Cin, Cout]`.
/// Bias is optional and off by default because a BatchNorm follows every convolution here.
public final class Conv2d: Layer {
    /// Weight `[k, k, Cin, Cout]`, Kaiming-normal with fan-in `k * k * Cin`.
    public let weight: Parameter
    /// Optional bias `[Cout]`, zero-initialised.
    public let bias: Parameter?
    /// Stride and zero padding.
    public let stride: Int, padding: Int
    /// Set to false for a network's first layer to skip computing dL/dinput (nobody needs it).
    public var computesInputGradient = true
    private var cachedInput: Tensor?

    /// A `kernelSize` x `kernelSize` convolution from `inChannels` to `outChannels`.
    public init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = false, name: String = "conv", generator: inout SplitMix64) {
        weight = Parameter(name: name + ".weight",
                           value: kaimingNormal(shape: [kernelSize, kernelSize, inChannels, outChannels],
                                                fanIn: kernelSize * kernelSize * inChannels, generator: &generator))
        self.bias = bias ? Parameter(name: name + ".bias", value: Tensor(zeros: [outChannels])) : nil
        self.stride = stride
        self.padding = padding
    }

    /// y = conv(x, w) (+ b). x: [N, H, W, Cin] -> [N, OH, OW, Cout].
    public func forward(_ input: Tensor, training: Bool, context: ComputeContext) -> Tensor {
        cachedInput = input
        return conv2dForward(input, weight: weight.value, bias: bias?.value, stride: stride, padding: padding, context: context)
    }

    /// Accumulates dw (and db) and returns dx (zeros of the input shape when `computesInputGradient` is false).
    public func backward(_ outputGradient: Tensor, context: ComputeContext) -> Tensor {
        guard let x = cachedInput else { preconditionFailure("Conv2d.backward before forward") }
        let g = conv2dBackward(x, weight: weight.value, outputGradient: outputGradient, stride: stride, padding: padding,
                               hasBias: bias != nil, computeInputGradient: computesInputGradient, context: context)
        weight.accumulateGradient(g.weight)
        if let bias, let db = g.bias { bias.accumulateGradient(db) }
        return g.input ?? Tensor(zeros: x.shape)
    }

    /// Weight, then bias if present.
    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }
}
