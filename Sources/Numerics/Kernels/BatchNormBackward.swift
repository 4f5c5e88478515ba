/// Backward of `batchNormForwardTraining` (gradients flow through the batch statistics).
/// x, dy: [..., C], gamma: [C] -> dx: x's shape, dgamma, dbeta: [C].
/// dx = gamma * invStd * (dy - mean(dy) - xhat * mean(dy * xhat)), xhat = (x - mean) * invStd.
public func batchNormBackward(_ x: Tensor, gamma: Tensor, statistics s: BatchNormStatistics, outputGradient dy: Tensor,
                              context: ComputeContext) -> (input: Tensor, gamma: Tensor, beta: Tensor) {
    precondition(x.shape == dy.shape, "batchnorm dy shape \(dy.shape) != x shape \(x.shape)")
    return batchNormBackward(x, gamma: gamma, statistics: s, outputGradientBlocks: [dy], context: context)
}

/// `batchNormBackward` with dy given as consecutive channel blocks: x: [..., C],
/// blocks[i]: [..., C_i] with sum C_i = C (dy = concatenateChannels(blocks)) -> dx: x's shape,
/// dgamma, dbeta: [C]. Bit-identical to the concatenated call (each channel's sums run over the
/// rows in the same order).
///
/// Why: the fused convolution edges of an NB201 cell (`FusedConvBatchNormBranches`) receive each
/// branch's gradient from a different node; reading the blocks in place saves concatenating
/// them (a write and a read of the whole `[..., C]` gradient).
public func batchNormBackward(_ x: Tensor, gamma: Tensor, statistics s: BatchNormStatistics, outputGradientBlocks blocks: [Tensor],
                              context: ComputeContext) -> (input: Tensor, gamma: Tensor, beta: Tensor) {
    let map = batchNormBackwardCoefficients(x, gamma: gamma, statistics: s, outputGradientBlocks: blocks, context: context)
    let dx = Tensor(uninitializedShape: x.shape) { out in
        x.withUnsafePointer { px in batchNormBackwardApply(px, blocks: blocks, map: map, output: out, context: context) }
    }
    return (dx, map.gamma, map.beta)
}

/// `batchNormBackward(_:gamma:statistics:outputGradientBlocks:context:)` writing dx over x:
/// x: [..., C] (becomes dx), blocks as there -> dgamma, dbeta: [C]. Bit-identical to it.
///
/// Why: the caller that owns the forward's pre-normalisation tensor (`FusedConvBatchNormBranches`,
/// which drops it after backward) needs no second `[..., C]` buffer; the dx pass then stores into
/// the cache lines it has just read x from instead of allocating and write-allocating fresh ones
/// (docs/numerics.md, "Session 7"). If x's storage is shared it is copied first (value semantics).
public func batchNormBackwardInPlace(_ x: inout Tensor, gamma: Tensor, statistics s: BatchNormStatistics,
                                     outputGradientBlocks blocks: [Tensor],
                                     context: ComputeContext) -> (gamma: Tensor, beta: Tensor) {
    let map = batchNormBackwardCoefficients(x, gamma: gamma, statistics: s, outputGradientBlocks: blocks, context: context)
    x.withUnsafeMutablePointer { px in
        batchNormBackwardApply(UnsafePointer(px), blocks: blocks, map: map, output: px, context: context)
    }
    return (map.gamma, map.beta)
}

/// The per-channel map dx = k1 * dy + a * x + b of a batch-norm backward, with dgamma, dbeta.
struct BatchNormBackwardMap {
    var k1: [Float], a: [Float], b: [Float]
    var gamma: Tensor, beta: Tensor
}

