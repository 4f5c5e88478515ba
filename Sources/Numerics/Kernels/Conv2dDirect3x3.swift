/// Direct 3x3 convolution (stride 1, padding 1) without im2col or BLAS: for the NB201 cell
/// convolutions at 28x28 and 14x14 the im2col copy and OpenBLAS's packing of that copy were
/// 20 % of a config (c) CONV run (docs/numerics.md, "Direct 3x3 convolution"). Here each
/// worker copies one image at a time into a zero-bordered buffer ([H+2, W+2, Cin], the only
/// copy) and computes 7 or 8 output pixels x 16 output channels per register tile straight
/// from it.
///
/// Every output element is one fused multiply-add chain in a fixed order (kh, kw, ci), whatever
/// the vector width the compiler uses, so results do not depend on threads or on the build's
/// target CPU; images are independent (no cross-image reduction).
///
/// Speed needs FMA code generation: scripts/build-release compiles for the host's AVX-512 or
/// AVX2 level on x86_64 (docs/architecture.md). Without it (`swift build`, tests) the same code
/// is correct but calls `fmaf` per lane, many times slower.

/// Whether `conv2dDirect3x3` computes this convolution (shapes only, so which path runs, and
/// hence every bit, depends on the shapes alone): a 3x3, stride-1, padding-1 kernel, Cout a
/// multiple of 16 (one SIMD16 lane group per output tile) and rows that tile exactly by 7 or
/// are at least 8 pixels wide (`direct3x3TilePixels`).
func usesDirect3x3(_ g: Conv2dGeometry) -> Bool {
    g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1 && g.padding == 1
        && g.outChannels % direct3x3Lanes == 0 && direct3x3TilePixels(width: g.width) != nil
}

/// Output channels per register tile (one SIMD16).
let direct3x3Lanes = 16

/// Output pixels per register tile for rows of `width` pixels: 8 (8 accumulators plus one
/// weight vector) when 8 divides the width, else 7 when 7 does (the NB201 widths 28, 14, 7 on
/// 28x28 inputs: no pixel computed twice), else 8 with the last tile of a row overlapping the
/// previous one (needs width >= 8); nil when none applies.
func direct3x3TilePixels(width: Int) -> Int? {
    if width % 8 == 0 { return 8 }
    if width % 7 == 0 { return 7 }
    return width >= 8 ? 8 : nil
}

/// 3x3 stride-1 padding-1 convolution, no bias (reference: `conv2dForwardReference`). x: [N, H, W, Cin], weight: [3, 3, Cin, Cout]
/// (`usesDirect3x3`: Cout % 16 == 0, W a multiple of 7 or >= 8) -> y: [N, H, W, Cout].
/// With `rectifiesInput` the kernel convolves ReLU(x), applied while each image is copied into
/// its zero-bordered buffer (bit-identical to `conv2dDirect3x3(reluForward(x), ...)`; saves the
/// ReLU pass and its tensor).
func conv2dDirect3x3(_ x: Tensor, weight: Tensor, rectifiesInput: Bool = false, context: ComputeContext) -> Tensor {
    conv2dDirect3x3(x, weight: weight, rectifiesInput: rectifiesInput, context: context) { _, _, _ in }
}

/// `conv2dDirect3x3` calling `afterImage(images, n, y)` on the worker as soon as it has written
/// image n's output, where `images` is that worker's range of images (each worker computes one
/// contiguous range, in order, so when image n is done every earlier image of the range is too;
/// which worker gets which range changes no bit, images being independent). y: the whole output.
func conv2dDirect3x3(_ x: Tensor, weight: Tensor, rectifiesInput: Bool, context: ComputeContext,
                     afterImage: (_ images: Range<Int>, _ image: Int, _ y: UnsafeMutablePointer<Float>) -> Void) -> Tensor {
    let g = Conv2dGeometry(input: x.shape, weight: weight.shape, stride: 1, padding: 1)
    precondition(usesDirect3x3(g), "conv2dDirect3x3 does not handle \(x.shape) * \(weight.shape)")
    let (h, w, cin, cout) = (g.height, g.width, g.inChannels, g.outChannels)
    let rowStride = (w + 2) * cin
    let padded = (h + 2) * rowStride
    let workers = Swift.min(context.threads, g.batch)
    // One zero-bordered image per worker, allocated on the calling thread (see AllocatorTuning)
    // and zeroed once: each image overwrites the interior only, so the border stays zero.
    let workspace = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(1, padded * workers))
    workspace.initialize(repeating: 0, count: Swift.max(1, padded * workers))
    defer { workspace.deallocate() }
    return Tensor(uninitializedShape: g.outputShape) { y in
        x.withUnsafePointer { px in
            weight.withUnsafePointer { pw in
                context.forEachWorker(pieces: workers) { worker in
                    let pad = workspace + worker * padded
                    let images = g.batch * worker / workers ..< g.batch * (worker + 1) / workers
                    for n in images {
                        let image = px + n * h * w * cin
                        for r in 0..<h {
                            let (src, dst) = (image + r * w * cin, pad + (r + 1) * rowStride + cin)
                            if rectifiesInput { copyRectifiedFloats(src, to: dst, count: w * cin) } else {
                                copyFloats(src, to: dst, count: w * cin)
                            }
                        }
                        direct3x3Image(UnsafePointer(pad), height: h, width: w, cin: cin, weight: pw, cout: cout,
                                       y: y + n * h * w * cout)
                        afterImage(images, n, y)
                    }
                }
            }
        }
    }
}

