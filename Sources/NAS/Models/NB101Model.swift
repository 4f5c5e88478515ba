import Numerics

/// Shape of a trainable NAS-Bench-101 network; the benchmark's CIFAR-10 network is
/// `stemChannels: 128, stacks: 3, cellsPerStack: 3, inputChannels: 3, inputSize: 32, classes: 10`.
public struct NB101ModelOptions: Sendable, Hashable, Codable {
    /// Channels of the stem and the first stack; doubled at every later stack.
    public var stemChannels: Int
    /// Number of stacks.
    public var stacks: Int
    /// Cells per stack.
    public var cellsPerStack: Int
    /// Image channels.
    public var inputChannels: Int
    /// Side of the square input.
    public var inputSize: Int
    /// Output classes.
    public var classes: Int

    /// Memberwise initialiser with the benchmark's CIFAR-10 values as defaults.
    public init(stemChannels: Int = 128, stacks: Int = 3, cellsPerStack: Int = 3, inputChannels: Int = 3,
                inputSize: Int = 32, classes: Int = 10) {
        self.stemChannels = stemChannels
        self.stacks = stacks
        self.cellsPerStack = cellsPerStack
        self.inputChannels = inputChannels
        self.inputSize = inputSize
        self.classes = classes
    }

    /// The search space's cost model for the same shape.
    public var network: NB101Network {
        NB101Network(stemChannels: stemChannels, stacks: stacks, cellsPerStack: cellsPerStack, classes: classes,
                     inputSize: inputSize, inputChannels: inputChannels)
    }
}

/// A trainable NAS-Bench-101 network: stem conv3x3-BN-ReLU, `stacks` stacks of cells with a
/// 2x2 stride-2 max pool (and channel doubling, done by the stack's first cell) before every
/// stack but the first, global average pool, linear head. x: [N, S, S, Cin] -> logits [N, classes].
/// An odd side is pooled with padding 1 (`same`), giving ⌈S/2⌉ like the cost model.
public final class NB101Model: Layer {
    /// The cell repeated in every stack.
    public let cell: NB101Cell
    /// The network's shape.
    public let options: NB101ModelOptions
    let layers: Sequential

    /// Builds and initialises the network from `seed`; throws for non-positive sizes.
    public init(cell: NB101Cell, options: NB101ModelOptions, seed: UInt64) throws {
        for (name, value) in [("stemChannels", options.stemChannels), ("stacks", options.stacks),
                              ("cellsPerStack", options.cellsPerStack), ("inputChannels", options.inputChannels),
                              ("inputSize", options.inputSize)] where value < 1 {
            throw NASError.invalidArgument(name: name, reason: "\(value) must be at least 1")
        }
        if options.classes < 2 { throw NASError.invalidArgument(name: "classes", reason: "\(options.classes) must be at least 2") }
        self.cell = cell
        self.options = options
        var rng = SplitMix64(seed: seed)
        let stem = Conv2d(inChannels: options.inputChannels, outChannels: options.stemChannels, kernelSize: 3, padding: 1,
                          name: "stem.conv", generator: &rng)
        stem.computesInputGradient = false
        var stack: [any Layer] = [stem, BatchNorm2d(channels: options.stemChannels, name: "stem.bn"), ReLU()]
        var size = options.inputSize
        var index = 0
        for (k, shape) in options.network.cellShapes.enumerated() {
            if k > 0, k % options.cellsPerStack == 0 {
                stack.append(MaxPool2d(kernel: 2, stride: 2, padding: size % 2))
                size = (size + 1) / 2
            }
            stack.append(NB101CellModule(cell: cell, inputChannels: shape.input, outputChannels: shape.output,
                                         name: "cell\(index)", generator: &rng))
            index += 1
        }
        stack += [GlobalAvgPool(), Linear(inFeatures: options.network.finalChannels, outFeatures: options.classes,
                                          name: "classifier", generator: &rng)]
        layers = Sequential(stack)
    }

    /// images [N, S, S, Cin] -> logits [N, classes].
    public func forward(_ input: Tensor, training: Bool, context: ComputeContext) -> Tensor {
        layers.forward(input, training: training, context: context)
    }

    /// Accumulates parameter gradients from dL/dlogits.
    public func backward(_ outputGradient: Tensor, context: ComputeContext) -> Tensor {
        layers.backward(outputGradient, context: context)
    }

    /// All parameters in network order.
    public var parameters: [Parameter] { layers.parameters }
}
