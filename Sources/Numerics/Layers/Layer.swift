/// A differentiable building block that only calls kernels.
///
/// Layers are objects that cache what their backward pass needs during `forward`, so each layer
/// instance must appear once per forward pass and `backward` must follow the matching `forward`.
/// DAG-shaped models (NAS-Bench-201 cells sum several edges into a node) are written as plain
/// code: call `forward` on each edge, combine with `add`, and on the way back hand the same
/// output gradient to every summed edge and combine input gradients with `accumulate`.
public protocol Layer: AnyObject {
    /// Computes the output; `training` selects batch statistics (BatchNorm) and enables caching
    /// for `backward`.
    func forward(_ input: Tensor, training: Bool, context: ComputeContext) -> Tensor
    /// Given dL/doutput of the last `forward`, adds parameter gradients into `Parameter.gradient`
    /// and returns dL/dinput.
    func backward(_ outputGradient: Tensor, context: ComputeContext) -> Tensor
    /// Trainable parameters, in a stable order.
    var parameters: [Parameter] { get }
}

extension Layer {
    /// Default: no trainable parameters.
    public var parameters: [Parameter] { [] }
}

/// A chain of layers run in order (e.g. NAS-Bench-201's ReLU -> Conv -> BN).
public final class Sequential: Layer {
    /// The layers, applied first to last.
    public let layers: [any Layer]

    /// A chain of `layers`.
    public init(_ layers: [any Layer]) {
        self.layers = layers
    }

    /// Applies every layer in order.
    public func forward(_ input: Tensor, training: Bool, context: ComputeContext) -> Tensor {
        layers.reduce(input) { $1.forward($0, training: training, context: context) }
    }

    /// Back-propagates through the layers in reverse order.
    public func backward(_ outputGradient: Tensor, context: ComputeContext) -> Tensor {
        layers.reversed().reduce(outputGradient) { $1.backward($0, context: context) }
    }

    /// All layers' parameters, in layer order.
    public var parameters: [Parameter] { layers.flatMap { $0.parameters } }
}

/// Kaiming-normal initialisation (He et al. 2015, fan-in mode, ReLU gain):
/// N(0, 2 / fanIn) samples drawn from `generator`.
public func kaimingNormal(shape: [Int], fanIn: Int, generator: inout SplitMix64) -> Tensor {
    let std = (2 / Float(Swift.max(1, fanIn))).squareRoot()
    return Tensor.randomNormal(shape: shape, standardDeviation: std, generator: &generator)
}
