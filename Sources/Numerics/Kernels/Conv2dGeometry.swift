/// Shapes of one 2-D convolution in NHWC / HWIO layout, derived once and shared by the
/// forward, backward, im2col and reference kernels.
public struct Conv2dGeometry: Sendable, Equatable {
    /// Mini-batch size N.
    public let batch: Int
    /// Input height H and width W.
    public let height: Int, width: Int
    /// Input channels Cin and output channels Cout.
    public let inChannels: Int, outChannels: Int
    /// Kernel height KH and width KW.
    public let kernelHeight: Int, kernelWidth: Int
    /// Stride and zero padding, equal in both spatial directions.
    public let stride: Int, padding: Int
    /// Output height OH and width OW.
    public let outHeight: Int, outWidth: Int

    /// Geometry of `x: [N, H, W, Cin]` convolved with `weight: [KH, KW, Cin, Cout]`.
    public init(input: [Int], weight: [Int], stride: Int, padding: Int) {
        precondition(input.count == 4 && weight.count == 4, "conv2d wants x [N,H,W,C] and w [KH,KW,Cin,Cout], got \(input), \(weight)")
        precondition(input[3] == weight[2], "conv2d input channels \(input[3]) != weight Cin \(weight[2])")
        precondition(stride >= 1 && padding >= 0, "conv2d stride \(stride) padding \(padding)")
        batch = input[0]; height = input[1]; width = input[2]; inChannels = input[3]
        kernelHeight = weight[0]; kernelWidth = weight[1]; outChannels = weight[3]
        self.stride = stride; self.padding = padding
        outHeight = (height + 2 * padding - kernelHeight) / stride + 1
        outWidth = (width + 2 * padding - kernelWidth) / stride + 1
        precondition(height + 2 * padding >= kernelHeight && width + 2 * padding >= kernelWidth,
                     "conv2d kernel \(weight) larger than padded input \(input)")
    }

    /// Output shape `[N, OH, OW, Cout]`.
    public var outputShape: [Int] { [batch, outHeight, outWidth, outChannels] }
    /// Length of one im2col row, `KH * KW * Cin` (the GEMM inner dimension).
    public var patchSize: Int { kernelHeight * kernelWidth * inChannels }
    /// Output pixels per image, `OH * OW` (im2col rows per image).
    public var rowsPerImage: Int { outHeight * outWidth }
    /// True for a 1x1, stride-1, unpadded kernel: the NHWC input already is the im2col matrix.
    public var isPointwise: Bool { kernelHeight == 1 && kernelWidth == 1 && stride == 1 && padding == 0 }

    /// Images per GEMM chunk: bounds the im2col workspace to about `budget` floats so it stays
    /// cache-sized, and depends only on the shapes so results do not depend on threads.
    func imagesPerChunk(budget: Int) -> Int {
        let perImage = rowsPerImage * Swift.max(patchSize, outChannels)
        return Swift.max(1, Swift.min(batch, budget / Swift.max(1, perImage)))
    }

    /// Workspace budget per worker: 128 Ki floats (512 KiB), so that the im2col matrix a worker
    /// writes is still in its core's 1 MiB L2 when OpenBLAS packs it (docs/numerics.md).
    static let workspaceFloats = 1 << 17
}

/// Copies image patches of `images` into rows of `cols` (im2col for NHWC).
/// x: [N, H, W, Cin] -> cols: [images.count * OH * OW, KH * KW * Cin], column index
/// `(kh * KW + kw) * Cin + ci`, matching an HWIO weight viewed as `[KH * KW * Cin, Cout]`.
/// For one kernel row `kh` the valid `kw` taps read consecutive input pixels, so each is a
/// single contiguous copy of up to `KW * Cin` floats. Those copies are short (24–192 floats in
/// the benchmark networks), so they are inline 8-wide loops: through `memmove` the call and its
/// size dispatch cost more than the copy, and im2col plus memmove took 27 % of (b)'s training
/// time (docs/numerics.md). Pure data movement: bit-identical to `im2colNHWCReference`.
func im2colNHWC(_ x: UnsafePointer<Float>, _ g: Conv2dGeometry, images: Range<Int>, cols: UnsafeMutablePointer<Float>) {
    let (cin, kw, patch, stride) = (g.inChannels, g.kernelWidth, g.patchSize, g.stride)
    let segment = kw * cin
    // Output columns whose whole kernel row lies inside the image: ow in owLo..<owHi.
    let owLo = Swift.min(g.outWidth, (g.padding + stride - 1) / stride)
    let span = g.width + g.padding - kw              // last interior ow is span / stride
    let owHi = span < 0 ? owLo : Swift.max(owLo, Swift.min(g.outWidth, span / stride + 1))
    var outRow = cols
    for n in images {
        let image = x + n * g.height * g.width * cin
        for oh in 0..<g.outHeight {
            // One output image row: OW rows of `cols`, filled kernel row by kernel row.
            for kh in 0..<g.kernelHeight {
                let ih = oh * stride - g.padding + kh
                let base = outRow + kh * segment
                if ih < 0 || ih >= g.height {
                    for ow in 0..<g.outWidth { zeroFloats(base + ow * patch, segment) }
                    continue
                }
                let line = image + ih * g.width * cin
                for ow in 0..<owLo { edgeSegment(line, g, ow: ow, dst: base + ow * patch) }
                var src = line + (owLo * stride - g.padding) * cin
                var dst = base + owLo * patch
                for _ in owLo..<owHi {        // interior: one contiguous copy per output pixel
                    copyFloats(src, to: dst, count: segment)
                    src += stride * cin
                    dst += patch
                }
                for ow in owHi..<g.outWidth { edgeSegment(line, g, ow: ow, dst: base + ow * patch) }
            }
            outRow += g.outWidth * patch
        }
    }
}

