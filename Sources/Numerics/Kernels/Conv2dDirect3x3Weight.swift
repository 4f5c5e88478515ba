/// Weight gradient of the direct 3x3 convolution, without im2col or BLAS:
/// dw[kh, kw, ci, co] = sum over images and output pixels of xpad[n, oh+kh, ow+kw, ci] * dy[n, oh, ow, co].
///
/// Why: with the direct forward and input gradient (`conv2dDirect3x3`) the only im2col left in
/// a cell convolution's backward was the one feeding the dw GEMM, plus OpenBLAS's packing of it.
/// Here each worker copies an image into a zero-bordered buffer (as the forward does) and, per
/// tap and block of 8 input channels x 16 output channels, walks the image's pixels with 8
/// register accumulators: one dy vector and 8 broadcast inputs per step.
///
/// Determinism: images are cut into chunks by shape (`Conv2dGeometry.imagesPerChunk`, as the
/// GEMM paths do, but at most 16 chunks); within a chunk each element is one fused
/// multiply-add chain over the chunk's images and pixels in order, and the per-chunk slots are summed in chunk order. So the result
/// depends on neither the thread count nor the vector width the compiler picked.

/// Whether `conv2dDirect3x3WeightGradient` handles this geometry (shapes only): a 3x3,
/// stride-1, padding-1 kernel with Cin % 8 == 0 and Cout % 16 == 0.
func usesDirect3x3WeightGradient(_ g: Conv2dGeometry) -> Bool {
    g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1 && g.padding == 1
        && g.inChannels % direct3x3WeightInputBlock == 0 && g.outChannels % direct3x3Lanes == 0
}

/// Most per-chunk partial sums of one weight gradient (chunks = whole images; enough for 16
/// balanced workers).
let direct3x3WeightSlots = 16

/// Input channels per register tile of the weight gradient (8 accumulators of 16 lanes).
let direct3x3WeightInputBlock = 8

/// x: [N, H, W, Cin], dy: [N, H, W, Cout] -> dw: [3, 3, Cin, Cout] (HWIO), for a 3x3 stride-1
/// padding-1 convolution (`usesDirect3x3WeightGradient`; reference: the weight gradient of
/// `conv2dBackwardReference`). `workspaceFloats` sets the chunking.
func conv2dDirect3x3WeightGradient(_ x: Tensor, outputGradient dy: Tensor, outChannels cout: Int, workspaceFloats: Int,
                                   context: ComputeContext) -> Tensor {
    let g = Conv2dGeometry(input: x.shape, weight: [3, 3, x.shape[3], cout], stride: 1, padding: 1)
    precondition(usesDirect3x3WeightGradient(g) && dy.shape == g.outputShape,
                 "conv2dDirect3x3WeightGradient does not handle \(x.shape), \(dy.shape)")
    let (h, w, cin) = (g.height, g.width, g.inChannels)
    let size = 9 * cin * cout
    let chunk = direct3x3WeightChunkImages(g, workspaceFloats: workspaceFloats)
    let chunks = (g.batch + chunk - 1) / chunk
    let workers = Swift.min(context.threads, chunks)
    let rowStride = (w + 2) * cin
    let padded = (h + 2) * rowStride
    let workspace = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(1, padded * workers))
    workspace.initialize(repeating: 0, count: Swift.max(1, padded * workers))   // borders stay zero
    defer { workspace.deallocate() }
    var partial = [Float](repeating: 0, count: chunks * size)   // chains start from zero
    partial.withUnsafeMutableBufferPointer { slots in
        x.withUnsafePointer { px in
            dy.withUnsafePointer { pdy in
                context.forEachWorker(pieces: chunks) { worker in
                    let pad = workspace + worker * padded
                    var c = worker
                    while c < chunks {
                        for n in c * chunk ..< Swift.min(g.batch, (c + 1) * chunk) {
                            let image = px + n * h * w * cin
                            for r in 0..<h {
                                copyFloats(image + r * w * cin, to: pad + (r + 1) * rowStride + cin, count: w * cin)
                            }
                            direct3x3WeightImage(UnsafePointer(pad), dy: pdy + n * h * w * cout, dyRowStride: w * cout,
                                                 height: h, width: w, cin: cin, cout: cout,
                                                 dw: slots.baseAddress! + c * size)
                        }
                        c += workers
                    }
                }
            }
        }
    }
    return sumSlots(partial, slots: chunks, shape: [3, 3, cin, cout])
}

