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

/// Average pooling, NAS-Bench-201 default 3x3 stride 1 pad 1 with padding excluded from the count;
/// `AvgPool2d(kernel: 2, stride: 2, padding: 0)` is the residual block's shortcut pool.
public final class AvgPool2d: Layer {
    /// Window, stride, padding and whether padded taps count in the divisor.
    public let kernel: Int, stride: Int, padding: Int, countIncludePad: Bool
    private var inputShape: [Int]?
    /// An average pool.
    public init(kernel: Int = 3, stride: Int = 1, padding: Int = 1, countIncludePad: Bool = false) {
        self.kernel = kernel; self.stride = stride; self.padding = padding; self.countIncludePad = countIncludePad
    }
    /// x: [N, H, W, C] -> [N, OH, OW, C].
    public func forward(_ input: Tensor, training: Bool, context: ComputeContext) -> Tensor {
        inputShape = input.shape
        return avgPool2dForward(input, kernel: kernel, stride: stride, padding: padding, countIncludePad: countIncludePad, context: context)
    }
    /// Spreads each output gradient over its window.
    public func backward(_ outputGradient: Tensor, context: ComputeContext) -> Tensor {
        guard let inputShape else { preconditionFailure("AvgPool2d.backward before forward") }
        return avgPool2dBackward(outputGradient: outputGradient, inputShape: inputShape, kernel: kernel, stride: stride,
                                 padding: padding, countIncludePad: countIncludePad, context: context)
    }
}

/// Max pooling (3x3 stride 1 pad 1 in NAS-Bench-101 cells, 2x2 stride 2 for downsampling).
public final class MaxPool2d: Layer {
    /// Window, stride and padding.
    public let kernel: Int, stride: Int, padding: Int
    private var cached: (shape: [Int], argmax: [Int32])?
    /// A max pool.
    public init(kernel: Int, stride: Int, padding: Int) {
        self.kernel = kernel; self.stride = stride; self.padding = padding
    }
    /// x: [N, H, W, C] -> [N, OH, OW, C].
    public func forward(_ input: Tensor, training: Bool, context: ComputeContext) -> Tensor {
        let (y, argmax) = maxPool2dForward(input, kernel: kernel, stride: stride, padding: padding, context: context)
        cached = (input.shape, argmax)
        return y
    }
    /// Routes each output gradient to its window's maximum.
    public func backward(_ outputGradient: Tensor, context: ComputeContext) -> Tensor {
        guard let cached else { preconditionFailure("MaxPool2d.backward before forward") }
        return maxPool2dBackward(outputGradient: outputGradient, argmax: cached.argmax, inputShape: cached.shape, context: context)
    }
}

/// Global average pooling, [N, H, W, C] -> [N, C].
public final class GlobalAvgPool: Layer {
    private var inputShape: [Int]?
    /// A global average pool.
    public init() {}
    /// Mean over H and W.
    public func forward(_ input: Tensor, training: Bool, context: ComputeContext) -> Tensor {
        inputShape = input.shape
        return globalAvgPoolForward(input, context: context)
    }
    /// Broadcasts dy / (H*W).
    public func backward(_ outputGradient: Tensor, context: ComputeContext) -> Tensor {
        guard let inputShape else { preconditionFailure("GlobalAvgPool.backward before forward") }
        return globalAvgPoolBackward(outputGradient: outputGradient, inputShape: inputShape, context: context)
    }
}

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
