import Foundation

/// Softmax cross-entropy with integer labels.
/// logits: [N, K], labels: N values in 0..<K -> losses: [N] (per example, natural log),
/// dLogits: [N, K] = (softmax - onehot) / N, the gradient of the MEAN loss over the batch.
/// Per-example losses are returned (not only the mean) because NAS proxies and predictors need
/// them; log-sum-exp is shifted by the row maximum for stability.
public func softmaxCrossEntropy(logits: Tensor, labels: [Int]) -> (losses: [Float], logitsGradient: Tensor) {
    precondition(logits.rank == 2 && logits.shape[0] == labels.count, "cross-entropy logits \(logits.shape) vs \(labels.count) labels")
    let (n, k) = (logits.shape[0], logits.shape[1])
    var losses = [Float](repeating: 0, count: n)
    var grad = Tensor(zeros: [n, k])
    let invN = 1 / Float(n)
    for r in 0..<n {
        let label = labels[r]
        precondition(label >= 0 && label < k, "label \(label) outside 0..<\(k) at example \(r)")
        let row = Array(logits.storage[r * k ..< (r + 1) * k])
        let top = row.max()!
        var sum = 0.0
        for v in row { sum += exp(Double(v - top)) }
        let logSumExp = Double(top) + log(sum)
        losses[r] = Float(logSumExp - Double(row[label]))
        for j in 0..<k {
            let p = Float(exp(Double(row[j]) - logSumExp))
            grad.storage[r * k + j] = (p - (j == label ? 1 : 0)) * invN
        }
    }
    return (losses, grad)
}

/// Per-example classification outcome derived from logits.
public struct ClassificationOutcome: Sendable, Equatable {
    /// Whether the label is the argmax of the logits (first maximal index wins ties).
    public var correct: [Bool]
    /// Correct logit minus the best other logit (positive means correctly classified with room).
    public var margin: [Float]
}

/// Per-example correctness (argmax, first index wins ties) and logit margin.
/// logits: [N, K] with K >= 2, labels: N values in 0..<K.
public func classificationOutcome(logits: Tensor, labels: [Int]) -> ClassificationOutcome {
    precondition(logits.rank == 2 && logits.shape[0] == labels.count && logits.shape[1] >= 2, "outcome logits \(logits.shape)")
    let (n, k) = (logits.shape[0], logits.shape[1])
    var correct = [Bool](repeating: false, count: n), margin = [Float](repeating: 0, count: n)
    for r in 0..<n {
        let row = logits.storage[r * k ..< (r + 1) * k]
        var argmax = 0
        for j in 1..<k where row[r * k + j] > row[r * k + argmax] { argmax = j }
        var bestOther = -Float.infinity
        for j in 0..<k where j != labels[r] { bestOther = Swift.max(bestOther, row[r * k + j]) }
        correct[r] = argmax == labels[r]
        margin[r] = row[r * k + labels[r]] - bestOther
    }
    return ClassificationOutcome(correct: correct, margin: margin)
}
