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
