/// Naive reference for `batchNormForwardTraining`: per channel, statistics and output in Double.
/// x: [..., C], gamma, beta: [C] -> y, mean, biased variance.
public func batchNormForwardTrainingReference(_ x: Tensor, gamma: Tensor, beta: Tensor,
                                              epsilon: Float = 1e-5) -> (output: Tensor, mean: [Float], variance: [Float]) {
    let channels = gamma.count, rows = x.count / channels
    var y = x, means = [Float](), variances = [Float]()
    for c in 0..<channels {
        let column = (0..<rows).map { Double(x.storage[$0 * channels + c]) }
        let mean = column.reduce(0, +) / Double(rows)
        let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(rows)
        let istd = 1 / (variance + Double(epsilon)).squareRoot()
        for r in 0..<rows {
            y.storage[r * channels + c] = Float((column[r] - mean) * istd * Double(gamma.storage[c]) + Double(beta.storage[c]))
        }
        means.append(Float(mean)); variances.append(Float(variance))
    }
    return (y, means, variances)
}

/// Naive reference for `batchNormBackward`, from the textbook formula in Double.
/// x, dy: [..., C], gamma: [C] -> dx, dgamma, dbeta.
public func batchNormBackwardReference(_ x: Tensor, gamma: Tensor, outputGradient dy: Tensor,
                                       epsilon: Float = 1e-5) -> (input: Tensor, gamma: Tensor, beta: Tensor) {
    let channels = gamma.count, rows = x.count / channels
    var dx = x, dGamma = [Float](repeating: 0, count: channels), dBeta = dGamma
    for c in 0..<channels {
        let column = (0..<rows).map { Double(x.storage[$0 * channels + c]) }
        let grad = (0..<rows).map { Double(dy.storage[$0 * channels + c]) }
        let mean = column.reduce(0, +) / Double(rows)
        let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(rows)
        let istd = 1 / (variance + Double(epsilon)).squareRoot()
        let xhat = column.map { ($0 - mean) * istd }
        let sumDy = grad.reduce(0, +)
        let sumDyXhat = zip(grad, xhat).map { $0 * $1 }.reduce(0, +)
        for r in 0..<rows {
            let v = Double(gamma.storage[c]) * istd * (grad[r] - sumDy / Double(rows) - xhat[r] * sumDyXhat / Double(rows))
            dx.storage[r * channels + c] = Float(v)
        }
        dGamma[c] = Float(sumDyXhat); dBeta[c] = Float(sumDy)
    }
    return (dx, Tensor(shape: [channels], storage: dGamma), Tensor(shape: [channels], storage: dBeta))
}
