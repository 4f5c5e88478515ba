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

    /// Workspace budget per worker (2 MiB of floats), measured in docs/numerics.md.
    static let workspaceFloats = 1 << 19
}

/// Copies image patches of `images` into rows of `cols` (im2col for NHWC).
/// x: [N, H, W, Cin] -> cols: [images.count * OH * OW, KH * KW * Cin], column index
/// `(kh * KW + kw) * Cin + ci`, matching an HWIO weight viewed as `[KH * KW * Cin, Cout]`.
/// For one kernel row `kh` the valid `kw` taps read consecutive input pixels, so each is a
/// single contiguous copy of up to `KW * Cin` floats.
func im2colNHWC(_ x: UnsafePointer<Float>, _ g: Conv2dGeometry, images: Range<Int>, cols: UnsafeMutablePointer<Float>) {
    let (cin, kw, patch) = (g.inChannels, g.kernelWidth, g.patchSize)
    var row = cols
    for n in images {
        let image = x + n * g.height * g.width * cin
        for oh in 0..<g.outHeight {
            for ow in 0..<g.outWidth {
                let iw0 = ow * g.stride - g.padding
                let kwLo = Swift.max(0, -iw0), kwHi = Swift.min(kw, g.width - iw0)
                for kh in 0..<g.kernelHeight {
                    let dst = row + kh * kw * cin
                    let ih = oh * g.stride - g.padding + kh
                    if ih < 0 || ih >= g.height || kwLo >= kwHi {
                        dst.update(repeating: 0, count: kw * cin)
                        continue
                    }
                    if kwLo > 0 { dst.update(repeating: 0, count: kwLo * cin) }
                    (dst + kwLo * cin).update(from: image + (ih * g.width + iw0 + kwLo) * cin, count: (kwHi - kwLo) * cin)
                    if kwHi < kw { (dst + kwHi * cin).update(repeating: 0, count: (kw - kwHi) * cin) }
                }
                row += patch
            }
        }
    }
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
                    for i in 0..<(kwHi - kwLo) * cin { dst[i] += src[i] }
                }
                row += patch
            }
        }
    }
}
