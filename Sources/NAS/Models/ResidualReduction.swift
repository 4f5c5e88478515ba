import Numerics

/// NAS-Bench-201's reduction block between stages: a ResNet basic block with stride 2.
///
/// Main path ReLU → conv3x3 (stride 2) → BN → ReLU → conv3x3 → BN; shortcut 2x2 average pool
/// (stride 2) → conv1x1 without BN; output = main + shortcut. x: [N, H, W, Cin] -> [N, ⌈H/2⌉, ⌈W/2⌉, Cout].
/// For an odd input side (14x14 images reach 7x7 before the last reduction) the shortcut pool pads
/// by 1 with padding excluded from the average, so both paths give ⌈H/2⌉; the benchmark itself only
/// ever sees even sides, where the pool is the plain 2x2 one.
public final class ResidualReduction: Layer {
    let main: Sequential
    let shortcut: Sequential

    /// A reduction from `inChannels` to `outChannels`.
    public init(inChannels: Int, outChannels: Int, oddInput: Bool = false, name: String = "reduction",
                generator: inout SplitMix64) {
        main = Sequential([
            ReLU(),
            Conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: 3, stride: 2, padding: 1,
                   name: name + ".conv_a", generator: &generator),
            BatchNorm2d(channels: outChannels, name: name + ".bn_a"),
            ReLU(),
            Conv2d(inChannels: outChannels, outChannels: outChannels, kernelSize: 3, padding: 1,
                   name: name + ".conv_b", generator: &generator),
            BatchNorm2d(channels: outChannels, name: name + ".bn_b"),
        ])
        shortcut = Sequential([
            AvgPool2d(kernel: 2, stride: 2, padding: oddInput ? 1 : 0, countIncludePad: false),
            Conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: 1, name: name + ".shortcut", generator: &generator),
        ])
    }

    /// main(x) + shortcut(x).
    public func forward(_ input: Tensor, training: Bool, context: ComputeContext) -> Tensor {
        var y = main.forward(input, training: training, context: context)
        addInPlace(&y, shortcut.forward(input, training: training, context: context), context: context)
        return y
    }

    /// Both paths receive the output gradient; their input gradients add.
    public func backward(_ outputGradient: Tensor, context: ComputeContext) -> Tensor {
        var dx = main.backward(outputGradient, context: context)
        addInPlace(&dx, shortcut.backward(outputGradient, context: context), context: context)
        return dx
    }

    /// Main-path parameters, then the shortcut conv.
    public var parameters: [Parameter] { main.parameters + shortcut.parameters }
}
