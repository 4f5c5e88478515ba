/// Naive reference for `conv2dForward`: the defining seven-loop sum, accumulated in Double.
/// x: [N, H, W, Cin], weight: [KH, KW, Cin, Cout], bias: [Cout]? -> y: [N, OH, OW, Cout]
public func conv2dForwardReference(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) -> Tensor {
    let g = Conv2dGeometry(input: x.shape, weight: weight.shape, stride: stride, padding: padding)
    var y = Tensor(zeros: g.outputShape)
    for n in 0..<g.batch {
        for oh in 0..<g.outHeight {
            for ow in 0..<g.outWidth {
                for co in 0..<g.outChannels {
                    var sum = Double(bias?.storage[co] ?? 0)
                    for kh in 0..<g.kernelHeight {
                        for kw in 0..<g.kernelWidth {
                            let ih = oh * stride - padding + kh, iw = ow * stride - padding + kw
                            if ih < 0 || ih >= g.height || iw < 0 || iw >= g.width { continue }
                            for ci in 0..<g.inChannels {
                                let xv = x.storage[((n * g.height + ih) * g.width + iw) * g.inChannels + ci]
                                let wv = weight.storage[((kh * g.kernelWidth + kw) * g.inChannels + ci) * g.outChannels + co]
                                sum += Double(xv) * Double(wv)
                            }
                        }
                    }
                    y.storage[((n * g.outHeight + oh) * g.outWidth + ow) * g.outChannels + co] = Float(sum)
                }
            }
        }
    }
    return y
}

/// Naive reference for `conv2dBackward`: scatters every output gradient back along the same
/// loops as the forward reference, accumulating in Double.
/// -> dx: [N, H, W, Cin], dw: [KH, KW, Cin, Cout], db: [Cout]
public func conv2dBackwardReference(_ x: Tensor, weight: Tensor, outputGradient dy: Tensor,
                                    stride: Int = 1, padding: Int = 0) -> (input: Tensor, weight: Tensor, bias: Tensor) {
    let g = Conv2dGeometry(input: x.shape, weight: weight.shape, stride: stride, padding: padding)
    var dx = [Double](repeating: 0, count: x.count)
    var dw = [Double](repeating: 0, count: weight.count)
    var db = [Double](repeating: 0, count: g.outChannels)
    for n in 0..<g.batch {
        for oh in 0..<g.outHeight {
            for ow in 0..<g.outWidth {
                for co in 0..<g.outChannels {
                    let d = Double(dy.storage[((n * g.outHeight + oh) * g.outWidth + ow) * g.outChannels + co])
                    db[co] += d
                    for kh in 0..<g.kernelHeight {
                        for kw in 0..<g.kernelWidth {
                            let ih = oh * stride - padding + kh, iw = ow * stride - padding + kw
                            if ih < 0 || ih >= g.height || iw < 0 || iw >= g.width { continue }
                            for ci in 0..<g.inChannels {
                                let xi = ((n * g.height + ih) * g.width + iw) * g.inChannels + ci
                                let wi = ((kh * g.kernelWidth + kw) * g.inChannels + ci) * g.outChannels + co
                                dx[xi] += d * Double(weight.storage[wi])
                                dw[wi] += d * Double(x.storage[xi])
                            }
                        }
                    }
                }
            }
        }
    }
    return (Tensor(shape: x.shape, storage: dx.map(Float.init)),
            Tensor(shape: weight.shape, storage: dw.map(Float.init)),
            Tensor(shape: [g.outChannels], storage: db.map(Float.init)))
}
