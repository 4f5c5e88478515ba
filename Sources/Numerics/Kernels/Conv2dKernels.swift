/// Gradients returned by `conv2dBackward`.
public struct Conv2dGradients: Sendable {
    /// dL/dx, `[N, H, W, Cin]`; nil when not requested.
    public var input: Tensor?
    /// dL/dw, `[KH, KW, Cin, Cout]`.
    public var weight: Tensor
    /// dL/db, `[Cout]`; nil when the convolution has no bias.
    public var bias: Tensor?
}

/// 2-D convolution (cross-correlation, as in PyTorch), NHWC.
/// x: [N, H, W, Cin], weight: [KH, KW, Cin, Cout], bias: [Cout]? -> y: [N, OH, OW, Cout]
/// with OH = (H + 2p - KH) / s + 1.
///
/// The batch is cut into chunks of whole images (`Conv2dGeometry.imagesPerChunk`); for each chunk
/// a worker builds the im2col matrix `[rows, KH*KW*Cin]` and issues one GEMM with the weight
/// viewed as `[KH*KW*Cin, Cout]`, writing the chunk's output rows `[rows, Cout]` in place (NHWC
/// output is exactly that matrix). A 1x1 stride-1 convolution skips im2col: the NHWC input is
/// already the `[N*H*W, Cin]` matrix. 3x3 stride-1 padding-1 shapes with Cout % 16 == 0 run the
/// direct kernel instead (`conv2dDirect3x3`, selected by `usesDirect3x3`).
public func conv2dForward(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                          context: ComputeContext) -> Tensor {
    conv2dForward(x, weight: weight, bias: bias, stride: stride, padding: padding,
                  workspaceFloats: Conv2dGeometry.workspaceFloats, context: context)
}

/// `conv2dForward` with an explicit chunk budget (tests use a tiny one to exercise chunking).
func conv2dForward(_ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int, workspaceFloats: Int,
                   context: ComputeContext) -> Tensor {
    let g = Conv2dGeometry(input: x.shape, weight: weight.shape, stride: stride, padding: padding)
    if let bias { precondition(bias.shape == [g.outChannels], "conv2d bias shape \(bias.shape)") }
    if usesDirect3x3(g) {
        // No im2col, no BLAS packing (the NB201 cell convolutions at 28x28 and 14x14).
        var y = conv2dDirect3x3(x, weight: weight, context: context)
        if let bias { addBiasRows(&y, bias) }
        return y
    }
    let (patch, cout, chunk) = (g.patchSize, g.outChannels, g.imagesPerChunk(budget: workspaceFloats))
    let chunks = (g.batch + chunk - 1) / chunk
    let workers = Swift.min(context.threads, chunks)
    let slice = g.isPointwise ? 0 : chunk * g.rowsPerImage * patch
    // One im2col slice per worker, allocated here on the calling thread (see AllocatorTuning).
    let workspace = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(1, slice * workers))
    defer { workspace.deallocate() }
    let biasValues = bias?.storage ?? []
    return Tensor(uninitializedShape: g.outputShape) { y in
        x.withUnsafePointer { px in
          weight.withUnsafePointer { pw in
            biasValues.withUnsafeBufferPointer { pbias in
                context.forEachWorker(pieces: chunks) { worker in
                    var c = worker
                    while c < chunks {
                        let images = c * chunk ..< Swift.min(g.batch, (c + 1) * chunk)
                        let rows = images.count * g.rowsPerImage
                        let firstRow = images.lowerBound * g.rowsPerImage
                        let a: UnsafePointer<Float>
                        if g.isPointwise {
                            a = px + firstRow * patch
                        } else {
                            im2colNHWC(px, g, images: images, cols: workspace + worker * slice)
                            a = UnsafePointer(workspace + worker * slice)
                        }
                        // y_c [rows, Cout] = cols [rows, patch] * w [patch, Cout], straight into the
                        // NHWC output. With OpenBLAS's AVX-512 kernels this orientation is 1.4x
                        // faster than yT = w^T * cols^T and needs no transpose afterwards
                        // (docs/numerics.md, "Convolution").
                        let out = y + firstRow * cout
                        sgemm(transposeA: false, transposeB: false, m: rows, n: cout, k: patch,
                              a: a, lda: patch, b: pw, ldb: cout, beta: 0, c: out, ldc: cout)
                        if bias != nil {
                            // An empty array still has a non-nil base address: gated on `bias`.
                            for r in 0..<rows { for o in 0..<cout { out[r * cout + o] += pbias[o] } }
                        }
                        c += workers
                    }
                }
            }
          }
        }
    }
}

