/// Per-channel affine map `y = x * scale[c] + shift[c]`, e.g. a batch norm's (see
/// `batchNormAffineCoefficients`).
public struct ChannelAffine: Sendable, Equatable {
    /// Multiplier per channel.
    public var scale: [Float]
    /// Offset per channel.
    public var shift: [Float]

    /// An affine map over `scale.count` channels (`shift` must have as many).
    public init(scale: [Float], shift: [Float]) {
        precondition(scale.count == shift.count, "affine scale \(scale.count) and shift \(shift.count) channels differ")
        self.scale = scale
        self.shift = shift
    }
}

/// Adds a block of consecutive channels of a wider tensor, optionally through a per-channel
/// affine map, into a running sum, or starts the sum with that block when there is none yet.
/// source: [..., Csrc], affine: Csrc channels (or nil = identity), sum: [..., width] ->
/// sum[..., c] (+)= source[..., offset + c] * scale[offset + c] + shift[offset + c]
/// for c in 0..<width, offset + width <= Csrc.
///
/// Why: a fused group of convolution edges (`FusedConvBatchNormBranches`) produces the outputs of
/// several NAS-Bench-201 edges side by side in one `[..., k*C]` tensor and each edge's block goes
/// to a different node sum. Applying the batch norm's affine map here, while adding the block
/// into its node, saves writing the normalised `[..., k*C]` tensor and reading it back (and the
/// copy `splitChannels` + `addInPlace` would make). Element-wise, so the result does not depend
/// on the thread count; the affine map rounds exactly as `affinePerChannel` does.
public func accumulateChannelSlice(_ sum: inout Tensor?, from source: Tensor, offset: Int, width: Int,
                                   affine: ChannelAffine? = nil, context: ComputeContext) {
    let total = source.shape.last ?? 1
    precondition(offset >= 0 && width >= 0 && offset + width <= total,
                 "channel slice \(offset)..<\(offset + width) outside \(total) channels")
    if let affine { precondition(affine.scale.count == total, "affine over \(affine.scale.count) channels, source has \(total)") }
    let lead = Array(source.shape.dropLast())
    let rows = Tensor.elementCount(lead)
    // Identity coefficients keep one code path; the multiply by 1 and add of 0 are exact.
    let scale = affine?.scale ?? [Float](repeating: 1, count: total)
    let shift = affine?.shift ?? [Float](repeating: 0, count: total)
    let starts = sum == nil
    if starts {
        sum = Tensor(uninitializedShape: lead + [width]) { _ in }
    } else {
        precondition(sum!.shape == lead + [width], "channel slice sum shape \(sum!.shape) != \(lead + [width])")
    }
    source.withUnsafePointer { src in
    scale.withUnsafeBufferPointer { sc in
    shift.withUnsafeBufferPointer { sh in
    sum!.withUnsafeMutablePointer { dst in
        let (s0, t0) = (sc.baseAddress! + offset, sh.baseAddress! + offset)
        context.parallelRanges(rows, minimumPerWorker: 1024) { range in forEachRowTile(range) { range in
            var c0 = 0
            while c0 + 8 <= width {     // coefficients in registers, 8 channels at a time
                let (s8, t8) = (load8(s0 + c0), load8(t0 + c0))
                for r in range {
                    let (s, d) = (src + r * total + offset + c0, dst + r * width + c0)
                    let y = load8(s) * s8 + t8
                    store8(starts ? y : load8(d) + y, d)
                }
                c0 += 8
            }
            for r in range {
                let (s, d) = (src + r * total + offset, dst + r * width)
                for c in c0..<width {
                    let y = s[c] * s0[c] + t0[c]
                    d[c] = starts ? y : d[c] + y
                }
            }
        }}
    }}}}
}

/// Naive reference for `accumulateChannelSlice`, element by element.
public func accumulateChannelSliceReference(_ sum: Tensor?, from source: Tensor, offset: Int, width: Int,
                                            affine: ChannelAffine? = nil) -> Tensor {
    let total = source.shape.last ?? 1
    let lead = Array(source.shape.dropLast())
    var out = sum ?? Tensor(zeros: lead + [width])
    for r in 0..<Tensor.elementCount(lead) {
        for c in 0..<width {
            let v = source.storage[r * total + offset + c]
            let y = affine.map { v * $0.scale[offset + c] + $0.shift[offset + c] } ?? v
            out.storage[r * width + c] = sum == nil ? y : out.storage[r * width + c] + y
        }
    }
    return out
}
