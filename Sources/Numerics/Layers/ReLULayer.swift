/// Rectified linear unit, y = max(x, 0).
public final class ReLU: Layer {
    private var cachedInput: Tensor?
    /// A ReLU.
    public init() {}
    /// y = max(x, 0).
    public func forward(_ input: Tensor, training: Bool, context: ComputeContext) -> Tensor {
        cachedInput = input
        return reluForward(input, context: context)
    }
    /// dx = dy where x > 0.
    public func backward(_ outputGradient: Tensor, context: ComputeContext) -> Tensor {
        guard let x = cachedInput else { preconditionFailure("ReLU.backward before forward") }
        return reluBackward(x, outputGradient: outputGradient, context: context)
    }
}

/// The identity ("skip_connect" at stride 1): passes values and gradients through unchanged.
public final class Identity: Layer {
    /// An identity.
    public init() {}
    /// Returns the input.
    public func forward(_ input: Tensor, training: Bool, context: ComputeContext) -> Tensor { input }
    /// Returns the output gradient.
    public func backward(_ outputGradient: Tensor, context: ComputeContext) -> Tensor { outputGradient }
}

/// NAS-Bench-201's "none" operation at stride 1: outputs zeros, so no gradient flows back.
public final class Zero: Layer {
    private var inputShape: [Int]?
    /// A zero operation.
    public init() {}
    /// Zeros of the input's shape.
    public func forward(_ input: Tensor, training: Bool, context: ComputeContext) -> Tensor {
        inputShape = input.shape
        return Tensor(zeros: input.shape)
    }
    /// Zeros of the input's shape.
    public func backward(_ outputGradient: Tensor, context: ComputeContext) -> Tensor {
        guard let inputShape else { preconditionFailure("Zero.backward before forward") }
        return Tensor(zeros: inputShape)
    }
}