/// How `conv2dBackward` organises a stride-1 backward that needs dx. Both give the same
/// gradients up to float rounding; the choice is the caller's (explicit, so that no hidden rule
/// changes bits), and only speed depends on it. It does not apply where the direct 3x3 kernels
/// compute dx (`usesDirect3x3` of the transposed convolution): that selection is a rule on the
/// shapes alone.
public enum Conv2dBackwardMethod: Sendable {
    /// One im2col of dy serves dx (transposed convolution) and dw (`conv2dBackwardStride1`)
    /// whenever stride is 1, the kernel square and p < K; else `inputIm2col`. Best when
    /// Cout <= Cin: the dy matrix has K*K*Cout columns and both GEMMs have n = Cin.
    case automatic
    /// Always im2col of x: dw_c = cols^T * dy_c and dcols = dy_c * w^T + col2im. Best when
    /// Cout > Cin (fused edge groups, Cout = k*Cin): the GEMMs have n = Cout and K*K*Cin,
    /// measured 1.2-1.4x faster per FLOP than the stride-1 path's n = Cin GEMMs at k = 3
    /// (docs/numerics.md, "Fused convolution edges").
    case inputIm2col
}

/// Backward of `conv2dForward`.
/// x: [N, H, W, Cin], weight: [KH, KW, Cin, Cout], dy: [N, OH, OW, Cout]
/// -> dx: [N, H, W, Cin] (if `computeInputGradient`), dw: [KH, KW, Cin, Cout], db: [Cout] (if `hasBias`).
///
/// Stride 1 with a square kernel and p < K (every NB201 cell conv), when dx is wanted and
/// `method` is `.automatic`: `conv2dBackwardStride1`, where dx is the transposed convolution of
/// dy and the same im2col of dy also yields dw. Otherwise: dw per chunk,
/// dw_c [patch, Cout] = cols^T * dy_c, already in HWIO order; dx as dcols = dy_c * w^T followed
/// by col2im. Each chunk's dw lands in its own slot and the slots are summed in chunk order, so
/// the result does not depend on the thread count.
public func conv2dBackward(_ x: Tensor, weight: Tensor, outputGradient dy: Tensor, stride: Int = 1, padding: Int = 0,
                           hasBias: Bool = false, computeInputGradient: Bool = true,
                           method: Conv2dBackwardMethod = .automatic, context: ComputeContext) -> Conv2dGradients {
    conv2dBackward(x, weight: weight, outputGradient: dy, stride: stride, padding: padding, hasBias: hasBias,
                   computeInputGradient: computeInputGradient, method: method,
                   workspaceFloats: Conv2dGeometry.workspaceFloats, context: context)
}

