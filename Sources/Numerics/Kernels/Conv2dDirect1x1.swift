/// Direct 1x1 (pointwise) convolution, stride 1, no padding, without BLAS: the NB201 cell's
/// `nor_conv_1x1` (C -> C) and the reduction blocks' shortcut (C -> 2C) on NHWC tensors, which
/// are already the `[pixels, C]` matrices. With C = 16-64 the GEMM `[rows, C] x [C, C]` is too
/// thin for OpenBLAS (47-80 GFLOP/s single thread, packing included); register tiles of
/// 8 pixels x 16 output channels straight from the tensors run at 105-116 GFLOP/s
/// (`bench/pointwise_conv.swift`, docs/numerics.md "Direct 1x1 convolution").
///
/// Forward and input gradient share one tile: dx is the 1x1 convolution of dy with the
/// transposed weight `[Cout, Cin]`. The weight gradient sums x^T dy over each shape-determined
/// chunk of whole images (one fused multiply-add chain per element, pixels in order) and the
/// chunk slots in chunk order, so no result depends on the thread count or the vector width.

/// Whether `conv2dDirect1x1` computes this convolution (shapes only): 1x1, stride 1, padding 0,
/// Cout a multiple of 16 (one SIMD16 per tile) and at least 8 pixels per image (a tile).
func usesDirect1x1(_ g: Conv2dGeometry) -> Bool {
    g.kernelHeight == 1 && g.kernelWidth == 1 && g.stride == 1 && g.padding == 0
        && g.outChannels % direct3x3Lanes == 0 && g.height * g.width >= direct1x1TilePixels
}

/// Whether `conv2dDirect1x1WeightGradient` handles this geometry: `usesDirect1x1` and
/// Cin % 8 == 0 (8 input channels x 16 output channels per tile).
func usesDirect1x1WeightGradient(_ g: Conv2dGeometry) -> Bool {
    usesDirect1x1(g) && g.inChannels % direct3x3WeightInputBlock == 0
}

/// Pixels per forward tile (8 accumulators of 16 lanes plus a weight vector).
let direct1x1TilePixels = 8

/// x: [N, H, W, Cin], weight: [1, 1, Cin, Cout] (`usesDirect1x1`) -> y: [N, H, W, Cout], no bias
/// (reference: `conv2dForwardReference`). Pieces are chunks of whole images
/// (`Conv2dGeometry.imagesPerChunk`); a chunk's last tile overlaps the previous one when 8 does
/// not divide its pixel count (same inputs, same order: identical values).
func conv2dDirect1x1(_ x: Tensor, weight: Tensor, workspaceFloats: Int = Conv2dGeometry.workspaceFloats,
                     context: ComputeContext) -> Tensor {
    let g = Conv2dGeometry(input: x.shape, weight: weight.shape, stride: 1, padding: 0)
    precondition(usesDirect1x1(g), "conv2dDirect1x1 does not handle \(x.shape) * \(weight.shape)")
    let (cin, cout, hw) = (g.inChannels, g.outChannels, g.rowsPerImage)
    let chunk = g.imagesPerChunk(budget: workspaceFloats)
    let chunks = (g.batch + chunk - 1) / chunk
    let workers = Swift.min(context.threads, chunks)
    return Tensor(uninitializedShape: g.outputShape) { y in
        x.withUnsafePointer { px in
            weight.withUnsafePointer { pw in
                context.forEachWorker(pieces: chunks) { worker in
                    var c = worker
                    while c < chunks {
                        let images = c * chunk ..< Swift.min(g.batch, (c + 1) * chunk)
                        let (first, rows) = (images.lowerBound * hw, images.count * hw)
                        var r0 = 0
                        while r0 < rows {
                            let start = first + Swift.min(r0, rows - direct1x1TilePixels)
                            var co0 = 0
                            while co0 < cout {
                                direct1x1Tile(px + start * cin, cin: cin, weight: pw + co0, cout: cout,
                                              out: y + start * cout + co0)
                                co0 += direct3x3Lanes
                            }
                            r0 += direct1x1TilePixels
                        }
                        c += workers
                    }
                }
            }
        }
    }
}

