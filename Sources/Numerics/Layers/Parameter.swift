/// A trainable tensor and its accumulated gradient.
///
/// A reference type so that a layer, an optimiser and a model's parameter list all see the same
/// storage; backward passes *add* into `gradient`, so a parameter used on several DAG edges (or
/// over several micro-batches) accumulates naturally until `zeroGradient()`.
public final class Parameter {
    /// Human-readable name, e.g. "conv.weight" (used for checkpoints and debugging).
    public let name: String
    /// Current value.
    public var value: Tensor
    /// Sum of gradients since the last `zeroGradient()`; same shape as `value`.
    public var gradient: Tensor

    /// A parameter starting at `value` with a zero gradient.
    public init(name: String, value: Tensor) {
        self.name = name
        self.value = value
        self.gradient = Tensor(zeros: value.shape)
    }

    /// Resets the gradient to zero.
    public func zeroGradient() {
        gradient = Tensor(zeros: value.shape)
    }

    /// Adds `delta` (same shape) to the gradient.
    public func accumulateGradient(_ delta: Tensor) {
        precondition(delta.shape == value.shape, "gradient shape \(delta.shape) for parameter \(name) \(value.shape)")
        for i in 0..<delta.count { gradient.storage[i] += delta.storage[i] }
    }
}

extension Array where Element == Parameter {
    /// Zeroes every parameter's gradient.
    public func zeroGradients() { forEach { $0.zeroGradient() } }

    /// Total number of scalar parameters.
    public var scalarCount: Int { reduce(0) { $0 + $1.value.count } }
}
