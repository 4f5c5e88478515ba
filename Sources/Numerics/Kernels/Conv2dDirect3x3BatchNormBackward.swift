/// Backward of a direct 3x3 convolution followed by a training-mode batch norm, with the batch
/// norm's input-gradient pass done image by image inside the convolution's backward.
///
/// Why: unfused, the batch norm's pass 2 (`batchNormBackwardApply`) streams the convolution
/// output and dy and writes dConv (the gradient at the convolution's output) over the whole
/// batch; then the direct dx kernel reads dConv again (copying each image into a zero-bordered
/// buffer) and the direct weight gradient reads it a third time. At config (c) stage 1 that is a
/// 19 MiB tensor written once and read twice more per fused group (docs/numerics.md, "Session
/// 8"). Here each worker computes one image of dConv straight into its zero-bordered buffer
/// (the copy the dx kernel makes anyway), runs the dx tiles on it, then the weight-gradient
/// tiles read dy from that same, cache-resident buffer: dConv never exists as a tensor.
///
/// Bits: every dConv element is `batchNormBackwardApplyRows`' three operations, every dx element
/// `direct3x3Image`'s chain, and dw uses `conv2dDirect3x3WeightGradient`'s chunks, per-chunk
/// chains in image and pixel order and chunk-order sum. So the result is bit-identical to
/// `batchNormBackwardInPlace` followed by `conv2dBackward` (which takes the direct dx and dw
/// paths for these shapes), for any thread count.

/// Whether `conv2dDirect3x3BackwardThroughBatchNorm` handles a bias-free 3x3 stride-1 padding-1
/// convolution of input `[N, H, W, Cin]` and weight `[3, 3, Cin, Cout]` (shapes only): exactly
/// when `conv2dBackward` would take the direct dx kernel (the transposed convolution is a direct
/// 3x3: Cin % 16 == 0 and a tileable width) and the direct weight gradient.
func usesDirect3x3BackwardThroughBatchNorm(input: [Int], weight: [Int], stride: Int, padding: Int) -> Bool {
    guard input.count == 4 && weight.count == 4 && weight[0] == 3 && weight[1] == 3 && stride == 1 && padding == 1
    else { return false }
    let g = Conv2dGeometry(input: input, weight: weight, stride: 1, padding: 1)
    let t = Conv2dGeometry(input: g.outputShape, weight: [3, 3, g.outChannels, g.inChannels], stride: 1, padding: 1)
    return usesDirect3x3(t) && usesDirect3x3WeightGradient(g)
}

/// x: [N, H, W, Cin], weight: [3, 3, Cin, Cout], convOutput: the forward's [N, H, W, Cout]
/// (before the batch norm), dy blocks tiling Cout (the batch norm's output gradient), map: pass 1
/// of the batch-norm backward (`batchNormBackwardCoefficients`) -> dx: [N, H, W, Cin],
/// dw: [3, 3, Cin, Cout], no bias (`usesDirect3x3BackwardThroughBatchNorm`; reference:
/// `conv2dBackwardThroughBatchNormReference`). `workspaceFloats` sets dw's chunking, as in
/// `conv2dDirect3x3WeightGradient`. With `rectifiesInput` the convolution's input is ReLU(x),
/// applied as x is copied for the weight gradient (bit-identical to passing `reluForward(x)`;
/// dx is then dL/dReLU(x)).
func conv2dDirect3x3BackwardThroughBatchNorm(_ x: Tensor, weight: Tensor, rectifiesInput: Bool = false, convOutput: Tensor,
                                             outputGradientBlocks blocks: [Tensor], map: BatchNormBackwardMap,
                                             workspaceFloats: Int, context: ComputeContext) -> Conv2dGradients {
    precondition(usesDirect3x3BackwardThroughBatchNorm(input: x.shape, weight: weight.shape, stride: 1, padding: 1),
                 "conv2dDirect3x3BackwardThroughBatchNorm does not handle \(x.shape) * \(weight.shape)")
    let g = Conv2dGeometry(input: x.shape, weight: weight.shape, stride: 1, padding: 1)
    let (h, w, cin, cout) = (g.height, g.width, g.inChannels, g.outChannels)
    let lead = Array(g.outputShape.dropLast())
    precondition(convOutput.shape == g.outputShape && map.k1.count == cout
                 && blocks.allSatisfy { Array($0.shape.dropLast()) == lead }
                 && blocks.map { $0.shape.last ?? 1 }.reduce(0, +) == cout,
                 "batch-norm backward blocks \(blocks.map(\.shape)) do not tile \(convOutput.shape)")
    let wf = flippedTransposedKernel(weight)   // [3, 3, Cout, Cin]: dx is dConv (*) wf
    let size = 9 * cin * cout
    let chunk = direct3x3WeightChunkImages(g, workspaceFloats: workspaceFloats)
    let chunks = (g.batch + chunk - 1) / chunk
    let workers = Swift.min(context.threads, chunks)
    let (xRowStride, dRowStride) = ((w + 2) * cin, (w + 2) * cout)
    let (xPadded, dPadded) = ((h + 2) * xRowStride, (h + 2) * dRowStride)
    // Per worker: zero-bordered x and dConv images, allocated on the calling thread (see
    // AllocatorTuning) and zeroed once; each image overwrites the interiors only.
    let perWorker = xPadded + dPadded
    let workspace = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(1, perWorker * workers))
    workspace.initialize(repeating: 0, count: Swift.max(1, perWorker * workers))
    defer { workspace.deallocate() }
    var partial = [Float](repeating: 0, count: chunks * size)   // chains start from zero
    let dx = Tensor(uninitializedShape: x.shape) { pdx in
        partial.withUnsafeMutableBufferPointer { slots in
        x.withUnsafePointer { px in
        convOutput.withUnsafePointer { py in
        wf.withUnsafePointer { pwf in
        withUnsafePointers(blocks[...]) { dys in
        map.withCoefficients(blockWidths: blocks.map { $0.shape.last ?? 1 }) { coefficients in
            context.forEachWorker(pieces: chunks) { worker in
                let padX = workspace + worker * perWorker
                let padD = padX + xPadded
                var c = worker
                while c < chunks {
                    for n in c * chunk ..< Swift.min(g.batch, (c + 1) * chunk) {
                        // dConv of image n, row by row, into the interior of its zero-bordered buffer.
                        for r in 0..<h {
                            let first = (n * h + r) * w
                            batchNormBackwardApplyRows(py, dys: dys, coefficients, rows: first ..< first + w,
                                                       output: padD + (r + 1) * dRowStride + cout)
                        }
                        direct3x3Image(UnsafePointer(padD), height: h, width: w, cin: cout, weight: pwf, cout: cin,
                                       y: pdx + n * h * w * cin)
                        let image = px + n * h * w * cin
                        for r in 0..<h {
                            let (src, dst) = (image + r * w * cin, padX + (r + 1) * xRowStride + cin)
                            if rectifiesInput { copyRectifiedFloats(src, to: dst, count: w * cin) } else {
                                copyFloats(src, to: dst, count: w * cin)
                            }
                        }
                        direct3x3WeightImage(UnsafePointer(padX), dy: padD + dRowStride + cout, dyRowStride: dRowStride,
                                             height: h, width: w, cin: cin, cout: cout, dw: slots.baseAddress! + c * size)
                    }
                    c += workers
                }
            }
        }}}}}}
    }
    return Conv2dGradients(input: dx, weight: sumSlots(partial, slots: chunks, shape: [3, 3, cin, cout]), bias: nil)
}
