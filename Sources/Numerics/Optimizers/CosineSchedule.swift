import Foundation

/// Cosine learning-rate decay with linear warm-up, as a pure function of the step index.
///
/// Steps `0..<warmupSteps` ramp linearly: lr = base * (step + 1) / warmupSteps (so the last
/// warm-up step reaches `base`); afterwards lr = min + (base - min) * (1 + cos(pi * t)) / 2 with
/// t = (step - warmupSteps) / (totalSteps - warmupSteps), clamped to [0, 1], reaching `minimum`
/// at `totalSteps`.
public struct CosineSchedule: Sendable, Equatable {
    /// Peak learning rate, reached at the end of warm-up.
    public var base: Float
    /// Final learning rate.
    public var minimum: Float
    /// Length of the linear warm-up (0 for none).
    public var warmupSteps: Int
    /// Step at which the cosine reaches `minimum`.
    public var totalSteps: Int

    /// A schedule; `totalSteps` must exceed `warmupSteps`.
    public init(base: Float, minimum: Float = 0, warmupSteps: Int = 0, totalSteps: Int) {
        precondition(totalSteps > warmupSteps && warmupSteps >= 0, "cosine schedule needs totalSteps > warmupSteps >= 0")
        self.base = base; self.minimum = minimum; self.warmupSteps = warmupSteps; self.totalSteps = totalSteps
    }

    /// Learning rate for step `step` (0-based).
    public func learningRate(at step: Int) -> Float {
        if step < warmupSteps { return base * Float(step + 1) / Float(warmupSteps) }
        let t = Swift.min(1, Swift.max(0, Double(step - warmupSteps) / Double(totalSteps - warmupSteps)))
        return minimum + (base - minimum) * Float((1 + cos(Double.pi * t)) / 2)
    }
}