/// One image: pad [H+2, W+2, Cin] (zero border) -> y [H, W, Cout], in tiles of `P` =
/// `direct3x3TilePixels(width:)` pixels along each output row. With P = 8 and a width that 8
/// does not divide, the last tile of a row starts at W-8 and recomputes a few pixels of the
/// previous one (identical values: same inputs, same order). Also the input-gradient step of
/// `conv2dDirect3x3BackwardThroughBatchNorm`, which builds `pad` itself.
func direct3x3Image(_ pad: UnsafePointer<Float>, height: Int, width: Int, cin: Int,
                    weight: UnsafePointer<Float>, cout: Int, y: UnsafeMutablePointer<Float>) {
    let rowStride = (width + 2) * cin
    let tile = direct3x3TilePixels(width: width)!
    for oh in 0..<height {
        var ow0 = 0
        while ow0 < width {
            let start = Swift.min(ow0, width - tile)
            var co0 = 0
            while co0 < cout {
                let (src, out) = (pad + oh * rowStride + start * cin, y + (oh * width + start) * cout + co0)
                // Two call sites with constant `eight`, so each inlined copy has no branch on it.
                if tile == 8 {
                    direct3x3Tile(src, rowStride: rowStride, cin: cin, weight: weight + co0, cout: cout, out: out, eight: true)
                } else {
                    direct3x3Tile(src, rowStride: rowStride, cin: cin, weight: weight + co0, cout: cout, out: out, eight: false)
                }
                co0 += direct3x3Lanes
            }
            ow0 += tile
        }
    }
}

/// 8 (or, with `eight` false, 7) output pixels x 16 output channels. src: the padded input at the top-left tap of the
/// first pixel; weight: w[0, 0, 0, co0]; out: y at (first pixel, co0), pixels `cout` apart.
/// Explicit accumulators (not an array) so they stay in registers; wrapping arithmetic so the
/// inner loop carries no overflow checks (all offsets are bounded by the tensor sizes).
@inline(__always)
private func direct3x3Tile(_ src: UnsafePointer<Float>, rowStride: Int, cin: Int, weight: UnsafePointer<Float>,
                           cout: Int, out: UnsafeMutablePointer<Float>, eight: Bool) {
    var (a0, a1, a2, a3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    var (a4, a5, a6, a7) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    let (s1, s2, s3, s4, s5, s6, s7) = (cin, 2 &* cin, 3 &* cin, 4 &* cin, 5 &* cin, 6 &* cin, 7 &* cin)
    for kh in 0..<3 {
        for kw in 0..<3 {
            var p = src + (kh &* rowStride &+ kw &* cin)
            var wt = weight + ((kh &* 3 &+ kw) &* cin &* cout)
            let end = p + cin
            while p < end {
                let wv = load16(wt)
                a0 = a0.addingProduct(SIMD16(repeating: p[0]), wv)
                a1 = a1.addingProduct(SIMD16(repeating: p[s1]), wv)
                a2 = a2.addingProduct(SIMD16(repeating: p[s2]), wv)
                a3 = a3.addingProduct(SIMD16(repeating: p[s3]), wv)
                a4 = a4.addingProduct(SIMD16(repeating: p[s4]), wv)
                a5 = a5.addingProduct(SIMD16(repeating: p[s5]), wv)
                a6 = a6.addingProduct(SIMD16(repeating: p[s6]), wv)
                if eight { a7 = a7.addingProduct(SIMD16(repeating: p[s7]), wv) }
                p += 1
                wt += cout
            }
        }
    }
    store16(a0, out); store16(a1, out + cout); store16(a2, out + 2 &* cout); store16(a3, out + 3 &* cout)
    store16(a4, out + 4 &* cout); store16(a5, out + 5 &* cout); store16(a6, out + 6 &* cout)
    if eight { store16(a7, out + 7 &* cout) }
}