/// `conv2dBackward` with an explicit chunk budget (tests use a tiny one to exercise chunking).
func conv2dBackward(_ x: Tensor, weight: Tensor, outputGradient dy: Tensor, stride: Int, padding: Int,
                    hasBias: Bool, computeInputGradient: Bool, method: Conv2dBackwardMethod = .automatic,
                    workspaceFloats: Int, context: ComputeContext) -> Conv2dGradients {
    let g = Conv2dGeometry(input: x.shape, weight: weight.shape, stride: stride, padding: padding)
    precondition(dy.shape == g.outputShape, "conv2d dy shape \(dy.shape) != \(g.outputShape)")
    let (patch, cout, chunk) = (g.patchSize, g.outChannels, g.imagesPerChunk(budget: workspaceFloats))
    let chunks = (g.batch + chunk - 1) / chunk
    if computeInputGradient && g.kernelHeight == 3 && g.kernelWidth == 3 && stride == 1 && padding == 1 {
        // dx is the forward convolution of dy with the flipped, channel-transposed kernel
        // (padding K-1-p = 1); when that one is a direct 3x3 (Cin % 16 == 0, W >= 8) it replaces
        // the dcols GEMM + col2im (or the dy im2col). dw then comes from the direct weight
        // gradient when it applies (no bias; Cin % 8 == 0), else from the input-im2col GEMMs.
        // Decided from the shapes (the flipped kernel is [3, 3, Cout, Cin]), so the flip is only
        // paid when the direct kernel runs: the other paths flip it themselves if they need it.
        let t = Conv2dGeometry(input: dy.shape, weight: [3, 3, cout, g.inChannels], stride: 1, padding: 1)
        if usesDirect3x3(t) {
            let dx = conv2dDirect3x3(dy, weight: flippedTransposedKernel(weight), context: context)
            if !hasBias && usesDirect3x3WeightGradient(g) {   // no im2col at all
                let dw = conv2dDirect3x3WeightGradient(x, outputGradient: dy, outChannels: cout,
                                                       workspaceFloats: workspaceFloats, context: context)
                return Conv2dGradients(input: dx, weight: dw, bias: nil)
            }
            var rest = conv2dBackward(x, weight: weight, outputGradient: dy, stride: 1, padding: 1, hasBias: hasBias,
                                      computeInputGradient: false, workspaceFloats: workspaceFloats, context: context)
            rest.input = dx
            return rest
        }
    }
    if method == .automatic && computeInputGradient && stride == 1 && g.kernelHeight == g.kernelWidth
        && padding < g.kernelHeight {
        // One im2col (of dy) serves dx and dw.
        return conv2dBackwardStride1(x, weight: weight, outputGradient: dy, padding: padding, hasBias: hasBias,
                                     workspaceFloats: workspaceFloats, context: context)
    }
    // Not zero-filled here: each worker zeroes its chunk's images just before col2im adds into
    // them, while they are cache-resident (a separate fill pass streamed the whole tensor), and
    // the pointwise GEMM overwrites its rows. Chunks cover every image.
    var dx: Tensor? = computeInputGradient ? Tensor(uninitializedShape: x.shape) { _ in } : nil
    let scatter = computeInputGradient
    var partialW = uninitializedSlots(chunks * patch * cout)   // every slot written by its GEMM
    var partialB = [Float](repeating: 0, count: hasBias ? chunks * cout : 0)
    let workers = Swift.min(context.threads, chunks)
    // Per-worker im2col (and dcols) slices, allocated here on the calling thread.
    let slice = g.isPointwise ? 0 : chunk * g.rowsPerImage * patch
    let colsSpace = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(1, slice * workers))
    let dcolsSpace = UnsafeMutablePointer<Float>.allocate(capacity: scatter ? Swift.max(1, slice * workers) : 1)
    defer { colsSpace.deallocate(); dcolsSpace.deallocate() }
    x.withUnsafePointer { px in
    weight.withUnsafePointer { pw in
    dy.withUnsafePointer { pdy in
    partialW.withUnsafeMutableBufferPointer { pWBuf in
    partialB.withUnsafeMutableBufferPointer { pBBuf in
    withOptionalMutablePointer(&dx) { pdxAll in
        // An empty array still has a non-nil base address: gate the bias slots on `hasBias`.
        let (pW, pB) = (pWBuf.baseAddress!, hasBias ? pBBuf.baseAddress : nil)
        let pdx = scatter ? pdxAll : nil
        context.forEachWorker(pieces: chunks) { worker in
            let cols: UnsafeMutablePointer<Float>? = g.isPointwise ? nil : colsSpace + worker * slice
            let dcols: UnsafeMutablePointer<Float>? = (g.isPointwise || pdx == nil) ? nil : dcolsSpace + worker * slice
            var c = worker
            while c < chunks {
                let images = c * chunk ..< Swift.min(g.batch, (c + 1) * chunk)
                let rows = images.count * g.rowsPerImage
                let firstRow = images.lowerBound * g.rowsPerImage
                let dyChunk = pdy + firstRow * cout
                let a: UnsafePointer<Float>
                if let cols {
                    im2colNHWC(px, g, images: images, cols: cols)
                    a = UnsafePointer(cols)
                } else {
                    a = px + firstRow * patch
                }
                // dw_c [patch, Cout] = cols^T [patch, rows] * dy_c [rows, Cout]
                sgemm(transposeA: true, transposeB: false, m: patch, n: cout, k: rows,
                      a: a, lda: patch, b: dyChunk, ldb: cout, beta: 0, c: pW + c * patch * cout, ldc: cout)
                if let pB {
                    let slot = pB + c * cout
                    for r in 0..<rows { for o in 0..<cout { slot[o] += dyChunk[r * cout + o] } }
                }
                if let pdx {
                    // dcols [rows, patch] = dy_c [rows, Cout] * w^T [Cout, patch]
                    let target = dcols ?? (pdx + firstRow * patch)
                    sgemm(transposeA: false, transposeB: true, m: rows, n: patch, k: cout,
                          a: dyChunk, lda: cout, b: pw, ldb: cout, beta: 0, c: target, ldc: patch)
                    if let dcols {
                        let imageFloats = g.height * g.width * g.inChannels
                        zeroFloats(pdx + images.lowerBound * imageFloats, images.count * imageFloats)
                        col2imNHWC(dcols, g, images: images, dx: pdx)
                    }
                }
                c += workers
            }
        }
    }}}}}}
    return Conv2dGradients(input: dx, weight: sumSlots(partialW, slots: chunks, shape: weight.shape),
                           bias: hasBias ? sumSlots(partialB, slots: chunks, shape: [cout]) : nil)
}

