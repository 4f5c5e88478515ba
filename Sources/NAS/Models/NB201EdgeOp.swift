import Numerics

/// The trainable layer behind one NAS-Bench-201 edge operation at stride 1, or nil for `none`,
/// and whether it consumes ReLU(source node) rather than the node itself.
///
/// `nor_conv_kxk` is ReLU → conv → BN; the layer returned here is only conv → BN, because every
/// conv edge leaving a node applies the same ReLU to the same tensor: the cell computes
/// ReLU(node) once and shares it (fewer activations kept for backward, fewer ReLU passes; the
/// values are identical to separate ReLUs). `none` yields no layer at all: a zero summand
/// contributes nothing and sends no gradient back, so the cell skips it instead of materialising
/// a zero tensor (this is what makes pool/skip-heavy cells cheap). Parameter counts still follow
/// the benchmark, whose `Zero` module has no parameters.
func nb201EdgeLayer(_ op: NB201Op, channels c: Int, name: String,
                    generator: inout SplitMix64) -> (layer: (any Layer)?, usesReLU: Bool) {
    switch op {
    case .none:
        return (nil, false)
    case .skipConnect:
        return (Identity(), false)
    case .avgPool3x3:
        // count_include_pad=False, as in the benchmark's POOLING op.
        return (AvgPool2d(kernel: 3, stride: 1, padding: 1, countIncludePad: false), false)
    case .conv1x1, .conv3x3:
        let k = op == .conv3x3 ? 3 : 1
        return (Sequential([
            Conv2d(inChannels: c, outChannels: c, kernelSize: k, padding: k / 2, name: name + ".conv", generator: &generator),
            BatchNorm2d(channels: c, name: name + ".bn"),
        ]), true)
    }
}
