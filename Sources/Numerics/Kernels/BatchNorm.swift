import Foundation

/// Per-channel batch statistics saved by the training forward pass for the backward pass.
public struct BatchNormStatistics: Sendable, Equatable {
    /// Batch mean per channel.
    public var mean: [Float]
    /// Biased batch variance per channel (divided by the row count, as used for normalising).
    public var variance: [Float]
    /// `1 / sqrt(variance + epsilon)` per channel.
    public var inverseStandardDeviation: [Float]
    /// Rows the statistics were taken over, `N * H * W`.
    public var count: Int
}

/// Rows per reduction block. Fixed (not derived from the thread count) so the summation order,
/// and hence every bit of the result, is the same for any number of threads.
let reductionBlockRows = 512

/// Runs `accumulate(rows, acc)` on every `reductionBlockRows`-row block (in parallel) with a
/// zeroed `width`-float slot per block; returns the slots back to back, in block order.
func blockedPartials(rows: Int, width: Int, context: ComputeContext,
                     _ accumulate: (Range<Int>, UnsafeMutablePointer<Float>) -> Void) -> (blocks: Int, partial: [Float]) {
    let blocks = (rows + reductionBlockRows - 1) / reductionBlockRows
    var partial = [Float](repeating: 0, count: blocks * width)
    partial.withUnsafeMutableBufferPointer { buffer in
        let base = buffer.baseAddress!
        context.forEachPiece(blocks) { b in
            accumulate(b * reductionBlockRows ..< Swift.min(rows, (b + 1) * reductionBlockRows), base + b * width)
        }
    }
    return (blocks, partial)
}

/// Reduces `terms * C` per-channel sums over `rows` rows. `accumulate(rows, acc)` adds one
/// block's contributions into `acc` (`terms * C` floats, zeroed); blocks are summed in Double in
/// block order. Returns `terms` arrays of `C` sums.
func blockedChannelSums(rows: Int, channels: Int, terms: Int, context: ComputeContext,
                        _ accumulate: (Range<Int>, UnsafeMutablePointer<Float>) -> Void) -> [[Double]] {
    let width = terms * channels
    let (blocks, partial) = blockedPartials(rows: rows, width: width, context: context, accumulate)
    var totals = [[Double]](repeating: [Double](repeating: 0, count: channels), count: terms)
    for b in 0..<blocks {
        for t in 0..<terms { for c in 0..<channels { totals[t][c] += Double(partial[b * width + t * channels + c]) } }
    }
    return totals
}

/// Batch normalisation, training mode (batch statistics), channels last.
/// x: [..., C] (e.g. [N, H, W, C]), gamma, beta: [C] -> y: x's shape, statistics over N*H*W rows.
/// Two passes for the statistics (mean, then centred squares) for accuracy, one for the output.
public func batchNormForwardTraining(_ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float = 1e-5,
                                     context: ComputeContext) -> (output: Tensor, statistics: BatchNormStatistics) {
    let channels = x.shape.last ?? 0
    precondition(gamma.shape == [channels] && beta.shape == [channels], "batchnorm gamma/beta must be [\(channels)]")
    let stats = batchNormTrainingStatistics(x, epsilon: epsilon, context: context)
    let (scale, shift) = batchNormAffineCoefficients(gamma: gamma, beta: beta, statistics: stats)
    return (affinePerChannel(x, scale: scale, shift: shift, context: context), stats)
}

/// The batch statistics of `batchNormForwardTraining` alone (for callers that apply the affine
/// map themselves, e.g. straight into node sums). x: [..., C] -> statistics over the rows.
///
/// One pass over memory: each 512-row block (at most 96 KiB at 48 channels, cache-resident after
/// its first read) gets its own mean and then its sum of squares about that mean, and the
/// blocks are combined in Double in block order (Chan et al.'s pairwise update:
/// M2 = sum_b [M2_b + n_b (mean_b - mean)^2]). Centring per block keeps the accuracy of the
/// two-pass formula; the previous version streamed the tensor twice (global mean, then squares
/// about it), 3.7 % of a config (c) run (docs/numerics.md, "Batch-norm statistics").
public func batchNormTrainingStatistics(_ x: Tensor, epsilon: Float = 1e-5, context: ComputeContext) -> BatchNormStatistics {
    let channels = x.shape.last ?? 0
    let rows = x.count / Swift.max(1, channels)
    let (_, partial) = x.withUnsafePointer { px in
        blockedPartials(rows: rows, width: 2 * channels, context: context) { range, acc in
            batchNormBlockStatistics(px, rows: range, channels: channels, into: acc)
        }
    }
    return batchNormCombineBlockStatistics(partial, rows: rows, channels: channels, epsilon: epsilon)
}

