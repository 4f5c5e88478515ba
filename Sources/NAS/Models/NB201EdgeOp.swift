import Numerics

/// The trainable layers behind one NAS-Bench-201 edge operation at stride 1.
enum NB201EdgeLayer {
    /// `none`: no layer at all. A zero summand contributes nothing and sends no gradient back,
    /// so the cell skips it instead of materialising a zero tensor (this is what makes
    /// pool/skip-heavy cells cheap). Parameter counts still follow the benchmark, whose `Zero`
    /// module has no parameters.
    case none
    /// `skip_connect` or `avg_pool_3x3`, applied to the source node itself.
    case plain(any Layer)
    /// `nor_conv_kxk`: ReLU → conv → BN. Only conv and BN are returned: every conv edge leaving a
    /// node applies the same ReLU to the same tensor, so the cell computes ReLU(node) once, and
    /// it runs the conv edges of one kernel size leaving one node as one
    /// `FusedConvBatchNormBranches` (one im2col, one wider GEMM, one BN).
    case convolution(Conv2d, BatchNorm2d, kernel: Int)

    /// The edge's parameters, in the order of the benchmark's module (conv weight, BN weight, BN bias).
    var parameters: [Parameter] {
        switch self {
        case .none: return []
        case .plain(let layer): return layer.parameters
        case .convolution(let conv, let bn, _): return conv.parameters + bn.parameters
        }
    }
}

/// Builds the layers of edge op `op` with `c` channels, drawing conv weights from `generator`
/// (in the same order as before fusion, so a seed gives the same initial network).
func nb201EdgeLayer(_ op: NB201Op, channels c: Int, name: String, generator: inout SplitMix64) -> NB201EdgeLayer {
    switch op {
    case .none:
        return .none
    case .skipConnect:
        return .plain(Identity())
    case .avgPool3x3:
        // count_include_pad=False, as in the benchmark's POOLING op.
        return .plain(AvgPool2d(kernel: 3, stride: 1, padding: 1, countIncludePad: false))
    case .conv1x1, .conv3x3:
        let k = op == .conv3x3 ? 3 : 1
        return .convolution(Conv2d(inChannels: c, outChannels: c, kernelSize: k, padding: k / 2, name: name + ".conv",
                                   generator: &generator),
                            BatchNorm2d(channels: c, name: name + ".bn"), kernel: k)
    }
}
