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
                            // 16 channels per register where they fit: 1.5x faster than 8 at C = 16
                            // (docs/numerics.md, "Session 6"); lanes are independent, so same bits.
                            while ch + 16 <= c {
                                var sum = SIMD16<Float>()
                                for ih in w.rows { for iw in w.cols { sum += load16(image + (ih * g.width + iw) * c + ch) } }
                                store16(sum * inv, out + ch)
                                ch += 16
                            }
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
///
/// Computed as a gather: every input pixel sums, in raster order of the outputs, the scaled
/// gradients of the outputs whose window covers it, and is written once. That is the order in
/// which the scatter formulation (`avgPool2dBackwardReference`, zero-filled dx, += per tap)
/// adds them, so the bits are the same, without the zero fill and the read-modify-write per
/// tap (1.5x faster at C = 16; docs/numerics.md, "Session 6").
public func avgPool2dBackward(outputGradient dy: Tensor, inputShape: [Int], kernel: Int, stride: Int, padding: Int,
                              countIncludePad: Bool = false, context: ComputeContext) -> Tensor {
    let g = Pool2dGeometry(input: inputShape, kernel: kernel, stride: stride, padding: padding)
    precondition(dy.shape == g.outputShape, "avgpool dy shape \(dy.shape) != \(g.outputShape)")
    let c = g.channels
    // 1 / divisor of every output pixel (the same for every image).
    var inverse = [Float](repeating: 0, count: g.outHeight * g.outWidth)
    for oh in 0..<g.outHeight { for ow in 0..<g.outWidth {
        inverse[oh * g.outWidth + ow] = 1 / g.divisor(g.window(oh, ow), countIncludePad: countIncludePad)
    }}
    return Tensor(uninitializedShape: inputShape) { pdx in
        dy.withUnsafePointer { pdy in
            inverse.withUnsafeBufferPointer { inv in
                context.parallelRanges(g.batch, minimumPerWorker: 1) { images in
                    for n in images {
                        let image = pdx + n * g.height * g.width * c
                        let grads = pdy + n * g.outHeight * g.outWidth * c
                        for ih in 0..<g.height {
                            let rows = g.coveringOutputs(ih, outputs: g.outHeight)
                            for iw in 0..<g.width {
                                let cols = g.coveringOutputs(iw, outputs: g.outWidth)
                                let dst = image + (ih * g.width + iw) * c
                                var ch = 0
                                while ch + 16 <= c {
                                    var sum = SIMD16<Float>()
                                    for oh in rows { for ow in cols {
                                        sum += load16(grads + (oh * g.outWidth + ow) * c + ch) * inv[oh * g.outWidth + ow]
                                    }}
                                    store16(sum, dst + ch)
                                    ch += 16
                                }
                                while ch + 8 <= c {
                                    var sum = SIMD8<Float>()
                                    for oh in rows { for ow in cols {
                                        sum += load8(grads + (oh * g.outWidth + ow) * c + ch) * inv[oh * g.outWidth + ow]
                                    }}
                                    store8(sum, dst + ch)
                                    ch += 8
                                }
                                for rest in ch..<c {
                                    var sum: Float = 0
                                    for oh in rows { for ow in cols {
                                        sum += grads[(oh * g.outWidth + ow) * c + rest] * inv[oh * g.outWidth + ow]
                                    }}
                                    dst[rest] = sum
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension Pool2dGeometry {
    /// Output rows (or columns) whose window covers input row (or column) `i`: those o with
    /// o*stride - padding <= i <= o*stride - padding + kernel - 1, within 0..<outputs (may be empty).
    @inline(__always)
    func coveringOutputs(_ i: Int, outputs: Int) -> Range<Int> {
        let first = i + padding - kernel + 1
        let lo = first <= 0 ? 0 : (first + stride - 1) / stride
        let hi = Swift.min(outputs - 1, (i + padding) / stride)
        return lo ..< Swift.max(lo, hi + 1)
    }
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
