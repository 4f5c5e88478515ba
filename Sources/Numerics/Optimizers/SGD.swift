/// Stochastic gradient descent with momentum, optional Nesterov momentum and L2 weight decay,
/// following PyTorch's `torch.optim.SGD` (dampening 0):
/// g = grad + wd * p; v = mu * v + g; p -= lr * (nesterov ? g + mu * v : v).
public final class SGD {
    /// All knobs in one value; the learning rate is passed per step (it follows a schedule).
    public struct Options: Sendable, Equatable {
        /// Momentum factor mu (0 disables momentum).
        public var momentum: Float
        /// Use Nesterov momentum.
        public var nesterov: Bool
        /// L2 penalty added to the gradient.
        public var weightDecay: Float

        /// NAS-Bench-201's setting is momentum 0.9, Nesterov, weight decay 5e-4.
        public init(momentum: Float = 0.9, nesterov: Bool = false, weightDecay: Float = 0) {
            self.momentum = momentum
            self.nesterov = nesterov
            self.weightDecay = weightDecay
        }
    }

    /// Parameters updated by `step`.
    public let parameters: [Parameter]
    /// Hyper-parameters.
    public let options: Options
    private var velocity: [[Float]]

    /// An optimiser over `parameters` with zero initial velocity.
    public init(parameters: [Parameter], options: Options = Options()) {
        self.parameters = parameters
        self.options = options
        velocity = parameters.map { [Float](repeating: 0, count: $0.value.count) }
    }

    /// Applies one update from the accumulated gradients (does not zero them).
    public func step(learningRate: Float) {
        let (mu, wd) = (options.momentum, options.weightDecay)
        for (k, p) in parameters.enumerated() {
            let grad = p.gradient.storage
            p.value.withUnsafeMutablePointer { value in
                velocity[k].withUnsafeMutableBufferPointer { v in
                    for i in 0..<grad.count {
                        let g = grad[i] + wd * value[i]
                        if mu == 0 { value[i] -= learningRate * g; continue }
                        v[i] = mu * v[i] + g
                        value[i] -= learningRate * (options.nesterov ? g + mu * v[i] : v[i])
                    }
                }
            }
        }
    }
}
