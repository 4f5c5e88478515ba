import Numerics

/// Shape of a trainable NAS-Bench-201 network; the benchmark's CIFAR-10 network is
/// `channels: 16, cellsPerStage: 5, inputChannels: 3, inputSize: 32, classes: 10`.
public struct NB201ModelOptions: Sendable, Hashable, Codable {
    /// Channels of the first stage (C); stages use C, 2C, 4C.
    public var channels: Int
    /// Cells per stage (N).
    public var cellsPerStage: Int
    /// Image channels (1 for Fashion-MNIST, 3 for CIFAR).
    public var inputChannels: Int
    /// Side of the square input.
    public var inputSize: Int
    /// Output classes.
    public var classes: Int

    /// Memberwise initialiser with the benchmark's CIFAR-10 values as defaults.
    public init(channels: Int = 16, cellsPerStage: Int = 5, inputChannels: Int = 3, inputSize: Int = 32, classes: Int = 10) {
        self.channels = channels
        self.cellsPerStage = cellsPerStage
        self.inputChannels = inputChannels
        self.inputSize = inputSize
        self.classes = classes
    }

    /// The search space's cost model for the same shape.
    public var network: NB201Network {
        NB201Network(channels: channels, cellsPerStage: cellsPerStage, classes: classes,
                     inputSize: inputSize, inputChannels: inputChannels)
    }

    /// Rejects non-positive sizes with a `NASError.invalidArgument`.
    public func validate() throws {
        for (name, value) in [("channels", channels), ("cellsPerStage", cellsPerStage), ("inputChannels", inputChannels),
                              ("inputSize", inputSize), ("classes", classes)] where value < 1 {
            throw NASError.invalidArgument(name: name, reason: "\(value) must be at least 1")
        }
        if classes < 2 { throw NASError.invalidArgument(name: "classes", reason: "\(classes) must be at least 2") }
    }
}

/// A trainable NAS-Bench-201 network built from any cell (named `…Model` because
/// `NB201Network` is the search space's parameter/FLOP cost model).
///
/// Stem conv3x3 + BN; three stages of N cells at C, 2C, 4C channels with a `ResidualReduction`
/// between stages; last BN + ReLU, global average pool, linear head. x: [N, S, S, Cin] -> logits [N, classes].
/// Built deterministically from `seed`; results are bit-identical for any thread count (the
/// kernels' guarantee).
public final class NB201Model: Layer {
    /// The cell repeated in every stage.
    public let cell: NB201Cell
    /// The network's shape.
    public let options: NB201ModelOptions
    let layers: Sequential

    /// Builds and initialises the network; throws for invalid options.
    public init(cell: NB201Cell, options: NB201ModelOptions, seed: UInt64) throws {
        try options.validate()
        self.cell = cell
        self.options = options
        var rng = SplitMix64(seed: seed)
        let stemConv = Conv2d(inChannels: options.inputChannels, outChannels: options.channels, kernelSize: 3, padding: 1,
                              name: "stem.conv", generator: &rng)
        stemConv.computesInputGradient = false  // nobody needs dL/dimage
        var stack: [any Layer] = [stemConv, BatchNorm2d(channels: options.channels, name: "stem.bn")]
        var c = options.channels
        var size = options.inputSize
        for stage in 0..<3 {
            if stage > 0 {
                stack.append(ResidualReduction(inChannels: c, outChannels: 2 * c, oddInput: size % 2 == 1,
                                               name: "stage\(stage).reduction", generator: &rng))
                c *= 2
                size = (size + 1) / 2
            }
            for k in 0..<options.cellsPerStage {
                stack.append(NB201CellModule(cell: cell, channels: c, name: "stage\(stage).cell\(k)", generator: &rng))
            }
        }
        stack += [BatchNorm2d(channels: c, name: "lastact.bn"), ReLU(), GlobalAvgPool(),
                  Linear(inFeatures: c, outFeatures: options.classes, name: "classifier", generator: &rng)]
        layers = Sequential(stack)
    }

    /// images [N, S, S, Cin] -> logits [N, classes].
    public func forward(_ input: Tensor, training: Bool, context: ComputeContext) -> Tensor {
        layers.forward(input, training: training, context: context)
    }

    /// Accumulates every parameter gradient from dL/dlogits; returns zeros of the image shape
    /// (the stem skips the input gradient).
    public func backward(_ outputGradient: Tensor, context: ComputeContext) -> Tensor {
        layers.backward(outputGradient, context: context)
    }

    /// All parameters in network order (stem, stages, head).
    public var parameters: [Parameter] { layers.parameters }
}
