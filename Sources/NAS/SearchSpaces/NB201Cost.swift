/// The NAS-Bench-201 network a cell is stacked into, and its cost model.
///
/// Stem 3×3 conv (3 → C) + BN; three stages of `cellsPerStage` cells at C, 2C,
/// 4C channels; between stages a ResNet basic block with stride 2 (ReLU-conv3×3-BN
/// with stride 2, ReLU-conv3×3-BN, shortcut 2×2 avg-pool + 1×1 conv without BN);
/// final BN + ReLU, global average pool, linear layer with bias. Convolutions
/// have no bias, BN has two trainable parameters per channel. Every edge op is
/// counted, even on edges that a `none` disconnects, because the benchmark's
/// network instantiates them.
///
/// FLOPs are multiply-accumulates of convolutions and the linear layer only
/// (k·k·Cin·Cout·H·W per conv at its output resolution); BN, ReLU, pooling and
/// additions count zero.
public struct NB201Network: Hashable, Sendable {
    /// Channels of the first stage.
    public var channels: Int
    /// Cells per stage (N).
    public var cellsPerStage: Int
    /// Output classes.
    public var classes: Int
    /// Side of the square input image.
    public var inputSize: Int
    /// Input image channels.
    public var inputChannels: Int

    /// The benchmark's CIFAR-10 network: C = 16, N = 5, 32×32×3 input, 10 classes.
    public static let cifar10 = NB201Network(channels: 16, cellsPerStage: 5, classes: 10, inputSize: 32, inputChannels: 3)

    /// Memberwise initialiser.
    public init(channels: Int, cellsPerStage: Int, classes: Int, inputSize: Int, inputChannels: Int) {
        self.channels = channels
        self.cellsPerStage = cellsPerStage
        self.classes = classes
        self.inputSize = inputSize
        self.inputChannels = inputChannels
    }

    /// Trainable parameters of the whole network built from `cell`.
    public func parameterCount(_ cell: NB201Cell) -> Int {
        var total = 9 * inputChannels * channels + 2 * channels
        var c = channels
        for stage in 0..<3 {
            if stage > 0 {
                let out = 2 * c
                total += 9 * c * out + 2 * out + 9 * out * out + 2 * out + c * out
                c = out
            }
            total += cellsPerStage * cell.parameterCount(channels: c)
        }
        return total + 2 * c + c * classes + classes
    }

    /// Multiply-accumulates of one forward pass of one image.
    public func flops(_ cell: NB201Cell) -> Int {
        var size = inputSize
        var total = 9 * inputChannels * channels * size * size
        var c = channels
        for stage in 0..<3 {
            if stage > 0 {
                let out = 2 * c
                size = (size + 1) / 2
                let pixels = size * size
                total += (9 * c * out + 9 * out * out + c * out) * pixels
                c = out
            }
            total += cellsPerStage * cell.flops(channels: c, size: size)
        }
        return total + c * classes
    }
}

extension NB201Cell {
    /// Trainable parameters of one cell with `channels` channels on every node.
    public func parameterCount(channels c: Int) -> Int {
        ops.reduce(0) { total, op in
            switch op {
            case .conv1x1: return total + c * c + 2 * c
            case .conv3x3: return total + 9 * c * c + 2 * c
            case .none, .skipConnect, .avgPool3x3: return total
            }
        }
    }

    /// Multiply-accumulates of one cell at `size`×`size` resolution.
    public func flops(channels c: Int, size: Int) -> Int {
        ops.reduce(0) { total, op in
            switch op {
            case .conv1x1: return total + c * c * size * size
            case .conv3x3: return total + 9 * c * c * size * size
            case .none, .skipConnect, .avgPool3x3: return total
            }
        }
    }
}