/// y[r, c] += bias[c] for every row r of y: [..., C] (serial: only convolutions with a bias,
/// i.e. no NB201 cell convolution, reach it).
func addBiasRows(_ y: inout Tensor, _ bias: Tensor) {
    let (cout, rows) = (bias.count, y.count / Swift.max(1, bias.count))
    y.withUnsafeMutablePointer { py in
        for r in 0..<rows { for o in 0..<cout { py[r * cout + o] += bias.storage[o] } }
    }
}

/// The kernel of the transposed (input-gradient) convolution:
/// w: [KH, KW, Cin, Cout] -> wf: [KH, KW, Cout, Cin] with wf[kh, kw, co, ci] = w[KH-1-kh, KW-1-kw, ci, co].
func flippedTransposedKernel(_ w: Tensor) -> Tensor {
    let (kh, kw, cin, cout) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
    var out = [Float](repeating: 0, count: w.count)
    for i in 0..<kh { for j in 0..<kw { for ci in 0..<cin { for co in 0..<cout {
        out[((i * kw + j) * cout + co) * cin + ci] = w.storage[(((kh - 1 - i) * kw + (kw - 1 - j)) * cin + ci) * cout + co]
    }}}}
    return Tensor(shape: [kh, kw, cout, cin], storage: out)
}

/// Sums `slots` equally sized partial results stored back to back, in slot order.
func sumSlots(_ partial: [Float], slots: Int, shape: [Int]) -> Tensor {
    let size = Tensor.elementCount(shape)
    var total = [Float](repeating: 0, count: size)
    partial.withUnsafeBufferPointer { src in
        total.withUnsafeMutableBufferPointer { dst in
            let out = dst.baseAddress!
            for s in 0..<slots {
                // Slot by slot, so each element's sum keeps its order; 8 wide because the scalar
                // loop over two raw pointers does not vectorise (1 % of a config (c) run).
                let slot = src.baseAddress! + s * size
                var i = 0
                while i + 8 <= size { store8(load8(out + i) + load8(slot + i), out + i); i += 8 }
                while i < size { out[i] += slot[i]; i += 1 }
            }
        }
    }
    return Tensor(shape: shape, storage: total)
}

/// `count` floats for per-chunk GEMM results that the GEMMs (beta = 0) overwrite completely, so
/// they are not zero-filled first (the fill was 2.5 % of training time on config (a)).
func uninitializedSlots(_ count: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}

/// Calls `body` with a mutable pointer into `tensor`'s storage, or nil when there is no tensor.
func withOptionalMutablePointer<R>(_ tensor: inout Tensor?, _ body: (UnsafeMutablePointer<Float>?) -> R) -> R {
    if tensor == nil { return body(nil) }
    return tensor!.withUnsafeMutablePointer { body($0) }
}
