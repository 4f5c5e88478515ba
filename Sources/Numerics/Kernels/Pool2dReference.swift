/// Naive reference for `avgPool2dForward`: loops over the full window, testing each tap.
public func avgPool2dForwardReference(_ x: Tensor, kernel: Int, stride: Int, padding: Int,
                                      countIncludePad: Bool = false) -> Tensor {
    let g = Pool2dGeometry(input: x.shape, kernel: kernel, stride: stride, padding: padding)
    var y = Tensor(zeros: g.outputShape)
    for n in 0..<g.batch { for oh in 0..<g.outHeight { for ow in 0..<g.outWidth { for c in 0..<g.channels {
        var sum = 0.0, taps = 0
        for kh in 0..<kernel { for kw in 0..<kernel {
            let ih = oh * stride - padding + kh, iw = ow * stride - padding + kw
            guard ih >= 0, ih < g.height, iw >= 0, iw < g.width else { continue }
            sum += Double(x.storage[((n * g.height + ih) * g.width + iw) * g.channels + c]); taps += 1
        }}
        let divisor = countIncludePad ? kernel * kernel : taps
        y.storage[((n * g.outHeight + oh) * g.outWidth + ow) * g.channels + c] = Float(sum / Double(divisor))
    }}}}
    return y
}

/// Naive reference for `maxPool2dForward` (values only).
public func maxPool2dForwardReference(_ x: Tensor, kernel: Int, stride: Int, padding: Int) -> Tensor {
    let g = Pool2dGeometry(input: x.shape, kernel: kernel, stride: stride, padding: padding)
    var y = Tensor(zeros: g.outputShape)
    for n in 0..<g.batch { for oh in 0..<g.outHeight { for ow in 0..<g.outWidth { for c in 0..<g.channels {
        var best = -Float.infinity
        for kh in 0..<kernel { for kw in 0..<kernel {
            let ih = oh * stride - padding + kh, iw = ow * stride - padding + kw
            guard ih >= 0, ih < g.height, iw >= 0, iw < g.width else { continue }
            best = Swift.max(best, x.storage[((n * g.height + ih) * g.width + iw) * g.channels + c])
        }}
        y.storage[((n * g.outHeight + oh) * g.outWidth + ow) * g.channels + c] = best
    }}}}
    return y
}

/// Naive reference for `avgPool2dBackward`, as a scatter: dx starts at zero and every output
/// gradient, times 1 / divisor, is added to each in-image tap of its window, outputs in raster
/// order. Float arithmetic in that order, so the gather kernel must match it bit for bit.
public func avgPool2dBackwardReference(outputGradient dy: Tensor, inputShape: [Int], kernel: Int, stride: Int,
                                       padding: Int, countIncludePad: Bool = false) -> Tensor {
    let g = Pool2dGeometry(input: inputShape, kernel: kernel, stride: stride, padding: padding)
    var dx = Tensor(zeros: inputShape)
    for n in 0..<g.batch { for oh in 0..<g.outHeight { for ow in 0..<g.outWidth {
        var taps = 0
        for kh in 0..<kernel { for kw in 0..<kernel {
            let ih = oh * stride - padding + kh, iw = ow * stride - padding + kw
            if ih >= 0, ih < g.height, iw >= 0, iw < g.width { taps += 1 }
        }}
        let inv = 1 / Float(countIncludePad ? kernel * kernel : taps)
        for kh in 0..<kernel { for kw in 0..<kernel {
            let ih = oh * stride - padding + kh, iw = ow * stride - padding + kw
            guard ih >= 0, ih < g.height, iw >= 0, iw < g.width else { continue }
            for c in 0..<g.channels {
                dx.storage[((n * g.height + ih) * g.width + iw) * g.channels + c] +=
                    dy.storage[((n * g.outHeight + oh) * g.outWidth + ow) * g.channels + c] * inv
            }
        }}
    }}}
    return dx
}
