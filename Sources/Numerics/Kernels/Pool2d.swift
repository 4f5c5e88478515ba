/// Window geometry of a 2-D pooling over NHWC input.
public struct Pool2dGeometry: Sendable, Equatable {
    /// N, H, W, C of the input.
    public let batch: Int, height: Int, width: Int, channels: Int
    /// Square window size, stride and padding.
    public let kernel: Int, stride: Int, padding: Int
    /// Output height and width.
    public let outHeight: Int, outWidth: Int

    /// Geometry for x: [N, H, W, C].
    public init(input: [Int], kernel: Int, stride: Int, padding: Int) {
        precondition(input.count == 4, "pool2d wants [N,H,W,C], got \(input)")
        precondition(kernel >= 1 && stride >= 1 && padding >= 0 && padding * 2 <= kernel, "pool2d k \(kernel) s \(stride) p \(padding)")
        batch = input[0]; height = input[1]; width = input[2]; channels = input[3]
        self.kernel = kernel; self.stride = stride; self.padding = padding
        outHeight = (height + 2 * padding - kernel) / stride + 1
        outWidth = (width + 2 * padding - kernel) / stride + 1
        precondition(height + 2 * padding >= kernel && width + 2 * padding >= kernel,
                     "pool2d window \(kernel) larger than padded input \(input)")
    }

    /// Output shape `[N, OH, OW, C]`.
    public var outputShape: [Int] { [batch, outHeight, outWidth, channels] }

    /// Clipped input rows and columns under output pixel (oh, ow).
    @inline(__always)
    func window(_ oh: Int, _ ow: Int) -> (rows: Range<Int>, cols: Range<Int>) {
        let h0 = oh * stride - padding, w0 = ow * stride - padding
        return (Swift.max(0, h0) ..< Swift.min(height, h0 + kernel), Swift.max(0, w0) ..< Swift.min(width, w0 + kernel))
    }

    /// Divisor of an average window: all taps, or only those inside the image.
    @inline(__always)
    func divisor(_ w: (rows: Range<Int>, cols: Range<Int>), countIncludePad: Bool) -> Float {
        countIncludePad ? Float(kernel * kernel) : Float(w.rows.count * w.cols.count)
    }
}