/// Pass 1 of the backward: the per-channel sums of dy and dy * (x - mean) over all rows (blocked,
/// in a fixed order: see `blockedChannelSums`), turned into `BatchNormBackwardMap`.
func batchNormBackwardCoefficients(_ x: Tensor, gamma: Tensor, statistics s: BatchNormStatistics,
                                   outputGradientBlocks blocks: [Tensor], context: ComputeContext) -> BatchNormBackwardMap {
    let channels = gamma.count
    let lead = Array(x.shape.dropLast())
    precondition(x.shape.last == channels && blocks.allSatisfy { Array($0.shape.dropLast()) == lead }
                 && blocks.map { $0.shape.last ?? 1 }.reduce(0, +) == channels,
                 "batchnorm dy blocks \(blocks.map(\.shape)) do not tile x shape \(x.shape)")
    let rows = s.count
    let widths = blocks.map { $0.shape.last ?? 1 }
    let offsets = widths.indices.map { widths[..<$0].reduce(0, +) }
    let sums = x.withUnsafePointer { px in
        withUnsafePointers(blocks[...]) { dys in
            s.mean.withUnsafeBufferPointer { m in
                blockedChannelSums(rows: rows, channels: channels, terms: 2, context: context) { range, acc in
                    for (block, pdy) in dys.enumerated() {
                        let (o, w) = (offsets[block], widths[block])
                        // Channel groups of 8 outside, rows inside: the sums stay in registers.
                        var c0 = 0
                        while c0 + 8 <= w {
                            let mean = load8(m.baseAddress! + o + c0)
                            var (sumDy, sumDyX) = (SIMD8<Float>(), SIMD8<Float>())
                            for r in range {
                                let d = load8(pdy + r * w + c0)
                                sumDy += d
                                sumDyX += d * (load8(px + r * channels + o + c0) - mean)
                            }
                            store8(sumDy, acc + o + c0)
                            store8(sumDyX, acc + channels + o + c0)
                            c0 += 8
                        }
                        for r in range {
                            let (xr, dr) = (px + r * channels + o, pdy + r * w)
                            for c in c0..<w {
                                acc[o + c] += dr[c]
                                acc[channels + o + c] += dr[c] * (xr[c] - m[o + c])
                            }
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
    return BatchNormBackwardMap(k1: k1, a: a, b: b, gamma: Tensor(shape: [channels], storage: dGamma),
                                beta: Tensor(shape: [channels], storage: dBeta))
}

/// Pass 2 of the backward: out[r, c] = k1[c] * dy[r, c] + a[c] * x[r, c] + b[c] for every row;
/// `out` may be `px` itself (each element is read before it is written, by the same worker).
func batchNormBackwardApply(_ px: UnsafePointer<Float>, blocks: [Tensor], map: BatchNormBackwardMap,
                            output out: UnsafeMutablePointer<Float>, context: ComputeContext) {
    let rows = blocks.first.map { $0.count / Swift.max(1, $0.shape.last ?? 1) } ?? 0
    let channels = map.k1.count
    withUnsafePointers(blocks[...]) { dys in
        map.withCoefficients(blockWidths: blocks.map { $0.shape.last ?? 1 }) { coefficients in
            context.parallelRanges(rows, minimumPerWorker: 256) { range in forEachRowTile(range) { range in
                batchNormBackwardApplyRows(px, dys: dys, coefficients, rows: range, output: out + range.lowerBound * channels)
            }}
        }
    }
}

/// The coefficient pointers and dy block layout `batchNormBackwardApplyRows` reads (valid only
/// inside `BatchNormBackwardMap.withCoefficients`).
struct BatchNormBackwardApplyCoefficients {
    let k1: UnsafePointer<Float>, a: UnsafePointer<Float>, b: UnsafePointer<Float>
    /// Channels of x (and of the output rows); the dy blocks tile them.
    let channels: Int
    let offsets: [Int], widths: [Int]
}

extension BatchNormBackwardMap {
    /// Calls `body` with pointers to the coefficients and the layout of dy blocks of `blockWidths` channels.
    func withCoefficients<R>(blockWidths widths: [Int], _ body: (BatchNormBackwardApplyCoefficients) -> R) -> R {
        let offsets = widths.indices.map { widths[..<$0].reduce(0, +) }
        return k1.withUnsafeBufferPointer { k1 in a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in
            body(BatchNormBackwardApplyCoefficients(k1: k1.baseAddress!, a: a.baseAddress!, b: b.baseAddress!,
                                                    channels: k1.count, offsets: offsets, widths: widths))
        }}}
    }
}

/// Pass 2 for the rows `rows` (a few dozen, so each tensor is read once across the channel
/// groups): out[r - rows.lowerBound, c] = k1[c] * dy[r, c] + a[c] * x[r, c] + b[c], output rows
/// `channels` floats apart. Every element is the same three operations in the same order
/// whichever rows a caller passes, so any cut of the rows (threads, images) gives the same bits.
@inline(__always)
func batchNormBackwardApplyRows(_ px: UnsafePointer<Float>, dys: [UnsafePointer<Float>],
                                _ m: BatchNormBackwardApplyCoefficients, rows range: Range<Int>,
                                output: UnsafeMutablePointer<Float>) {
    let (channels, first) = (m.channels, range.lowerBound)
    for (block, pdy) in dys.enumerated() {
        let (o, w) = (m.offsets[block], m.widths[block])
        var c0 = 0
        while c0 + 8 <= w {       // coefficients in registers, 8 channels at a time
            let (k8, a8, b8) = (load8(m.k1 + o + c0), load8(m.a + o + c0), load8(m.b + o + c0))
            for r in range {
                let xo = r * channels + o + c0
                store8(k8 * load8(pdy + r * w + c0) + a8 * load8(px + xo) + b8, output + (r - first) * channels + o + c0)
            }
            c0 += 8
        }
        for r in range {
            let (xo, dyo, oo) = (r * channels + o, r * w, (r - first) * channels + o)
            for c in c0..<w {
                output[oo + c] = m.k1[o + c] * pdy[dyo + c] + m.a[o + c] * px[xo + c] + m.b[o + c]
            }
        }
    }
}

/// Calls `body` with pointers to the elements of every tensor (valid only during the call).
func withUnsafePointers<R>(_ tensors: ArraySlice<Tensor>, _ collected: [UnsafePointer<Float>] = [],
                           _ body: ([UnsafePointer<Float>]) -> R) -> R {
    guard let first = tensors.first else { return body(collected) }
    return first.withUnsafePointer { p in withUnsafePointers(tensors.dropFirst(), collected + [p], body) }
}
