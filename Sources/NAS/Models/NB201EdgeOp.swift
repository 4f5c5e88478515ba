import Numerics

/// The trainable layer behind one NAS-Bench-201 edge operation at stride 1, or nil for `none`.
///
/// `none` yields no layer at all: a zero summand contributes nothing to the node sum and sends no
/// gradient back, so the cell skips it instead of materialising a zero tensor (this is what makes
/// pool/skip-heavy cells cheap). Parameter counts still follow the benchmark, which instantiates
/// only parameter-free `Zero` modules for `none`.
func nb201EdgeLayer(_ op: NB201Op, channels c: Int, name: String, generator: inout Numerics.SplitMix64) -> (any Layer)? {
    switch op {
    case .none:
        return nil
    case .skipConnect:
        return Identity()
    case .avgPool3x3:
        // count_include_pad=False, as in the benchmark's POOLING op.
        return AvgPool2d(kernel: 3, stride: 1, padding: 1, countIncludePad: false)
    case .conv1x1, .conv3x3:
        let k = op == .conv3x3 ? 3 : 1
        return Sequential([
            ReLU(),
            Conv2d(inChannels: c, outChannels: c, kernelSize: k, padding: k / 2, name: name + ".conv", generator: &generator),
            BatchNorm2d(channels: c, name: name + ".bn"),
        ])
    }
}
