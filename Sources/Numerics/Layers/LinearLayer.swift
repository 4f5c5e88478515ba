/// Fully connected layer with PyTorch's `[Out, In]` weight and a bias.
public final class Linear: Layer {
    /// Weight `[Out, In]` (Kaiming-normal, fan-in `In`) and bias `[Out]` (zeros) if enabled.
    public let weight: Parameter, bias: Parameter?
    private var cachedInput: Tensor?
    /// A linear map from `inFeatures` to `outFeatures`.
    public init(inFeatures: Int, outFeatures: Int, bias: Bool = true, name: String = "linear", generator: inout SplitMix64) {
        weight = Parameter(name: name + ".weight",
                           value: kaimingNormal(shape: [outFeatures, inFeatures], fanIn: inFeatures, generator: &generator))
        self.bias = bias ? Parameter(name: name + ".bias", value: Tensor(zeros: [outFeatures])) : nil
    }
    /// x: [N, In] -> [N, Out].
    public func forward(_ input: Tensor, training: Bool, context: ComputeContext) -> Tensor {
        cachedInput = input
        return linearForward(input, weight: weight.value, bias: bias?.value, context: context)
    }
    /// Accumulates dw, db; returns dx.
    public func backward(_ outputGradient: Tensor, context: ComputeContext) -> Tensor {
        guard let x = cachedInput else { preconditionFailure("Linear.backward before forward") }
        let g = linearBackward(x, weight: weight.value, outputGradient: outputGradient, context: context)
        weight.accumulateGradient(g.weight)
        bias?.accumulateGradient(g.bias)
        return g.input
    }
    /// Weight, then bias if present.
    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }
}