/// Images per chunk (per partial-sum slot) of the direct weight gradient: at most
/// `direct3x3WeightSlots` chunks, since the slots are only partial sums (no workspace to bound)
/// and one slot per image cost 3.5-14 MiB of fresh slots per call on config (c). Shapes only.
func direct3x3WeightChunkImages(_ g: Conv2dGeometry, workspaceFloats: Int) -> Int {
    Swift.max(g.imagesPerChunk(budget: workspaceFloats), (g.batch + direct3x3WeightSlots - 1) / direct3x3WeightSlots)
}

/// One image's contribution added onto dw [3, 3, Cin, Cout]. pad: [H+2, W+2, Cin] (zero
/// border), dy: [H, W, Cout] with rows `dyRowStride` floats apart (W * Cout when dense; wider
/// when dy lies inside a zero-bordered buffer, as in `conv2dDirect3x3BackwardThroughBatchNorm`).
func direct3x3WeightImage(_ pad: UnsafePointer<Float>, dy: UnsafePointer<Float>, dyRowStride: Int, height: Int,
                          width: Int, cin: Int, cout: Int, dw: UnsafeMutablePointer<Float>) {
    let rowStride = (width + 2) * cin
    for kh in 0..<3 { for kw in 0..<3 {
        let tap = dw + (kh * 3 + kw) * cin * cout
        var ci0 = 0
        while ci0 < cin {
            var co0 = 0
            while co0 < cout {
                direct3x3WeightTile(pad + kh * rowStride + kw * cin + ci0, rowStride: rowStride, cin: cin,
                                    dy: dy + co0, dyRowStride: dyRowStride, cout: cout, height: height, width: width,
                                    dw: tap + ci0 * cout + co0)
                co0 += direct3x3Lanes
            }
            ci0 += direct3x3WeightInputBlock
        }
    }}
}

/// dw rows ci0..<ci0+8 (each `cout` apart), lanes co0..<co0+16, += the sum over the image's
/// pixels of x(tap-shifted)[ci] * dy[co]. src: padded input at (kh, kw, ci0) for pixel (0, 0);
/// dy: at (0, 0, co0), rows `dyRowStride` apart.
@inline(__always)
private func direct3x3WeightTile(_ src: UnsafePointer<Float>, rowStride: Int, cin: Int, dy: UnsafePointer<Float>,
                                 dyRowStride: Int, cout: Int, height: Int, width: Int, dw: UnsafeMutablePointer<Float>) {
    var (a0, a1, a2, a3) = (load16(dw), load16(dw + cout), load16(dw + 2 &* cout), load16(dw + 3 &* cout))
    var (a4, a5, a6, a7) = (load16(dw + 4 &* cout), load16(dw + 5 &* cout), load16(dw + 6 &* cout), load16(dw + 7 &* cout))
    for oh in 0..<height {
        var d = dy + oh &* dyRowStride
        var p = src + oh &* rowStride
        let end = p + width &* cin
        while p < end {
            let v = load16(d)
            a0 = a0.addingProduct(SIMD16(repeating: p[0]), v)
            a1 = a1.addingProduct(SIMD16(repeating: p[1]), v)
            a2 = a2.addingProduct(SIMD16(repeating: p[2]), v)
            a3 = a3.addingProduct(SIMD16(repeating: p[3]), v)
            a4 = a4.addingProduct(SIMD16(repeating: p[4]), v)
            a5 = a5.addingProduct(SIMD16(repeating: p[5]), v)
            a6 = a6.addingProduct(SIMD16(repeating: p[6]), v)
            a7 = a7.addingProduct(SIMD16(repeating: p[7]), v)
            p += cin
            d += cout
        }
    }
    store16(a0, dw); store16(a1, dw + cout); store16(a2, dw + 2 &* cout); store16(a3, dw + 3 &* cout)
    store16(a4, dw + 4 &* cout); store16(a5, dw + 5 &* cout); store16(a6, dw + 6 &* cout); store16(a7, dw + 7 &* cout)
}