/// One `reductionBlockRows`-row block of `batchNormTrainingStatistics`: acc (2 * C floats,
/// zeroed) = [block mean (C) | sum of squares about the block mean (C)] over rows `range` of
/// x: [rows, C]. Channel groups of 8 outside, rows inside, sums in registers (a scalar
/// `acc[c] += row[c]` reloads the accumulator). The rows are read twice, the second time from
/// cache. Its own function so that a producer of x can run it on a block while that block is
/// still cache-resident (`conv2dDirect3x3WithBatchNormStatistics`), with the same bits.
@inline(__always)
func batchNormBlockStatistics(_ px: UnsafePointer<Float>, rows range: Range<Int>, channels: Int,
                              into acc: UnsafeMutablePointer<Float>) {
    let inverseCount = 1 / Float(range.count)
    var c0 = 0
    while c0 + 8 <= channels {
        var sum = SIMD8<Float>()
        for r in range { sum += load8(px + r * channels + c0) }
        let mu = sum * inverseCount
        var m2 = SIMD8<Float>()
        for r in range { let d = load8(px + r * channels + c0) - mu; m2 += d * d }
        store8(mu, acc + c0)
        store8(m2, acc + channels + c0)
        c0 += 8
    }
    if c0 < channels {
        for r in range { let row = px + r * channels; for c in c0..<channels { acc[c] += row[c] } }
        for c in c0..<channels { acc[c] *= inverseCount }
        for r in range {
            let row = px + r * channels
            for c in c0..<channels { let d = row[c] - acc[c]; acc[channels + c] += d * d }
        }
    }
}

/// Combines the per-block results of `batchNormBlockStatistics` (block b at
/// `partial[b * 2 * C ..< (b + 1) * 2 * C]`, blocks of `reductionBlockRows` rows, the last one
/// shorter) in Double, in block order, into the batch statistics of `rows` rows.
func batchNormCombineBlockStatistics(_ partial: [Float], rows: Int, channels: Int, epsilon: Float) -> BatchNormStatistics {
    let blocks = (rows + reductionBlockRows - 1) / reductionBlockRows
    var mean = [Double](repeating: 0, count: channels), m2 = mean
    for b in 0..<blocks {
        let n = Double(Swift.min(rows, (b + 1) * reductionBlockRows) - b * reductionBlockRows)
        for c in 0..<channels { mean[c] += n * Double(partial[b * 2 * channels + c]) }
    }
    for c in 0..<channels { mean[c] /= Double(Swift.max(1, rows)) }
    for b in 0..<blocks {
        let n = Double(Swift.min(rows, (b + 1) * reductionBlockRows) - b * reductionBlockRows)
        for c in 0..<channels {
            let d = Double(partial[b * 2 * channels + c]) - mean[c]
            m2[c] += Double(partial[b * 2 * channels + channels + c]) + n * d * d
        }
    }
    let variance = m2.map { Float($0 / Double(Swift.max(1, rows))) }
    let invStd = variance.map { 1 / ($0 + epsilon).squareRoot() }
    return BatchNormStatistics(mean: mean.map { Float($0) }, variance: variance, inverseStandardDeviation: invStd,
                               count: rows)
}

/// Training-mode batch norm as a per-channel affine map, y = x * scale + shift:
/// gamma, beta: [C] -> scale = gamma * invStd, shift = beta - mean * scale.
public func batchNormAffineCoefficients(gamma: Tensor, beta: Tensor,
                                        statistics s: BatchNormStatistics) -> (scale: [Float], shift: [Float]) {
    let channels = s.mean.count
    precondition(gamma.shape == [channels] && beta.shape == [channels], "batchnorm gamma/beta must be [\(channels)]")
    var scale = [Float](repeating: 0, count: channels), shift = scale
    for c in 0..<channels {
        scale[c] = gamma.storage[c] * s.inverseStandardDeviation[c]
        shift[c] = beta.storage[c] - s.mean[c] * scale[c]
    }
    return (scale, shift)
}

