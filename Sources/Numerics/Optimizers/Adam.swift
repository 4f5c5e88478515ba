import Foundation

/// Adam (Kingma & Ba 2015) as in PyTorch's `torch.optim.Adam`, with optional decoupled weight
/// decay (AdamW): m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
/// p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
public final class Adam {
    /// All knobs in one value; the learning rate is passed per step.
    public struct Options: Sendable, Equatable {
        /// Exponential decay rates of the first and second moment estimates.
        public var beta1: Float, beta2: Float
        /// Added to the denominator for stability.
        public var epsilon: Float
        /// Weight decay: L2 added to the gradient, or (when `decoupled`) p -= lr * wd * p (AdamW).
        public var weightDecay: Float
        /// Use AdamW's decoupled weight decay.
        public var decoupled: Bool

        /// PyTorch defaults.
        public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0, decoupled: Bool = false) {
            self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
            self.weightDecay = weightDecay; self.decoupled = decoupled
        }
    }

    /// Parameters updated by `step`.
    public let parameters: [Parameter]
    /// Hyper-parameters.
    public let options: Options
    /// Number of steps taken so far (t in the bias corrections).
    public private(set) var stepCount = 0
    private var m: [[Float]], v: [[Float]]

    /// An optimiser over `parameters` with zero moment estimates.
    public init(parameters: [Parameter], options: Options = Options()) {
        self.parameters = parameters
        self.options = options
        m = parameters.map { [Float](repeating: 0, count: $0.value.count) }
        v = m
    }

    /// Applies one update from the accumulated gradients (does not zero them).
    public func step(learningRate: Float) {
        step(learningRate: learningRate, context: .serial)
    }

    /// `step(learningRate:)` with the element-wise update spread over `context`'s workers.
    /// Every element is updated by the same arithmetic whatever the split, so the result is
    /// bit-identical for any thread count.
    public func step(learningRate: Float, context: ComputeContext) {
        stepCount += 1
        let o = options
        let c1 = 1 - Float(pow(Double(o.beta1), Double(stepCount)))
        let c2 = 1 - Float(pow(Double(o.beta2), Double(stepCount)))
        for (k, p) in parameters.enumerated() {
            let grad = p.gradient.storage
            // Raw pointers into the moment buffers: indexing m[k][i] on the class's stored
            // arrays paid a dynamic exclusivity check and a uniqueness check per element,
            // which made this loop ~40% of a ReNAS training step (docs/benchmarks.md).
            // Same arithmetic in the same order as before, so the same bits.
            m[k].withUnsafeMutableBufferPointer { mk in
            v[k].withUnsafeMutableBufferPointer { vk in
            grad.withUnsafeBufferPointer { gk in
            p.value.withUnsafeMutablePointer { value in
                let (mp, vp, gp) = (UncheckedSendable(mk.baseAddress!), UncheckedSendable(vk.baseAddress!),
                                    UncheckedSendable(gk.baseAddress!))
                let vp0 = UncheckedSendable(value)
                context.parallelRanges(gk.count, minimumPerWorker: 1 << 15) { range in
                    let (mk, vk, gk, value) = (mp.value, vp.value, gp.value, vp0.value)
                    for i in range {
                        var g = gk[i]
                        if o.decoupled { value[i] -= learningRate * o.weightDecay * value[i] } else { g += o.weightDecay * value[i] }
                        mk[i] = o.beta1 * mk[i] + (1 - o.beta1) * g
                        vk[i] = o.beta2 * vk[i] + (1 - o.beta2) * g * g
                        value[i] -= learningRate * (mk[i] / c1) / ((vk[i] / c2).squareRoot() + o.epsilon)
                    }
                }
            }}}}
        }
    }
}
