/// Backward of a stride-1 convolution with a square kernel and padding p < K, where one im2col
/// matrix serves both gradients.
/// x: [N, H, W, Cin], weight: [K, K, Cin, Cout], dy: [N, OH, OW, Cout] -> dx: [N, H, W, Cin],
/// dw: [K, K, Cin, Cout], db: [Cout] (if `hasBias`).
///
/// dx is the forward convolution of dy with the flipped, channel-transposed kernel `wf`
/// ([K, K, Cout, Cin]) and padding p' = K-1-p, so per chunk of images
/// `colsDy [rows, K*K*Cout] = im2col(dy)` and `dx_c = colsDy * wf` (rows = the chunk's H*W pixels).
/// The same matrix gives the weight gradient: column (a, b, co) of row (n, ih, iw) holds
/// dy[n, ih+a-p', iw+b-p', co], and with a = K-1-kh, b = K-1-kw that is the dy tap that input
/// pixel (ih, iw) meets through weight (kh, kw); hence
/// `g_c [K*K*Cout, Cin] = colsDy^T * x_c` with dw[kh, kw, ci, co] = sum_c g_c[((K-1-kh)*K + K-1-kw)*Cout + co, ci].
/// x itself is already the `[rows, Cin]` matrix (NHWC), so the backward needs one im2col instead
/// of two (im2col was 20–28 % of training time on the benchmark networks, docs/numerics.md).
/// Chunks (whole images) depend on shapes only and the per-chunk g_c are summed in chunk order,
/// so results do not depend on the thread count.
func conv2dBackwardStride1(_ x: Tensor, weight: Tensor, outputGradient dy: Tensor, padding: Int, hasBias: Bool,
                           workspaceFloats: Int, context: ComputeContext) -> Conv2dGradients {
    let g = Conv2dGeometry(input: x.shape, weight: weight.shape, stride: 1, padding: padding)
    precondition(g.kernelHeight == g.kernelWidth && padding < g.kernelHeight, "conv2dBackwardStride1 needs a square kernel and p < K")
    precondition(dy.shape == g.outputShape, "conv2d dy shape \(dy.shape) != \(g.outputShape)")
    let k = g.kernelHeight
    let wf = flippedTransposedKernel(weight)
    // The transposed convolution: dy [N, OH, OW, Cout] (*) wf -> [N, H, W, Cin].
    let t = Conv2dGeometry(input: dy.shape, weight: wf.shape, stride: 1, padding: k - 1 - padding)
    let (cin, cout, patch) = (g.inChannels, g.outChannels, t.patchSize)   // patch = K*K*Cout
    let chunk = t.imagesPerChunk(budget: workspaceFloats)
    let chunks = (g.batch + chunk - 1) / chunk
    let workers = Swift.min(context.threads, chunks)
    let slice = t.isPointwise ? 0 : chunk * t.rowsPerImage * patch
    let workspace = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(1, slice * workers))
    defer { workspace.deallocate() }
    var partialG = uninitializedSlots(chunks * patch * cin)    // every slot written by its GEMM
    var partialB = [Float](repeating: 0, count: hasBias ? chunks * cout : 0)
    let dx = Tensor(uninitializedShape: x.shape) { pdx in
        x.withUnsafePointer { px in
        dy.withUnsafePointer { pdy in
        wf.withUnsafePointer { pwf in
        partialG.withUnsafeMutableBufferPointer { pGBuf in
        partialB.withUnsafeMutableBufferPointer { pBBuf in
            // An empty array still has a non-nil base address: gate the bias slots on `hasBias`.
            let (pG, pB) = (pGBuf.baseAddress!, hasBias ? pBBuf.baseAddress : nil)
            context.forEachWorker(pieces: chunks) { worker in
                var c = worker
                while c < chunks {
                    let images = c * chunk ..< Swift.min(g.batch, (c + 1) * chunk)
                    let rows = images.count * t.rowsPerImage          // = images * H * W
                    let firstRow = images.lowerBound * t.rowsPerImage
                    let cols: UnsafePointer<Float>
                    if t.isPointwise {
                        cols = pdy + firstRow * patch
                    } else {
                        im2colNHWC(pdy, t, images: images, cols: workspace + worker * slice)
                        cols = UnsafePointer(workspace + worker * slice)
                    }
                    // dx_c [rows, Cin] = colsDy [rows, K*K*Cout] * wf [K*K*Cout, Cin]
                    sgemm(transposeA: false, transposeB: false, m: rows, n: cin, k: patch,
                          a: cols, lda: patch, b: pwf, ldb: cin, beta: 0, c: pdx + firstRow * cin, ldc: cin)
                    // g_c [K*K*Cout, Cin] = colsDy^T [K*K*Cout, rows] * x_c [rows, Cin]
                    sgemm(transposeA: true, transposeB: false, m: patch, n: cin, k: rows,
                          a: cols, lda: patch, b: px + firstRow * cin, ldb: cin, beta: 0, c: pG + c * patch * cin, ldc: cin)
                    if let pB {
                        let slot = pB + c * cout
                        let dyRows = images.count * g.rowsPerImage
                        let dyChunk = pdy + images.lowerBound * g.rowsPerImage * cout
                        for r in 0..<dyRows { for o in 0..<cout { slot[o] += dyChunk[r * cout + o] } }
                    }
                    c += workers
                }
            }
        }}}}}
    }
    let gSum = sumSlots(partialG, slots: chunks, shape: [patch, cin])
    var dw = [Float](repeating: 0, count: weight.count)
    for kh in 0..<k { for kw in 0..<k { for ci in 0..<cin { for co in 0..<cout {
        dw[((kh * k + kw) * cin + ci) * cout + co] = gSum.storage[(((k - 1 - kh) * k + (k - 1 - kw)) * cout + co) * cin + ci]
    }}}}
    return Conv2dGradients(input: dx, weight: Tensor(shape: weight.shape, storage: dw),
                           bias: hasBias ? sumSlots(partialB, slots: chunks, shape: [cout]) : nil)
}