/// One kernel row's segment of an output pixel whose window crosses the left or right border:
/// the in-image taps are copied, the padding taps zeroed. line: one input row [W, Cin].
@inline(__always)
private func edgeSegment(_ line: UnsafePointer<Float>, _ g: Conv2dGeometry, ow: Int, dst: UnsafeMutablePointer<Float>) {
    let (cin, kw) = (g.inChannels, g.kernelWidth)
    let iw0 = ow * g.stride - g.padding
    let kwLo = Swift.min(kw, Swift.max(0, -iw0)), kwHi = Swift.max(kwLo, Swift.min(kw, g.width - iw0))
    if kwLo > 0 { zeroFloats(dst, kwLo * cin) }
    if kwHi > kwLo { copyFloats(line + (iw0 + kwLo) * cin, to: dst + kwLo * cin, count: (kwHi - kwLo) * cin) }
    if kwHi < kw { zeroFloats(dst + kwHi * cin, (kw - kwHi) * cin) }
}

/// Naive reference for `im2colNHWC`: every column of every row computed from its definition.
/// x: [N, H, W, Cin] -> cols: [images.count * OH * OW, KH * KW * Cin].
func im2colNHWCReference(_ x: Tensor, _ g: Conv2dGeometry, images: Range<Int>) -> [Float] {
    var cols = [Float](repeating: -1, count: images.count * g.rowsPerImage * g.patchSize)
    var r = 0
    for n in images {
        for oh in 0..<g.outHeight {
            for ow in 0..<g.outWidth {
                for kh in 0..<g.kernelHeight { for kw in 0..<g.kernelWidth { for ci in 0..<g.inChannels {
                    let ih = oh * g.stride - g.padding + kh, iw = ow * g.stride - g.padding + kw
                    let inside = ih >= 0 && ih < g.height && iw >= 0 && iw < g.width
                    cols[r * g.patchSize + (kh * g.kernelWidth + kw) * g.inChannels + ci] =
                        inside ? x.storage[((n * g.height + ih) * g.width + iw) * g.inChannels + ci] : 0
                }}}
                r += 1
            }
        }
    }
    return cols
}

/// dst[0..<count] = src[0..<count], 8 floats at a time (regions must not overlap).
@inline(__always)
func copyFloats(_ src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i + 8 <= count { store8(load8(src + i), dst + i); i += 8 }
    while i < count { dst[i] = src[i]; i += 1 }
}

/// dst[0..<count] = ReLU(src[0..<count]), written as `reluForward` computes it (`v > 0 ? v : 0`:
/// -0 and NaN give +0), 8 floats at a time: the convolution kernels' input copy when they apply
/// the ReLU in front of them on load (regions must not overlap).
@inline(__always)
func copyRectifiedFloats(_ src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i + 8 <= count { let v = load8(src + i); store8(v.replacing(with: 0, where: .!(v .> 0)), dst + i); i += 8 }
    while i < count { dst[i] = src[i] > 0 ? src[i] : 0; i += 1 }
}

/// dst[0..<count] = 0, 8 floats at a time.
@inline(__always)
func zeroFloats(_ dst: UnsafeMutablePointer<Float>, _ count: Int) {
    var i = 0
    while i + 8 <= count { store8(SIMD8<Float>(), dst + i); i += 8 }
    while i < count { dst[i] = 0; i += 1 }
}

/// Adds rows of `cols` back onto the pixels they were copied from (col2im, the adjoint of
/// `im2colNHWC`). dcols: [images.count * OH * OW, KH * KW * Cin] -> dx: [N, H, W, Cin] (+=).
func col2imNHWC(_ cols: UnsafePointer<Float>, _ g: Conv2dGeometry, images: Range<Int>, dx: UnsafeMutablePointer<Float>) {
    let (cin, kw, patch) = (g.inChannels, g.kernelWidth, g.patchSize)
    var row = cols
    for n in images {
        let image = dx + n * g.height * g.width * cin
        for oh in 0..<g.outHeight {
            for ow in 0..<g.outWidth {
                let iw0 = ow * g.stride - g.padding
                let kwLo = Swift.max(0, -iw0), kwHi = Swift.min(kw, g.width - iw0)
                for kh in 0..<g.kernelHeight where kwLo < kwHi {
                    let ih = oh * g.stride - g.padding + kh
                    if ih < 0 || ih >= g.height { continue }
                    let src = row + (kh * kw + kwLo) * cin
                    let dst = image + (ih * g.width + iw0 + kwLo) * cin
                    let count = (kwHi - kwLo) * cin
                    var i = 0
                    while i + 8 <= count { store8(load8(dst + i) + load8(src + i), dst + i); i += 8 }
                    while i < count { dst[i] += src[i]; i += 1 }
                }
                row += patch
            }
        }
    }
}
