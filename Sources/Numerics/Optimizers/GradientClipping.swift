/// Scales all gradients so their joint L2 norm is at most `maxNorm` (PyTorch's
/// `clip_grad_norm_`, used by NAS-Bench-201's trainer with maxNorm 5) and returns the norm
/// before clipping. The norm is summed in Double in parameter order, so it is deterministic.
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    var squares = 0.0
    for p in parameters { for g in p.gradient.storage { squares += Double(g) * Double(g) } }
    let norm = Float(squares.squareRoot())
    let scale = maxNorm / (norm + 1e-6)
    if scale < 1 {
        for p in parameters {
            for i in 0..<p.gradient.count { p.gradient.storage[i] *= scale }
        }
    }
    return norm
}