/// 8 pixels x 16 output channels: out[p, co0 ..< co0+16] = sum_ci x[p, ci] * w[ci, co0 ..< co0+16].
/// x: the first pixel's row (pixels `cin` apart); weight: w[0, co0]; out: y at (first pixel, co0).
@inline(__always)
private func direct1x1Tile(_ x: UnsafePointer<Float>, cin: Int, weight: UnsafePointer<Float>, cout: Int,
                           out: UnsafeMutablePointer<Float>) {
    var (a0, a1, a2, a3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    var (a4, a5, a6, a7) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    let (s1, s2, s3, s4, s5, s6, s7) = (cin, 2 &* cin, 3 &* cin, 4 &* cin, 5 &* cin, 6 &* cin, 7 &* cin)
    var (p, wt) = (x, weight)
    let end = x + cin
    while p < end {
        let wv = load16(wt)
        a0 = a0.addingProduct(SIMD16(repeating: p[0]), wv)
        a1 = a1.addingProduct(SIMD16(repeating: p[s1]), wv)
        a2 = a2.addingProduct(SIMD16(repeating: p[s2]), wv)
        a3 = a3.addingProduct(SIMD16(repeating: p[s3]), wv)
        a4 = a4.addingProduct(SIMD16(repeating: p[s4]), wv)
        a5 = a5.addingProduct(SIMD16(repeating: p[s5]), wv)
        a6 = a6.addingProduct(SIMD16(repeating: p[s6]), wv)
        a7 = a7.addingProduct(SIMD16(repeating: p[s7]), wv)
        p += 1
        wt += cout
    }
    store16(a0, out); store16(a1, out + cout); store16(a2, out + 2 &* cout); store16(a3, out + 3 &* cout)
    store16(a4, out + 4 &* cout); store16(a5, out + 5 &* cout); store16(a6, out + 6 &* cout); store16(a7, out + 7 &* cout)
}

/// x: [N, H, W, Cin], dy: [N, H, W, Cout] -> dw: [1, 1, Cin, Cout] = sum over pixels of x^T dy
/// (`usesDirect1x1WeightGradient`; reference: the weight gradient of `conv2dBackwardReference`).
/// Chunks as in `conv2dDirect3x3WeightGradient` (at most `direct3x3WeightSlots`).
func conv2dDirect1x1WeightGradient(_ x: Tensor, outputGradient dy: Tensor, outChannels cout: Int,
                                   workspaceFloats: Int, context: ComputeContext) -> Tensor {
    let g = Conv2dGeometry(input: x.shape, weight: [1, 1, x.shape[3], cout], stride: 1, padding: 0)
    precondition(usesDirect1x1WeightGradient(g) && dy.shape == g.outputShape,
                 "conv2dDirect1x1WeightGradient does not handle \(x.shape), \(dy.shape)")
    let (cin, hw, size) = (g.inChannels, g.rowsPerImage, g.inChannels * cout)
    let chunk = Swift.max(g.imagesPerChunk(budget: workspaceFloats),
                          (g.batch + direct3x3WeightSlots - 1) / direct3x3WeightSlots)
    let chunks = (g.batch + chunk - 1) / chunk
    let workers = Swift.min(context.threads, chunks)
    var partial = uninitializedSlots(chunks * size)   // every element stored by its tile
    partial.withUnsafeMutableBufferPointer { slots in
        x.withUnsafePointer { px in
            dy.withUnsafePointer { pdy in
                context.forEachWorker(pieces: chunks) { worker in
                    var c = worker
                    while c < chunks {
                        let images = c * chunk ..< Swift.min(g.batch, (c + 1) * chunk)
                        let (first, rows) = (images.lowerBound * hw, images.count * hw)
                        let slot = slots.baseAddress! + c * size
                        var ci0 = 0
                        while ci0 < cin {
                            var co0 = 0
                            while co0 < cout {
                                direct1x1WeightTile(px + first * cin + ci0, cin: cin, dy: pdy + first * cout + co0,
                                                    cout: cout, rows: rows, dw: slot + ci0 * cout + co0)
                                co0 += direct3x3Lanes
                            }
                            ci0 += direct3x3WeightInputBlock
                        }
                        c += workers
                    }
                }
            }
        }
    }
    return sumSlots(partial, slots: chunks, shape: [1, 1, cin, cout])
}

/// dw[ci0 + j, co0 ..< co0+16] = sum over `rows` pixels of x[p, ci0 + j] * dy[p, co0 ..< co0+16],
/// j < 8: one dy vector and 8 broadcast inputs per pixel.
@inline(__always)
private func direct1x1WeightTile(_ x: UnsafePointer<Float>, cin: Int, dy: UnsafePointer<Float>, cout: Int, rows: Int,
                                 dw: UnsafeMutablePointer<Float>) {
    var (a0, a1, a2, a3) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    var (a4, a5, a6, a7) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
    var (p, d) = (x, dy)
    for _ in 0..<rows {
        let dv = load16(d)
        a0 = a0.addingProduct(SIMD16(repeating: p[0]), dv)
        a1 = a1.addingProduct(SIMD16(repeating: p[1]), dv)
        a2 = a2.addingProduct(SIMD16(repeating: p[2]), dv)
        a3 = a3.addingProduct(SIMD16(repeating: p[3]), dv)
        a4 = a4.addingProduct(SIMD16(repeating: p[4]), dv)
        a5 = a5.addingProduct(SIMD16(repeating: p[5]), dv)
        a6 = a6.addingProduct(SIMD16(repeating: p[6]), dv)
        a7 = a7.addingProduct(SIMD16(repeating: p[7]), dv)
        p += cin
        d += cout
    }
    store16(a0, dw); store16(a1, dw + cout); store16(a2, dw + 2 &* cout); store16(a3, dw + 3 &* cout)
    store16(a4, dw + 4 &* cout); store16(a5, dw + 5 &* cout); store16(a6, dw + 6 &* cout); store16(a7, dw + 7 &* cout)
}