/// Average pooling. x: [N, H, W, C] -> y: [N, OH, OW, C].
/// `countIncludePad: false` divides by the number of in-image taps (NAS-Bench-201's
/// `AvgPool2d(3, 1, 1, count_include_pad=False)`); images are processed in parallel.
public func avgPool2dForward(_ x: Tensor, kernel: Int, stride: Int, padding: Int, countIncludePad: Bool = false,
                             context: ComputeContext) -> Tensor {
    let g = Pool2dGeometry(input: x.shape, kernel: kernel, stride: stride, padding: padding)
    let c = g.channels
    return Tensor(uninitializedShape: g.outputShape) { y in
        x.withUnsafePointer { px in
            context.parallelRanges(g.batch, minimumPerWorker: 1) { images in
                for n in images {
                    let image = px + n * g.height * g.width * c
                    for oh in 0..<g.outHeight {
                        for ow in 0..<g.outWidth {
                            let out = y + ((n * g.outHeight + oh) * g.outWidth + ow) * c
                            let w = g.window(oh, ow)
                            let inv = 1 / g.divisor(w, countIncludePad: countIncludePad)
                            var ch = 0
                            while ch + 8 <= c {        // register accumulator per 8 channels
                                var sum = SIMD8<Float>()
                                for ih in w.rows { for iw in w.cols { sum += load8(image + (ih * g.width + iw) * c + ch) } }
                                store8(sum * inv, out + ch)
                                ch += 8
                            }
                            for rest in ch..<c {
                                var sum: Float = 0
                                for ih in w.rows { for iw in w.cols { sum += image[(ih * g.width + iw) * c + rest] } }
                                out[rest] = sum * inv
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Backward of `avgPool2dForward`. dy: [N, OH, OW, C] -> dx: inputShape [N, H, W, C]; each output
/// gradient is spread evenly over the taps it averaged.
public func avgPool2dBackward(outputGradient dy: Tensor, inputShape: [Int], kernel: Int, stride: Int, padding: Int,
                              countIncludePad: Bool = false, context: ComputeContext) -> Tensor {
    let g = Pool2dGeometry(input: inputShape, kernel: kernel, stride: stride, padding: padding)
    precondition(dy.shape == g.outputShape, "avgpool dy shape \(dy.shape) != \(g.outputShape)")
    let c = g.channels
    var dx = Tensor(zeros: inputShape)
    dx.withUnsafeMutablePointer { pdx in
        dy.withUnsafePointer { pdy in
            context.parallelRanges(g.batch, minimumPerWorker: 1) { images in
                for n in images {
                    let image = pdx + n * g.height * g.width * c
                    for oh in 0..<g.outHeight {
                        for ow in 0..<g.outWidth {
                            let grad = pdy + ((n * g.outHeight + oh) * g.outWidth + ow) * c
                            let w = g.window(oh, ow)
                            let inv = 1 / g.divisor(w, countIncludePad: countIncludePad)
                            for ih in w.rows { for iw in w.cols {
                                let dst = image + (ih * g.width + iw) * c
                                var ch = 0
                                while ch + 8 <= c {
                                    store8(load8(dst + ch) + load8(grad + ch) * inv, dst + ch)
                                    ch += 8
                                }
                                for rest in ch..<c { dst[rest] += grad[rest] * inv }
                            }}
                        }
                    }
                }
            }
        }
    }
    return dx
}

/// Max pooling; padding never wins (it acts as -infinity). x: [N, H, W, C] ->
/// y: [N, OH, OW, C] and `argmax` (one Int32 per output element: the winning input pixel
/// `ih * W + iw` within its image; the first maximum in scan order wins ties, as in PyTorch).
public func maxPool2dForward(_ x: Tensor, kernel: Int, stride: Int, padding: Int,
                             context: ComputeContext) -> (output: Tensor, argmax: [Int32]) {
    let g = Pool2dGeometry(input: x.shape, kernel: kernel, stride: stride, padding: padding)
    let c = g.channels
    var argmax = [Int32](repeating: 0, count: Tensor.elementCount(g.outputShape))
    let y = Tensor(uninitializedShape: g.outputShape) { y in
        x.withUnsafePointer { px in
            argmax.withUnsafeMutableBufferPointer { idxBuf in
                let idx = idxBuf.baseAddress!
                context.parallelRanges(g.batch, minimumPerWorker: 1) { images in
                    for n in images {
                        let image = px + n * g.height * g.width * c
                        for oh in 0..<g.outHeight {
                            for ow in 0..<g.outWidth {
                                let o = ((n * g.outHeight + oh) * g.outWidth + ow) * c
                                let w = g.window(oh, ow)
                                let first = Int32(w.rows.lowerBound * g.width + w.cols.lowerBound)
                                let src0 = image + Int(first) * c
                                for ch in 0..<c { y[o + ch] = src0[ch]; idx[o + ch] = first }
                                for ih in w.rows { for iw in w.cols {
                                    let p = Int32(ih * g.width + iw)
                                    let src = image + Int(p) * c
                                    for ch in 0..<c {
                                        // Branch-free update: a data-dependent branch mispredicts constantly.
                                        let (v, best) = (src[ch], y[o + ch])
                                        y[o + ch] = v > best ? v : best
                                        idx[o + ch] = v > best ? p : idx[o + ch]
                                    }
                                }}
                            }
                        }
                    }
                }
            }
        }
    }
    return (y, argmax)
}

/// Backward of `maxPool2dForward`. dy: [N, OH, OW, C], argmax from the forward ->
/// dx: inputShape [N, H, W, C]; each output gradient goes to its winning input.
public func maxPool2dBackward(outputGradient dy: Tensor, argmax: [Int32], inputShape: [Int],
                              context: ComputeContext) -> Tensor {
    precondition(argmax.count == dy.count && dy.rank == 4, "maxpool argmax/dy mismatch")
    let (n, oh, ow, c) = (dy.shape[0], dy.shape[1], dy.shape[2], dy.shape[3])
    let pixels = inputShape[1] * inputShape[2]
    var dx = Tensor(zeros: inputShape)
    dx.withUnsafeMutablePointer { pdx in
        dy.withUnsafePointer { pdy in
            argmax.withUnsafeBufferPointer { idx in
                context.parallelRanges(n, minimumPerWorker: 1) { images in
                    for b in images {
                        let image = pdx + b * pixels * c
                        for o in b * oh * ow ..< (b + 1) * oh * ow {
                            for ch in 0..<c { image[Int(idx[o * c + ch]) * c + ch] += pdy[o * c + ch] }
                        }
                    }
                }
            }
        }
    }
    return dx
}
