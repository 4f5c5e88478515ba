/// A bias-free stride-1 convolution followed by the training batch statistics of its output (the
/// first half of conv → BN in training), with the statistics taken block by block while each
/// block of the output is still in the producing core's cache.
///
/// Why: `batchNormTrainingStatistics` streams the whole convolution output once more from
/// memory after the convolution has written it (19 MiB per fused edge group at config (c)
/// stage 1). Here each worker of the direct 3x3 convolution, as soon as it has written an image,
/// runs `batchNormBlockStatistics` on every 512-row statistics block that image completes
/// (at most 96 KiB at 48 channels, just written, so read from L1/L2), docs/numerics.md,
/// "Session 8".
///
/// Bits: the statistics blocks, each block's arithmetic (`batchNormBlockStatistics`) and their
/// combination in block order (`batchNormCombineBlockStatistics`) are those of
/// `batchNormTrainingStatistics`, and every block is computed from its finished rows, so the
/// result is bit-identical to it for any thread count. A worker computes a block only if all
/// its rows lie in the worker's contiguous range of images; the few blocks that straddle two
/// workers' ranges (at most threads - 1) are computed after the convolution, on the caller.

/// x: [N, H, W, Cin], weight: [KH, KW, Cin, Cout] (stride 1, `padding`, no bias) -> the
/// convolution output [N, OH, OW, Cout] and its batch statistics over N*OH*OW rows, exactly
/// `conv2dForward` then `batchNormTrainingStatistics` (reference:
/// `conv2dForwardWithBatchNormStatisticsReference`). The fused path runs where the direct 3x3
/// kernel does (`usesDirect3x3`); shapes alone decide, and both paths give the same bits.
///
/// With `rectifiesInput` the convolution reads ReLU(x) (applied on load by the direct kernel,
/// else by `reluForward` first): the same bits as passing `reluForward(x)`.
func conv2dForwardWithBatchNormStatistics(_ x: Tensor, weight: Tensor, padding: Int, rectifiesInput: Bool = false,
                                          epsilon: Float,
                                          context: ComputeContext) -> (output: Tensor, statistics: BatchNormStatistics) {
    let g = Conv2dGeometry(input: x.shape, weight: weight.shape, stride: 1, padding: padding)
    guard usesDirect3x3(g) else {
        let y = conv2dForward(x, weight: weight, padding: padding, rectifiesInput: rectifiesInput, context: context)
        return (y, batchNormTrainingStatistics(y, epsilon: epsilon, context: context))
    }
    let (cout, pixels) = (g.outChannels, g.rowsPerImage)
    let rows = g.batch * pixels
    let blocks = (rows + reductionBlockRows - 1) / reductionBlockRows
    let width = 2 * cout
    var partial = [Float](repeating: 0, count: blocks * width)   // `batchNormBlockStatistics` wants zeroed slots
    var done = [Bool](repeating: false, count: blocks)
    let blockEnd = { (b: Int) in Swift.min(rows, (b + 1) * reductionBlockRows) }
    let y = partial.withUnsafeMutableBufferPointer { slots in
        done.withUnsafeMutableBufferPointer { finished in
            conv2dDirect3x3(x, weight: weight, rectifiesInput: rectifiesInput, context: context) { images, n, y in
                // Blocks that end inside image n and start inside this worker's range: complete now.
                let first = images.lowerBound * pixels
                var b = Swift.max((first + reductionBlockRows - 1) / reductionBlockRows, n * pixels / reductionBlockRows)
                while b < blocks && blockEnd(b) <= (n + 1) * pixels {
                    batchNormBlockStatistics(UnsafePointer(y), rows: b * reductionBlockRows ..< blockEnd(b), channels: cout,
                                             into: slots.baseAddress! + b * width)
                    finished[b] = true
                    b += 1
                }
            }
        }
    }
    y.withUnsafePointer { py in
        partial.withUnsafeMutableBufferPointer { slots in
            for b in 0..<blocks where !done[b] {   // straddling two workers' images
                batchNormBlockStatistics(py, rows: b * reductionBlockRows ..< blockEnd(b), channels: cout,
                                         into: slots.baseAddress! + b * width)
            }
        }
    }
    return (y, batchNormCombineBlockStatistics(partial, rows: rows, channels: cout, epsilon: epsilon))
}

/// `conv2dForward` (stride 1, no bias) of ReLU(x) when `rectifiesInput`, else of x: where the
/// direct 3x3 kernel runs it applies the ReLU as it loads each image (no ReLU tensor), elsewhere
/// `reluForward` runs first. Both give the bits of `conv2dForward(reluForward(x), ...)`.
func conv2dForward(_ x: Tensor, weight: Tensor, padding: Int, rectifiesInput: Bool, context: ComputeContext) -> Tensor {
    guard rectifiesInput else { return conv2dForward(x, weight: weight, padding: padding, context: context) }
    if usesDirect3x3(Conv2dGeometry(input: x.shape, weight: weight.shape, stride: 1, padding: padding)) {
        return conv2dDirect3x3(x, weight: weight, rectifiesInput: true, context: context)
    }
    return conv2dForward(reluForward(x, context: context), weight: weight, padding: padding, context: context)
}

/// Naive reference for `conv2dForwardWithBatchNormStatistics`: `conv2dForwardReference`, then the
/// mean and biased variance per channel in Double (`batchNormForwardTrainingReference`).
public func conv2dForwardWithBatchNormStatisticsReference(_ x: Tensor, weight: Tensor, padding: Int)
    -> (output: Tensor, mean: [Float], variance: [Float]) {
    let y = conv2dForwardReference(x, weight: weight, bias: nil, stride: 1, padding: padding)
    let channels = weight.shape[3]
    let bn = batchNormForwardTrainingReference(y, gamma: Tensor(repeating: 1, shape: [channels]),
                                               beta: Tensor(zeros: [channels]))
    return (y, bn.mean, bn.variance)
}
