import Foundation

/// The ReNAS pairwise logistic ranking loss over a batch.
///
/// For outputs o and labels y of a batch,
///
///     L = (1/P) Σ_{i≠j, yᵢ≠yⱼ} log(1 + exp(−(oᵢ − oⱼ)·sign(yᵢ − yⱼ)))
///
/// over ordered pairs, P their number. Pairs with equal labels are skipped:
/// they say nothing about the order, and including them (sign 0) would only
/// add the constant log 2 per pair and dilute the mean. The term is symmetric
/// in (i, j), so the kernel visits each unordered pair once and counts it
/// twice. Returns (0, zeros) when no pair has distinct labels.
///
/// Shapes: outputs [n], labels [n] → (loss, dL/do [n]).
public func pairwiseLogisticLoss(outputs o: [Double], labels y: [Double]) -> (loss: Double, gradient: [Double]) {
    precondition(o.count == y.count, "pairwiseLogisticLoss: \(o.count) outputs for \(y.count) labels")
    let n = o.count
    var loss = 0.0
    var gradient = [Double](repeating: 0, count: n)
    var pairs = 0
    for i in 0..<n {
        for j in (i + 1)..<max(i + 1, n) where y[i] != y[j] {
            let s: Double = y[i] > y[j] ? 1 : -1
            let margin = (o[i] - o[j]) * s
            loss += 2 * softplus(-margin)
            // d softplus(−m)/dm = −σ(−m); m depends on oᵢ with +s, on oⱼ with −s.
            let g = 2 * -sigmoid(-margin) * s
            gradient[i] += g
            gradient[j] -= g
            pairs += 2
        }
    }
    guard pairs > 0 else { return (0, gradient) }
    let scale = 1 / Double(pairs)
    return (loss * scale, gradient.map { $0 * scale })
}

/// Naive reference of `pairwiseLogisticLoss`, kept for tests: the literal
/// double loop over ordered pairs, loss only (gradients are checked by finite
/// differences of this function).
public func pairwiseLogisticLossReference(outputs o: [Double], labels y: [Double]) -> Double {
    var total = 0.0, pairs = 0
    for i in o.indices {
        for j in o.indices where i != j && y[i] != y[j] {
            let sign: Double = y[i] > y[j] ? 1 : -1
            total += Foundation.log(1 + Foundation.exp(-(o[i] - o[j]) * sign))
            pairs += 1
        }
    }
    return pairs == 0 ? 0 : total / Double(pairs)
}

/// log(1 + eˣ) without overflow for large x.
func softplus(_ x: Double) -> Double {
    x > 0 ? x + Foundation.log1p(Foundation.exp(-x)) : Foundation.log1p(Foundation.exp(x))
}

/// 1 / (1 + e⁻ˣ) without overflow for large |x|.
func sigmoid(_ x: Double) -> Double {
    if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
    let e = Foundation.exp(x)
    return e / (1 + e)
}

/// Mean squared error of `outputs` against `targets` and its gradient,
/// the element-wise loss of the "renas-mse" variant.
///
/// Shapes: outputs [n], targets [n] → (loss, dL/do [n]).
public func meanSquaredError(outputs o: [Double], targets t: [Double]) -> (loss: Double, gradient: [Double]) {
    precondition(o.count == t.count && !o.isEmpty, "meanSquaredError: \(o.count) outputs for \(t.count) targets")
    let n = Double(o.count)
    var loss = 0.0
    var gradient = [Double](repeating: 0, count: o.count)
    for i in o.indices {
        let r = o[i] - t[i]
        loss += r * r
        gradient[i] = 2 * r / n
    }
    return (loss / n, gradient)
}