/// Evaluation-mode batch norm as a per-channel affine map, y = x * scale + shift:
/// gamma, beta, runningMean, runningVariance: [C] -> scale = gamma / sqrt(var + eps),
/// shift = beta - runningMean * scale.
public func batchNormInferenceCoefficients(gamma: Tensor, beta: Tensor, runningMean: Tensor, runningVariance: Tensor,
                                           epsilon: Float = 1e-5) -> (scale: [Float], shift: [Float]) {
    let channels = gamma.count
    var scale = [Float](repeating: 0, count: channels), shift = scale
    for c in 0..<channels {
        scale[c] = gamma.storage[c] / (runningVariance.storage[c] + epsilon).squareRoot()
        shift[c] = beta.storage[c] - runningMean.storage[c] * scale[c]
    }
    return (scale, shift)
}

/// Batch normalisation, inference mode (running statistics).
/// x: [..., C], gamma, beta, runningMean, runningVariance: [C] -> y: x's shape.
public func batchNormForwardInference(_ x: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor,
                                      runningVariance: Tensor, epsilon: Float = 1e-5, context: ComputeContext) -> Tensor {
    let (scale, shift) = batchNormInferenceCoefficients(gamma: gamma, beta: beta, runningMean: runningMean,
                                                        runningVariance: runningVariance, epsilon: epsilon)
    return affinePerChannel(x, scale: scale, shift: shift, context: context)
}

/// y = x * scale[c] + shift[c]; x: [..., C], scale, shift: [C].
func affinePerChannel(_ x: Tensor, scale: [Float], shift: [Float], context: ComputeContext) -> Tensor {
    let channels = scale.count
    let rows = x.count / Swift.max(1, channels)
    return Tensor(uninitializedShape: x.shape) { y in
        x.withUnsafePointer { px in
            scale.withUnsafeBufferPointer { s in
                shift.withUnsafeBufferPointer { t in
                    context.parallelRanges(rows, minimumPerWorker: 256) { range in
                        affineRows(px, y, range: range, channels: channels, scale: s.baseAddress!, shift: t.baseAddress!)
                    }
                }
            }
        }
    }
}

/// dst[r, c] = src[r, c] * scale[c] + shift[c] for rows `range` of `channels` floats; 8 channels
/// at a time with the coefficients held in registers (the compiler cannot vectorise the scalar
/// loop across three raw pointers that may alias).
@inline(__always)
func affineRows(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, range: Range<Int>, channels: Int,
                scale: UnsafePointer<Float>, shift: UnsafePointer<Float>) {
    forEachRowTile(range) { tile in   // each tensor read once, not once per 8 channels
        var c0 = 0
        while c0 + 8 <= channels {
            let (s8, t8) = (load8(scale + c0), load8(shift + c0))
            for r in tile { let o = r * channels + c0; store8(load8(src + o) * s8 + t8, dst + o) }
            c0 += 8
        }
        for r in tile {
            let o = r * channels
            for c in c0..<channels { dst[o + c] = src[o + c] * scale[c] + shift[c] }
        }
    }
}

/// Backward of `batchNormForwardInference` (statistics are constants): dx = dy * gamma / sqrt(var + eps).
/// Used when gradients are taken through a network in eval mode (e.g. zero-cost proxies).
public func batchNormBackwardInference(gamma: Tensor, runningVariance: Tensor, epsilon: Float = 1e-5,
                                       outputGradient dy: Tensor, context: ComputeContext) -> Tensor {
    let scale = (0..<gamma.count).map { gamma.storage[$0] / (runningVariance.storage[$0] + epsilon).squareRoot() }
    return affinePerChannel(dy, scale: scale, shift: [Float](repeating: 0, count: scale.count), context: context)
}

/// PyTorch's running-statistics update: running = (1 - momentum) * running + momentum * batch,
/// with the unbiased batch variance (`var * n / (n - 1)`).
public func batchNormUpdateRunningStatistics(runningMean: inout Tensor, runningVariance: inout Tensor,
                                             statistics s: BatchNormStatistics, momentum: Float) {
    let correction = s.count > 1 ? Float(s.count) / Float(s.count - 1) : 1
    for c in 0..<s.mean.count {
        runningMean.storage[c] = (1 - momentum) * runningMean.storage[c] + momentum * s.mean[c]
        runningVariance.storage[c] = (1 - momentum) * runningVariance.storage[c] + momentum * s.variance[c] * correction
    }
}
