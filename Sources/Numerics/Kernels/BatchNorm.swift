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

/// Reduces `terms * C` per-channel sums over `rows` rows. `accumulate(rows, acc)` adds one
/// block's contributions into `acc` (`terms * C` floats, zeroed); blocks are summed in Double in
/// block order. Returns `terms` arrays of `C` sums.
func blockedChannelSums(rows: Int, channels: Int, terms: Int, context: ComputeContext,
                        _ accumulate: (Range<Int>, UnsafeMutablePointer<Float>) -> Void) -> [[Double]] {
    let blocks = (rows + reductionBlockRows - 1) / reductionBlockRows
    let width = terms * channels
    var partial = [Float](repeating: 0, count: blocks * width)
    partial.withUnsafeMutableBufferPointer { buffer in
        let base = buffer.baseAddress!
        context.forEachPiece(blocks) { b in
            accumulate(b * reductionBlockRows ..< Swift.min(rows, (b + 1) * reductionBlockRows), base + b * width)
        }
    }
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
    let rows = x.count / Swift.max(1, channels)
    // Channel groups of 8 outside, rows inside, sums in registers (as in the backward): a scalar
    // `acc[c] += row[c]` reloads and stores the accumulator on every row. Each channel's sum
    // still runs over the rows in order, so the bits are those of the scalar loop.
    let mean: [Float] = x.withUnsafePointer { px in
        blockedChannelSums(rows: rows, channels: channels, terms: 1, context: context) { range, acc in
            var c0 = 0
            while c0 + 8 <= channels {
                var sum = SIMD8<Float>()
                for r in range { sum += load8(px + r * channels + c0) }
                store8(sum, acc + c0)
                c0 += 8
            }
            for r in range { let row = px + r * channels; for c in c0..<channels { acc[c] += row[c] } }
        }[0].map { Float($0 / Double(rows)) }
    }
    let variance: [Float] = x.withUnsafePointer { px in
        mean.withUnsafeBufferPointer { m in
            blockedChannelSums(rows: rows, channels: channels, terms: 1, context: context) { range, acc in
                var c0 = 0
                while c0 + 8 <= channels {
                    let mu = load8(m.baseAddress! + c0)
                    var sum = SIMD8<Float>()
                    for r in range { let d = load8(px + r * channels + c0) - mu; sum += d * d }
                    store8(sum, acc + c0)
                    c0 += 8
                }
                for r in range {
                    let row = px + r * channels
                    for c in c0..<channels { let d = row[c] - m[c]; acc[c] += d * d }
                }
            }[0].map { Float($0 / Double(rows)) }
        }
    }
    let invStd = variance.map { 1 / ($0 + epsilon).squareRoot() }
    var scale = [Float](repeating: 0, count: channels), shift = scale
    for c in 0..<channels {
        scale[c] = gamma.storage[c] * invStd[c]
        shift[c] = beta.storage[c] - mean[c] * scale[c]
    }
    let y = affinePerChannel(x, scale: scale, shift: shift, context: context)
    return (y, BatchNormStatistics(mean: mean, variance: variance, inverseStandardDeviation: invStd, count: rows))
}

/// Batch normalisation, inference mode (running statistics).
/// x: [..., C], gamma, beta, runningMean, runningVariance: [C] -> y: x's shape.
public func batchNormForwardInference(_ x: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor,
                                      runningVariance: Tensor, epsilon: Float = 1e-5, context: ComputeContext) -> Tensor {
    let channels = x.shape.last ?? 0
    var scale = [Float](repeating: 0, count: channels), shift = scale
    for c in 0..<channels {
        scale[c] = gamma.storage[c] / (runningVariance.storage[c] + epsilon).squareRoot()
        shift[c] = beta.storage[c] - runningMean.storage[c] * scale[c]
    }
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
    var c0 = 0
    while c0 + 8 <= channels {
        let (s8, t8) = (load8(scale + c0), load8(shift + c0))
        for r in range { let o = r * channels + c0; store8(load8(src + o) * s8 + t8, dst + o) }
        c0 += 8
    }
    for r in range {
        let o = r * channels
        for c in c0..<channels { dst[o + c] = src[o + c] * scale[c] + shift[c] }
    }
}

/// Backward of `batchNormForwardTraining` (gradients flow through the batch statistics).
/// x, dy: [..., C], gamma: [C] -> dx: x's shape, dgamma, dbeta: [C].
/// dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat)), xhat = (x - mean) * invStd.
public func batchNormBackward(_ x: Tensor, gamma: Tensor, statistics s: BatchNormStatistics, outputGradient dy: Tensor,
                              context: ComputeContext) -> (input: Tensor, gamma: Tensor, beta: Tensor) {
    precondition(x.shape == dy.shape, "batchnorm dy shape \(dy.shape) != x shape \(x.shape)")
    let channels = gamma.count
    let rows = s.count
    let sums = x.withUnsafePointer { px in
        dy.withUnsafePointer { pdy in
            s.mean.withUnsafeBufferPointer { m in
                blockedChannelSums(rows: rows, channels: channels, terms: 2, context: context) { range, acc in
                    // Channel groups of 8 outside, rows inside: the sums stay in registers.
                    var c0 = 0
                    while c0 + 8 <= channels {
                        let mean = load8(m.baseAddress! + c0)
                        var (sumDy, sumDyX) = (SIMD8<Float>(), SIMD8<Float>())
                        for r in range {
                            let o = r * channels + c0
                            let d = load8(pdy + o)
                            sumDy += d
                            sumDyX += d * (load8(px + o) - mean)
                        }
                        store8(sumDy, acc + c0)
                        store8(sumDyX, acc + channels + c0)
                        c0 += 8
                    }
                    for r in range {
                        let (xr, dr) = (px + r * channels, pdy + r * channels)
                        for c in c0..<channels {
                            acc[c] += dr[c]
                            acc[channels + c] += dr[c] * (xr[c] - m[c])
                        }
                    }
                }
            }
        }
    }
    var dGamma = [Float](repeating: 0, count: channels), dBeta = dGamma
    var k1 = dGamma, a = dGamma, b = dGamma
    let inv = 1 / Double(rows)
    for c in 0..<channels {
        let istd = Double(s.inverseStandardDeviation[c])
        dBeta[c] = Float(sums[0][c])
        let dg = sums[1][c] * istd
        dGamma[c] = Float(dg)
        let kk = Double(gamma.storage[c]) * istd
        k1[c] = Float(kk)
        a[c] = Float(-kk * istd * dg * inv)
        b[c] = Float(-kk * sums[0][c] * inv + kk * istd * dg * inv * Double(s.mean[c]))
    }
    let dx = Tensor(uninitializedShape: x.shape) { out in
        x.withUnsafePointer { px in
            dy.withUnsafePointer { pdy in
                k1.withUnsafeBufferPointer { k1 in a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in
                    context.parallelRanges(rows, minimumPerWorker: 256) { range in
                        var c0 = 0
                        while c0 + 8 <= channels {       // coefficients in registers, 8 channels at a time
                            let (k8, a8, b8) = (load8(k1.baseAddress! + c0), load8(a.baseAddress! + c0), load8(b.baseAddress! + c0))
                            for r in range {
                                let o = r * channels + c0
                                store8(k8 * load8(pdy + o) + a8 * load8(px + o) + b8, out + o)
                            }
                            c0 += 8
                        }
                        for r in range {
                            let o = r * channels
                            for c in c0..<channels { out[o + c] = k1[c] * pdy[o + c] + a[c] * px[o + c] + b[c] }
                        }
                    }
                }}}
            }
        }
    }
    return (dx, Tensor(shape: [channels], storage: dGamma), Tensor(shape: [channels], storage: dBeta))
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
